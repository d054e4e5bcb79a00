// Runs ClosePollingArea through the turnout decider on the area's stream (see shared/turnout-commands.ts).
import { Inject, Injectable } from '@nestjs/common';
import type { ClosePollingArea } from '@hpe/domain';
import type { CommandMetadata, CommandReply } from '@hpe/service-kit';
import { TURNOUT_COMMANDS } from '../shared/tokens.js';
import type { TurnoutCommands } from '../shared/turnout-commands.js';

@Injectable()
export class ClosePollingAreaHandler {
  constructor(@Inject(TURNOUT_COMMANDS) private readonly commands: TurnoutCommands) {}

  execute(command: ClosePollingArea, metadata: CommandMetadata): Promise<CommandReply> {
    return this.commands.run(command, metadata);
  }
}
