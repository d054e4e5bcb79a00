// Runs SubmitCountingMinute through the tally decider on the area's stream at that level.
import { Inject, Injectable } from '@nestjs/common';
import type { CommandMetadata, CommandReply } from '@hpe/service-kit';
import type { MinuteRequest, TallyCommands } from '../shared/tally-commands.js';
import { TALLY_COMMANDS } from '../shared/tokens.js';

@Injectable()
export class SubmitMinuteHandler {
  constructor(@Inject(TALLY_COMMANDS) private readonly commands: TallyCommands) {}

  execute(request: MinuteRequest, metadata: CommandMetadata): Promise<CommandReply> {
    return this.commands.submit(request, metadata);
  }
}
