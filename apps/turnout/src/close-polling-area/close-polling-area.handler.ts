// Closes a polling area with its final turnout figure: never before 19:00, never after 21:00.
import { Inject, Injectable } from '@nestjs/common';
import type { ClosePollingArea } from '@hpe/domain';
import { TurnoutCommandRunner, type CommandMetadata } from '../shared/command-runner.js';
import type { TurnoutReply } from '../shared/turnout-reply.js';

@Injectable()
export class ClosePollingAreaHandler {
  constructor(@Inject(TurnoutCommandRunner) private readonly runner: TurnoutCommandRunner) {}

  execute(command: ClosePollingArea, metadata: CommandMetadata): Promise<TurnoutReply> {
    return this.runner.run(command, metadata);
  }
}
