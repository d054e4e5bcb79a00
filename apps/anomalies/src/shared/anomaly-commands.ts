// How every anomaly command runs: against the anomaly's stream, with the anomaly decider. An
// anomaly exists once the detector has appended its AnomalyDetected; before that it is NOT_FOUND.
import { AnomalyEvent, anomalyDecider, anomalyStreamId, type AnomalyCommand } from '@hpe/domain';
import {
  eventReader,
  type CommandMetadata,
  type CommandReply,
  type StreamCommandRunner,
} from '@hpe/service-kit';

const toAnomalyEvent = eventReader(AnomalyEvent, 'anomaly');

export class AnomalyCommands {
  constructor(private readonly runner: StreamCommandRunner) {}

  run(command: AnomalyCommand, metadata: CommandMetadata): Promise<CommandReply> {
    return this.runner.run(
      {
        streamId: anomalyStreamId(command.data.anomalyId),
        command,
        decider: anomalyDecider,
        toEvent: toAnomalyEvent,
      },
      metadata,
    );
  }
}
