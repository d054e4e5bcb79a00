// The detector's driver: an ordered JetStream consumer over EVENTS from the first event, folding
// each event in position order with the domain's detect() and appending every anomaly it raises
// through the ledger. Its checkpoint is the log itself: ids are deterministic, so on a restart the
// fold is rebuilt from the start and re-raised anomalies are answered as duplicates (nothing new).
import {
  anomalyEnvelope,
  detect,
  initialDetectorState,
  type AnomalyDetected,
  type DetectionContext,
  type DetectorState,
  type RecordedEvent,
} from '@hpe/domain';
import type { LedgerClient } from '@hpe/ledger-client';
import { eventsStreamName } from '@hpe/messaging';
import type { LogSink } from '@hpe/telemetry';
import {
  DeliverPolicy,
  JetStreamApiCodes,
  JetStreamApiError,
  jetstream,
  jetstreamManager,
  type ConsumerMessages,
} from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';

export interface DetectorStats {
  /** The last log position folded. */
  readonly position: number;
  readonly eventsFolded: number;
  /** Anomalies the fold raised (new ones and, after a restart, ones already in the log). */
  readonly anomaliesRaised: number;
  /** Appends the ledger recorded as new events. */
  readonly appended: number;
  /** Appends the ledger answered as already recorded (a re-run). */
  readonly duplicates: number;
  /** Ids recorded with other content (thresholds changed since): the original stands. */
  readonly conflicts: number;
}

export interface AnomalyDetectorRunnerDeps {
  readonly nc: NatsConnection;
  readonly ledger: Pick<LedgerClient, 'append' | 'readAll'>;
  readonly context: DetectionContext;
  readonly log: LogSink;
  /** Pause before an append is tried again while the ledger is away; 500 ms by default. */
  readonly retryPauseMs?: number;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The relay publishes each ledger event as its JSON: the fields the fold reads are checked here
 * (each rule parses its own event's data with the domain's schema), the rest is trusted.
 */
export function asRecordedEvent(value: unknown): RecordedEvent | undefined {
  if (!isRecord(value)) return undefined;
  const { eventId, type, streamId, position, data, metadata, recordedAt } = value;
  const ok =
    typeof eventId === 'string' &&
    typeof type === 'string' &&
    typeof streamId === 'string' &&
    typeof position === 'number' &&
    Number.isSafeInteger(position) &&
    position >= 1 &&
    typeof recordedAt === 'string' &&
    isRecord(data) &&
    isRecord(metadata) &&
    typeof metadata['correlationId'] === 'string';
  return ok ? (value as RecordedEvent) : undefined;
}

export class AnomalyDetectorRunner {
  private state: DetectorState = initialDetectorState();
  /** The last position whose anomalies are all appended (the fold's own moves before that). */
  private completed = 0;
  private messages: ConsumerMessages | undefined;
  private loop: Promise<void> | undefined;
  private stopping = false;
  private readonly waiters = new Set<{ position: number; resolve: () => void }>();
  private counts = {
    eventsFolded: 0,
    anomaliesRaised: 0,
    appended: 0,
    duplicates: 0,
    conflicts: 0,
  };

  constructor(private readonly deps: AnomalyDetectorRunnerDeps) {}

  /** Starts folding from the first event of the log; returns once the consumer is subscribed. */
  async start(): Promise<void> {
    await this.eventsStreamExists();
    const consumer = await jetstream(this.deps.nc).consumers.get(eventsStreamName, {
      deliver_policy: DeliverPolicy.All,
    });
    const messages = await consumer.consume({ max_messages: 2_000 });
    this.messages = messages;
    this.loop = (async () => {
      for await (const message of messages) {
        if (this.stopping) break;
        const event = asRecordedEvent(message.json());
        if (event === undefined) {
          this.deps.log.error({ seq: message.seq }, 'EVENTS message is not a recorded event');
          continue;
        }
        await this.handle(event);
      }
    })().catch((error: unknown) => {
      this.deps.log.error({ err: error }, 'anomaly detector stopped by an error');
    });
    this.deps.log.info({}, 'anomaly detector folding EVENTS from the start');
  }

  /**
   * The ledger's relay owns EVENTS (and its replica count on a cluster): the detector waits for it
   * rather than declaring it with settings of its own.
   */
  private async eventsStreamExists(): Promise<void> {
    const jsm = await jetstreamManager(this.deps.nc);
    for (let attempt = 0; ; attempt++) {
      try {
        await jsm.streams.info(eventsStreamName);
        return;
      } catch (error) {
        if (!(
          error instanceof JetStreamApiError && error.code === JetStreamApiCodes.StreamNotFound
        ))
          throw error;
        if (attempt === 0) this.deps.log.info({}, 'waiting for the ledger to create EVENTS');
        await new Promise((resolve) => setTimeout(resolve, 500));
      }
    }
  }

  async stop(): Promise<void> {
    this.stopping = true;
    await this.messages?.close();
    await this.loop;
  }

  /** The thresholds and reference data it judges with (a second run must use the same). */
  get context(): DetectionContext {
    return this.deps.context;
  }

  stats(): DetectorStats {
    return { position: this.completed, ...this.counts };
  }

  /** Resolves once every event up to `position` is folded and its anomalies appended. */
  waitForPosition(position: number, timeoutMs = 30_000): Promise<void> {
    if (this.completed >= position) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const waiter = {
        position,
        resolve: () => {
          clearTimeout(timer);
          resolve();
        },
      };
      const timer = setTimeout(() => {
        this.waiters.delete(waiter);
        reject(
          new Error(`detector at ${this.state.position}, not ${position}, after ${timeoutMs} ms`),
        );
      }, timeoutMs);
      this.waiters.add(waiter);
    });
  }

  /** Folds one event in position order; a gap is filled from the ledger first. */
  async handle(event: RecordedEvent): Promise<void> {
    if (event.position <= this.state.position) return;
    if (event.position > this.state.position + 1) await this.fillGap(event.position - 1);
    await this.fold(event);
  }

  private async fold(event: RecordedEvent): Promise<void> {
    const { state, anomalies } = detect(this.state, event, this.deps.context);
    this.state = state;
    this.counts.eventsFolded += 1;
    for (const anomaly of anomalies) await this.append(anomaly, event);
    this.completed = event.position;
    for (const waiter of this.waiters) {
      if (waiter.position <= this.completed) {
        this.waiters.delete(waiter);
        waiter.resolve();
      }
    }
  }

  /** Positions are gap-free: a missing one was not (yet) relayed, so it is read from the ledger. */
  private async fillGap(upTo: number): Promise<void> {
    const from = this.state.position + 1;
    this.deps.log.warn({ from, upTo }, 'gap in EVENTS; reading it from the ledger');
    while (this.state.position < upTo) {
      const page = await this.deps.ledger.readAll({
        fromPosition: this.state.position + 1,
        limit: Math.min(10_000, upTo - this.state.position),
      });
      if (!page.ok) {
        if (page.error.code !== 'LEDGER_UNAVAILABLE' || this.stopping)
          throw new Error(`cannot fill the gap: ${page.error.code}: ${page.error.message}`);
        await new Promise((resolve) => setTimeout(resolve, this.deps.retryPauseMs ?? 500));
        continue;
      }
      if (page.value.events.length === 0) throw new Error(`the ledger has no event at ${from}`);
      for (const event of page.value.events) if (event.position <= upTo) await this.fold(event);
    }
  }

  private async append(anomaly: AnomalyDetected, trigger: RecordedEvent): Promise<void> {
    this.counts.anomaliesRaised += 1;
    const envelope = anomalyEnvelope(anomaly, trigger);
    for (;;) {
      const result = await this.deps.ledger.append({
        streamId: envelope.streamId,
        // Checked after the id: a re-run of an anomaly already there is a duplicate, not stale.
        expectedRevision: 'no_stream',
        events: [envelope],
      });
      if (result.ok) {
        if (result.value.duplicate === true) this.counts.duplicates += 1;
        else this.counts.appended += 1;
        return;
      }
      const { code } = result.error;
      if (code === 'LEDGER_UNAVAILABLE' && !this.stopping) {
        this.deps.log.warn({ anomalyId: anomaly.data.anomalyId }, 'ledger away; retrying');
        await new Promise((resolve) => setTimeout(resolve, this.deps.retryPauseMs ?? 500));
        continue;
      }
      if (code === 'EVENT_ID_CONFLICT' || code === 'STALE_REVISION') {
        this.counts.conflicts += 1;
        this.deps.log.warn(
          { anomalyId: anomaly.data.anomalyId, code },
          'anomaly already recorded with other content (thresholds changed?); keeping the original',
        );
        return;
      }
      // Any other refusal means the detector built a bad event: a bug worth a loud log, but one
      // anomaly must not stop the detection of the rest.
      this.deps.log.error(
        { anomalyId: anomaly.data.anomalyId, error: result.error },
        'anomaly append refused',
      );
      return;
    }
  }
}
