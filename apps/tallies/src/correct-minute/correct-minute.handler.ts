// Runs CorrectCountingMinute through the tally decider: a new version superseding the current one.
import { Inject, Injectable } from '@nestjs/common';
import type { CommandMetadata, CommandReply } from '@hpe/service-kit';
import type { MinuteRequest, TallyCommands } from '../shared/tally-commands.js';
import { TALLY_COMMANDS } from '../shared/tokens.js';

@Injectable()
export class CorrectMinuteHandler {
  constructor(@Inject(TALLY_COMMANDS) private readonly commands: TallyCommands) {}

  execute(
    request: MinuteRequest & { readonly reason: string },
    metadata: CommandMetadata,
  ): Promise<CommandReply> {
    return this.commands.correct(request, metadata);
  }
}
