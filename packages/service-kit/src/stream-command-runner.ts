// The one load → decide → append loop every command service runs: read the stream, fold it with the
// aggregate's decider, decide with the injected clock, wrap the events in envelopes and append at
// the revision read. A STALE_REVISION means another writer got there first, so the command is
// decided again on the new history (a bounded number of times).
import {
  codedError,
  err,
  foldEvents,
  InvariantError,
  ok,
  type CodedError,
  type Decider,
  type EventMetadata,
  type NewEvent,
  type RecordedEvent,
  type Result,
} from '@hpe/domain';
import {
  readWholeStream,
  type ExpectedRevision,
  type LedgerClient,
  type LedgerError,
} from '@hpe/ledger-client';
import type { LogSink } from '@hpe/telemetry';
import type { CommandReply } from './command-reply.js';

/** What the runner needs of the ledger (the LedgerClient, or a double). */
export type LedgerPort = Pick<LedgerClient, 'append' | 'readStream' | 'head'>;

/** The time commands are decided at; tests set it. */
export type Clock = () => Date;
/** UUIDv7 for each new event, so a retried append is idempotent. */
export type NewEventId = () => string;

/** Who sent the command and why: copied into every event's metadata. */
export type CommandMetadata = EventMetadata;

export interface StreamCommandRunnerOptions {
  /** Decisions made again after a STALE_REVISION before giving up with that code. */
  readonly staleRetries: number;
}

/** An event an aggregate emits: a discriminated union on `type` with a data object. */
export interface DomainEvent {
  readonly type: string;
  readonly data: object;
}

export interface LoadedStream<E> {
  readonly history: readonly E[];
  readonly revision: ExpectedRevision;
}

/** One command against one stream, and how to read that stream's events. */
export interface StreamCommand<C, E extends DomainEvent, S> {
  readonly streamId: string;
  readonly command: C;
  readonly decider: Decider<C, E, S, string>;
  /** A stored event of this stream as the decider's event; throws InvariantError when it cannot. */
  readonly toEvent: (event: RecordedEvent) => E;
  /**
   * Commands decided before `command` on the same state, in the same append: an aggregate that
   * registers itself from reference data on its first command uses it. Called on every attempt.
   */
  readonly prelude?: (stream: LoadedStream<E>) => Promise<Result<readonly C[], CodedError>>;
  /** The schema version the events are written with; 1 by default. */
  readonly schemaVersion?: number;
  /**
   * For aggregates that record some refusals (a turnout figure that shrank): the code the decided
   * events stand for. They are appended, then answered with that code plus where they were recorded.
   */
  readonly rejectionOf?: (events: readonly E[]) => CodedError | undefined;
}

export interface StreamCommandRunnerDeps {
  readonly ledger: LedgerPort;
  readonly clock: Clock;
  readonly newEventId: NewEventId;
  readonly options: StreamCommandRunnerOptions;
  readonly log: LogSink;
}

export class StreamCommandRunner {
  constructor(private readonly deps: StreamCommandRunnerDeps) {}

  async run<C, E extends DomainEvent, S>(
    spec: StreamCommand<C, E, S>,
    metadata: CommandMetadata,
  ): Promise<CommandReply> {
    const { streamId } = spec;
    for (let attempt = 0; ; attempt += 1) {
      const loaded = await this.load(spec);
      if (!loaded.ok) return loaded;
      const decided = await this.decide(spec, loaded.value);
      if (!decided.ok) return decided;
      const appended = await this.deps.ledger.append({
        streamId,
        expectedRevision: loaded.value.revision,
        events: decided.value.map((event) =>
          this.envelope(streamId, event, metadata, spec.schemaVersion ?? 1),
        ),
      });
      if (appended.ok) {
        const { eventIds } = appended.value;
        const position = appended.value.positions[1];
        const rejection = spec.rejectionOf?.(decided.value);
        if (rejection !== undefined)
          return err(
            codedError(rejection.code, rejection.message, {
              ...rejection.details,
              eventIds,
              position,
            }),
          );
        return ok({ eventIds, position });
      }
      if (appended.error.code !== 'STALE_REVISION') return appended;
      if (attempt >= this.deps.options.staleRetries) {
        this.deps.log.warn(
          { streamId, attempts: attempt + 1, correlationId: metadata.correlationId },
          'command gave up after repeated stale revisions',
        );
        return appended;
      }
      this.deps.log.debug(
        { streamId, attempt },
        'stale revision; deciding again on the new history',
      );
    }
  }

  /** The stream's history as the decider's events, and the revision to append at. */
  async load<C, E extends DomainEvent, S>(
    spec: Pick<StreamCommand<C, E, S>, 'streamId' | 'toEvent'>,
  ): Promise<Result<LoadedStream<E>, LedgerError>> {
    const read = await readWholeStream(this.deps.ledger, spec.streamId);
    if (!read.ok) return read;
    const recorded = read.value;
    const last = recorded.at(-1);
    return ok({
      history: recorded.map(spec.toEvent),
      revision: last === undefined ? 'no_stream' : last.streamRevision,
    });
  }

  private async decide<C, E extends DomainEvent, S>(
    spec: StreamCommand<C, E, S>,
    stream: LoadedStream<E>,
  ): Promise<Result<E[], CodedError>> {
    const { decider } = spec;
    const context = { now: this.deps.clock() };
    let state: S = foldEvents(decider, stream.history);
    const events: E[] = [];
    if (spec.prelude !== undefined) {
      const before = await spec.prelude(stream);
      if (!before.ok) return before;
      for (const command of before.value) {
        const decided = decider.decide(command, state, context);
        // The prelude is the service's own bookkeeping: a refusal there is a bug, not bad input.
        if (!decided.ok) throw new InvariantError(`prelude refused: ${decided.error.code}`);
        events.push(...decided.value);
        state = decided.value.reduce(decider.evolve, state);
      }
    }
    const decision = decider.decide(spec.command, state, context);
    if (!decision.ok) return decision;
    events.push(...decision.value);
    return ok(events);
  }

  private envelope(
    streamId: string,
    event: DomainEvent,
    metadata: CommandMetadata,
    schemaVersion: number,
  ): NewEvent {
    return {
      eventId: this.deps.newEventId(),
      type: event.type,
      schemaVersion,
      streamId,
      data: { ...event.data },
      metadata,
    };
  }
}

/**
 * A reader of one aggregate's stored events: a stored event its schema cannot read means a corrupt
 * stream or a missing upcaster — a bug, so it throws.
 */
export function eventReader<E extends DomainEvent>(
  schema: { safeParse(value: unknown): { success: true; data: E } | { success: false } },
  aggregate: string,
): (event: RecordedEvent) => E {
  return (event) => {
    const parsed = schema.safeParse({ type: event.type, data: event.data });
    if (!parsed.success) {
      throw new InvariantError(
        `${event.streamId}@${event.streamRevision}: ${event.type} v${event.schemaVersion} is not a ${aggregate} event`,
      );
    }
    return parsed.data;
  };
}
