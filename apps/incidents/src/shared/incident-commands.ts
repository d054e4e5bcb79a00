// How every incident command runs: against the incident's own stream with the incident decider. A
// report starts the stream (a second report of the same id is refused by the decider, and a racing
// one by the ledger's revision check); triage loads it and decides.
import {
  IncidentEvent,
  incidentDecider,
  incidentStreamId,
  type IncidentCommand,
} from '@hpe/domain';
import {
  eventReader,
  type CommandMetadata,
  type CommandReply,
  type StreamCommandRunner,
} from '@hpe/service-kit';

const toIncidentEvent = eventReader(IncidentEvent, 'incident');

export class IncidentCommands {
  constructor(private readonly runner: StreamCommandRunner) {}

  run(command: IncidentCommand, metadata: CommandMetadata): Promise<CommandReply> {
    return this.runner.run(
      {
        streamId: incidentStreamId(command.data.incidentId),
        command,
        decider: incidentDecider,
        toEvent: toIncidentEvent,
      },
      metadata,
    );
  }
}
