// Appends a signed checkpoint to the log every N events or every T milliseconds when anything
// new was recorded. Runs inside the ledger service; a failure is logged and retried, never fatal.
import type { EventStore } from '../storage/index.js';
import {
  checkpointEvent,
  checkpointEventType,
  checkpointStreamId,
  signCheckpoint,
} from './checkpoint-event.js';
import type { SigningKey } from './signing-key.js';

export interface CheckpointerLog {
  info(fields: Record<string, unknown>, message: string): void;
  warn(fields: Record<string, unknown>, message: string): void;
}

export interface CheckpointerOptions {
  readonly store: EventStore;
  readonly signer: SigningKey;
  /** A checkpoint once this many events were recorded since the last one. */
  readonly everyEvents?: number;
  /** A checkpoint this often when anything was recorded since the last one. */
  readonly everyMs?: number;
  /** Source of the checkpoint event's occurredAt. */
  readonly clock?: () => Date;
  /** A fresh UUIDv7 per checkpoint event. */
  readonly newEventId: () => string;
  readonly log?: CheckpointerLog;
}

export type CheckpointOutcome =
  | {
      readonly appended: true;
      readonly position: number;
      readonly headPosition: number;
      readonly headHash: string;
    }
  /** `empty`: no events yet; `unchanged`: the last event is already a checkpoint. */
  | { readonly appended: false; readonly why: 'empty' | 'unchanged' };

export interface Checkpointer {
  /** Tell it the log grew to `lastPosition` (the service calls this after each commit). */
  noteCommitted(lastPosition: number): void;
  /** Starts the timer. */
  start(): void;
  /** Stops the timer and waits for a checkpoint in progress. */
  stop(): Promise<void>;
  /**
   * Signs the current head and appends the checkpoint, unless the log is empty or its last event
   * is a checkpoint. Calls are serialised. Rejects when the store fails (the timer logs instead).
   */
  checkpointNow(): Promise<CheckpointOutcome>;
}

const silentLog: CheckpointerLog = { info: () => undefined, warn: () => undefined };

export function createCheckpointer(options: CheckpointerOptions): Checkpointer {
  const everyEvents = options.everyEvents ?? 10_000;
  const everyMs = options.everyMs ?? 10_000;
  if (!Number.isSafeInteger(everyEvents) || everyEvents < 1) {
    throw new RangeError(`everyEvents must be a positive integer, got ${String(everyEvents)}`);
  }
  if (!Number.isFinite(everyMs) || everyMs < 1) {
    throw new RangeError(`everyMs must be positive, got ${String(everyMs)}`);
  }
  const { store, signer, newEventId } = options;
  const clock = options.clock ?? (() => new Date());
  const log = options.log ?? silentLog;

  /** Position of the last checkpoint this process appended or found at the head. */
  let lastCheckpointPosition: number | undefined;
  /** Highest position noted (or found) so far; counts events since the last checkpoint. */
  let lastNotedPosition = 0;
  /** Where counting for everyEvents starts: the last checkpoint, or the head at start. */
  let countFrom: number | undefined;
  let running: Promise<CheckpointOutcome> | undefined;
  let timer: NodeJS.Timeout | undefined;

  async function attempt(): Promise<CheckpointOutcome> {
    const head = await store.head();
    if (head.position === 0) return { appended: false, why: 'empty' };
    if (head.position === lastCheckpointPosition) return { appended: false, why: 'unchanged' };
    if (lastCheckpointPosition === undefined || head.position > lastCheckpointPosition) {
      // After a restart the head may be the previous process's checkpoint: look before signing.
      const [last] = await store.readAll({ fromPosition: head.position, limit: 1 });
      if (last?.type === checkpointEventType) {
        lastCheckpointPosition = head.position;
        countFrom = head.position;
        return { appended: false, why: 'unchanged' };
      }
    }
    // The head before the checkpoint: headPosition is the last event recorded when we looked,
    // position − 1 of the checkpoint unless other appends land in between.
    const data = signCheckpoint({ headPosition: head.position, headHash: head.hash }, signer);
    const eventId = newEventId();
    const result = await store.appendToStream({
      streamId: checkpointStreamId,
      expectedRevision: 'any',
      events: [checkpointEvent(data, { eventId, occurredAt: clock() })],
    });
    if (!result.ok) {
      throw new Error(`checkpoint append failed: ${result.error.code} ${result.error.message}`);
    }
    const position = result.value.positions[1];
    lastCheckpointPosition = position;
    countFrom = position;
    lastNotedPosition = Math.max(lastNotedPosition, position);
    log.info(
      { position, headPosition: head.position, headHash: head.hash, key: signer.fingerprint },
      'ledger checkpoint signed',
    );
    return { appended: true, position, headPosition: head.position, headHash: head.hash };
  }

  function checkpointNow(): Promise<CheckpointOutcome> {
    // One at a time: a second caller waits for the first, then decides afresh.
    const previous = running ?? Promise.resolve(undefined);
    const next = previous.catch(() => undefined).then(attempt);
    running = next;
    void next
      .finally(() => {
        if (running === next) running = undefined;
      })
      .catch(() => undefined);
    return next;
  }

  function inBackground(reason: string): void {
    checkpointNow().catch((error: unknown) => {
      log.warn(
        { reason, error: error instanceof Error ? error.message : String(error) },
        'ledger checkpoint failed; retrying on the next tick',
      );
    });
  }

  return {
    noteCommitted(lastPosition) {
      lastNotedPosition = Math.max(lastNotedPosition, lastPosition);
      countFrom ??= lastCheckpointPosition ?? 0;
      if (running === undefined && lastNotedPosition - countFrom >= everyEvents) {
        inBackground('events');
      }
    },
    start() {
      if (timer !== undefined) return;
      timer = setInterval(() => {
        if (running === undefined) inBackground('timer');
      }, everyMs);
      // The checkpoint timer alone must not keep the process alive.
      timer.unref();
    },
    async stop() {
      if (timer !== undefined) clearInterval(timer);
      timer = undefined;
      await running?.catch(() => undefined);
    },
    checkpointNow,
  };
}
