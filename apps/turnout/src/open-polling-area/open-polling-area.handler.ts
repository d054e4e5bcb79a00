// Opens a polling area: registered from the reference data on its first command, then decided by
// the turnout decider (05:00 at the earliest, before 19:00, on the area's own election day).
import { Inject, Injectable } from '@nestjs/common';
import type { OpenPollingArea } from '@hpe/domain';
import { TurnoutCommandRunner, type CommandMetadata } from '../shared/command-runner.js';
import type { TurnoutReply } from '../shared/turnout-reply.js';

@Injectable()
export class OpenPollingAreaHandler {
  constructor(@Inject(TurnoutCommandRunner) private readonly runner: TurnoutCommandRunner) {}

  execute(command: OpenPollingArea, metadata: CommandMetadata): Promise<TurnoutReply> {
    return this.runner.run(command, metadata);
  }
}
