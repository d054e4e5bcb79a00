// The one load → decide → append loop of the turnout commands: read the area's stream, register the
// area from the reference data on its first command, fold, decide with the injected clock, wrap the
// events in envelopes and append at the revision read; a STALE_REVISION means another writer got
// there first, so the command is decided again on the new history (a bounded number of times).
import { Inject, Injectable } from '@nestjs/common';
import {
  codedError,
  err,
  foldEvents,
  InvariantError,
  ok,
  TurnoutEvent,
  turnoutDecider,
  turnoutStreamId,
  type ClosePollingArea,
  type CodedError,
  type EventMetadata,
  type NewEvent,
  type OpenPollingArea,
  type RecordedEvent,
  type ReportTurnout,
  type Result,
  type TurnoutCommand,
  type TurnoutState,
} from '@hpe/domain';
import type { ExpectedRevision, LedgerClient, LedgerError } from '@hpe/ledger-client';
import type { LogSink } from '@hpe/telemetry';
import type { PollingAreaDirectory } from './polling-area-directory.js';
import {
  CLOCK,
  LEDGER,
  LOGGER,
  NEW_EVENT_ID,
  POLLING_AREA_DIRECTORY,
  RUNNER_OPTIONS,
  type Clock,
  type NewEventId,
} from './tokens.js';
import { serviceErrorCodes, type TurnoutReply } from './turnout-reply.js';

/** What the runner needs of the ledger (the LedgerClient, or a double). */
export type LedgerPort = Pick<LedgerClient, 'append' | 'readStream' | 'head'>;

export interface CommandRunnerOptions {
  /** Decisions made again after a STALE_REVISION before giving up with that code. */
  readonly staleRetries: number;
}

/** The commands the field sends; registration and list adjustments come from elsewhere. */
export type FieldCommand = OpenPollingArea | ReportTurnout | ClosePollingArea;

/** Who sent the command and why: copied into every event's metadata. */
export type CommandMetadata = EventMetadata;

interface LoadedStream {
  readonly history: readonly TurnoutEvent[];
  readonly revision: ExpectedRevision;
}

/** The schema version every turnout event is written with today. */
const schemaVersion = 1;

@Injectable()
export class TurnoutCommandRunner {
  constructor(
    @Inject(LEDGER) private readonly ledger: LedgerPort,
    @Inject(POLLING_AREA_DIRECTORY) private readonly directory: PollingAreaDirectory,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(NEW_EVENT_ID) private readonly newEventId: NewEventId,
    @Inject(RUNNER_OPTIONS) private readonly options: CommandRunnerOptions,
    @Inject(LOGGER) private readonly log: LogSink,
  ) {}

  async run(command: FieldCommand, metadata: CommandMetadata): Promise<TurnoutReply> {
    const { pollingAreaId } = command.data;
    const streamId = turnoutStreamId(pollingAreaId);
    for (let attempt = 0; ; attempt += 1) {
      const loaded = await this.load(streamId);
      if (!loaded.ok) return loaded;
      const decided = await this.decide(command, loaded.value);
      if (!decided.ok) return decided;
      const appended = await this.ledger.append({
        streamId,
        expectedRevision: loaded.value.revision,
        events: decided.value.map((event) => this.envelope(streamId, event, metadata)),
      });
      if (appended.ok) {
        return ok({ eventIds: appended.value.eventIds, position: appended.value.positions[1] });
      }
      if (appended.error.code !== 'STALE_REVISION') return appended;
      if (attempt >= this.options.staleRetries) {
        this.log.warn(
          { streamId, attempts: attempt + 1, correlationId: metadata.correlationId },
          'turnout command gave up after repeated stale revisions',
        );
        return appended;
      }
      this.log.debug({ streamId, attempt }, 'stale revision; deciding again on the new history');
    }
  }

  /** The events to append: the area's registration first when its stream is still empty. */
  private async decide(
    command: FieldCommand,
    stream: LoadedStream,
  ): Promise<Result<TurnoutEvent[], CodedError>> {
    const context = { now: this.clock() };
    let state: TurnoutState = foldEvents(turnoutDecider, stream.history);
    const events: TurnoutEvent[] = [];
    if (stream.revision === 'no_stream') {
      const registration = await this.registration(command.data.pollingAreaId);
      if (!registration.ok) return registration;
      const registered = turnoutDecider.decide(registration.value, state, context);
      // An empty stream is unregistered: a refusal here would be a bug in the decider.
      if (!registered.ok)
        throw new InvariantError(`registration refused: ${registered.error.code}`);
      events.push(...registered.value);
      state = registered.value.reduce(turnoutDecider.evolve, state);
    }
    const decision = turnoutDecider.decide(command, state, context);
    if (!decision.ok) return decision;
    events.push(...decision.value);
    return ok(events);
  }

  private async registration(pollingAreaId: string): Promise<Result<TurnoutCommand, CodedError>> {
    const area = await this.directory.find(pollingAreaId);
    if (area === null) {
      return err(
        codedError(
          serviceErrorCodes.unknownArea,
          `the reference data has no polling area ${pollingAreaId}`,
          { pollingAreaId },
        ),
      );
    }
    return ok({
      type: 'RegisterPollingArea',
      data: {
        pollingAreaId,
        votersOnList: area.votersOnList,
        electionDate: area.electionDate,
      },
    });
  }

  /** Every page of the stream; its revision is the last event's (or `no_stream`). */
  private async load(streamId: string): Promise<Result<LoadedStream, LedgerError>> {
    const recorded: RecordedEvent[] = [];
    let from: number | undefined = 0;
    while (from !== undefined) {
      const page = await this.ledger.readStream(streamId, { fromRevision: from });
      if (!page.ok) return page;
      recorded.push(...page.value.events);
      from = page.value.nextFrom;
    }
    const last = recorded.at(-1);
    return ok({
      history: recorded.map(toTurnoutEvent),
      revision: last === undefined ? 'no_stream' : last.streamRevision,
    });
  }

  private envelope(streamId: string, event: TurnoutEvent, metadata: CommandMetadata): NewEvent {
    return {
      eventId: this.newEventId(),
      type: event.type,
      schemaVersion,
      streamId,
      data: { ...event.data },
      metadata,
    };
  }
}

/** A stored event this decider cannot read means a corrupt stream or a missing upcaster: a bug. */
function toTurnoutEvent(event: RecordedEvent): TurnoutEvent {
  const parsed = TurnoutEvent.safeParse({ type: event.type, data: event.data });
  if (!parsed.success) {
    throw new InvariantError(
      `${event.streamId}@${event.streamRevision}: ${event.type} v${event.schemaVersion} is not a turnout event`,
    );
  }
  return parsed.data;
}
