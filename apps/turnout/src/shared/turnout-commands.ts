// How every turnout command runs: against the area's stream, with the turnout decider; the first
// command of an area registers it from the reference data in the same append.
import {
  codedError,
  err,
  ok,
  TurnoutEvent,
  turnoutDecider,
  turnoutRejectionOf,
  turnoutStreamId,
  type ClosePollingArea,
  type OpenPollingArea,
  type ReportTurnout,
  type TurnoutCommand,
} from '@hpe/domain';
import {
  eventReader,
  type CommandMetadata,
  type CommandReply,
  type StreamCommandRunner,
} from '@hpe/service-kit';
import type { PollingAreaDirectory } from './polling-area-directory.js';

/** The commands the field sends; registration and list adjustments come from elsewhere. */
export type FieldCommand = OpenPollingArea | ReportTurnout | ClosePollingArea;

/** Code this service adds: the reference data has no such polling area. */
export const unknownAreaCode = 'POLLING.UNKNOWN_AREA';

const toTurnoutEvent = eventReader(TurnoutEvent, 'turnout');

export class TurnoutCommands {
  constructor(
    private readonly runner: StreamCommandRunner,
    private readonly directory: PollingAreaDirectory,
  ) {}

  run(command: FieldCommand, metadata: CommandMetadata): Promise<CommandReply> {
    const { pollingAreaId } = command.data;
    return this.runner.run(
      {
        streamId: turnoutStreamId(pollingAreaId),
        command,
        decider: turnoutDecider,
        toEvent: toTurnoutEvent,
        // A shrinking figure or one above the list is recorded, then answered with its code.
        rejectionOf: turnoutRejectionOf,
        prelude: async (stream) => {
          if (stream.revision !== 'no_stream') return ok([]);
          const registration = await this.registration(pollingAreaId);
          return registration.ok ? ok([registration.value]) : registration;
        },
      },
      metadata,
    );
  }

  private async registration(pollingAreaId: string) {
    const area = await this.directory.find(pollingAreaId);
    if (area === null) {
      return err(
        codedError(unknownAreaCode, `the reference data has no polling area ${pollingAreaId}`, {
          pollingAreaId,
        }),
      );
    }
    const command: TurnoutCommand = {
      type: 'RegisterPollingArea',
      data: { pollingAreaId, votersOnList: area.votersOnList, electionDate: area.electionDate },
    };
    return ok(command);
  }
}
