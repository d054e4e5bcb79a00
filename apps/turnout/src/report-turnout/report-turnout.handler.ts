// Records a turnout figure of an open area: never decreasing, never above its list, in time order.
// Concurrent reports for one area are serialized by the stream's optimistic concurrency.
import { Inject, Injectable } from '@nestjs/common';
import type { ReportTurnout } from '@hpe/domain';
import { TurnoutCommandRunner, type CommandMetadata } from '../shared/command-runner.js';
import type { TurnoutReply } from '../shared/turnout-reply.js';

@Injectable()
export class ReportTurnoutHandler {
  constructor(@Inject(TurnoutCommandRunner) private readonly runner: TurnoutCommandRunner) {}

  execute(command: ReportTurnout, metadata: CommandMetadata): Promise<TurnoutReply> {
    return this.runner.run(command, metadata);
  }
}
