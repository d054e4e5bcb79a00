// The event log on KurrentDB: one KurrentDB stream per ledger stream, the gap-free position and the
// hash chain kept in each event's metadata, appends serialized through one writer in this process.
import type { RecordedEvent } from '@hpe/domain';
import { codedError, err, ok } from '@hpe/domain';
import {
  BACKWARDS,
  END,
  KurrentDBClient,
  START,
  StreamNotFoundError,
  streamNameFilter,
  type AllStreamResolvedEvent,
  type Filter,
  type Position,
  type ReadPosition,
} from '@kurrent/kurrentdb-client';
import { ChainHasher, GENESIS_HASH } from '../chain/chain-hash.js';
import { validateAppendRequest, type ValidatedAppend } from './append-request.js';
import { idempotencyOutcome, partialDuplicate } from './idempotency.js';
import type {
  AppendError,
  AppendRequest,
  AppendResult,
  EventStore,
  IterateAllOptions,
  LogHead,
  ReadAllOptions,
  ReadStreamOptions,
  StreamRead,
} from './event-store.js';
import {
  appendErrorFromKurrent,
  checkStreamPrefix,
  kurrentLogStreamRegex,
  kurrentStreamName,
  kurrentAppendSuccess,
  kurrentStreamState,
  recordedContent,
  sameContent,
  satisfiesExpectedRevision,
  sealKurrentAppend,
  staleRevision,
  type SealedEvent,
  toKurrentEventData,
  unpackKurrentRecord,
} from './kurrentdb-ledger-record.js';
import { prefetchedPages } from './paging.js';
import type { CommitListener } from './postgres-event-store.js';
import { resolveLimits, type LedgerLimits } from './limits.js';

export interface KurrentDbEventStoreOptions {
  /** e.g. `kurrentdb://localhost:2113?tls=false`. */
  readonly connectionString: string;
  /**
   * Put before every ledger stream name, so several logs (tests, rehearsals) can share a server.
   * Empty (the default) or letters, digits, `_`, `-` ending in `.`; stream ids never hold a dot.
   */
  readonly streamPrefix?: string;
  readonly limits?: Partial<LedgerLimits>;
  /** Source of recordedAt; the wall clock by default (tests pass a fixed one). */
  readonly clock?: () => Date;
  /** Default and largest `limit` of readStream / readAll, and the page size of pages(). */
  readonly readPageSize?: number;
  /**
   * Every this many positions the store remembers where the event sits in KurrentDB's `$all`, so a
   * read from a ledger position starts near it instead of at the beginning of `$all`.
   */
  readonly checkpointStride?: number;
}

/** Enough of a recorded event to answer a retry and to find it again. */
interface IndexedEvent {
  readonly position: number;
  readonly streamId: string;
  readonly streamRevision: number;
}

export class KurrentDbEventStore implements EventStore {
  readonly limits: LedgerLimits;
  readonly streamPrefix: string;
  private readonly client: KurrentDBClient;
  private readonly filter: Filter;
  private readonly clock: () => Date;
  private readonly readPageSize: number;
  private readonly checkpointStride: number;
  private readonly hasher = new ChainHasher();
  /**
   * Event id → where it is, for every event of the log: KurrentDB cannot look an event up by id
   * across streams, and idempotency must hold for a retry whatever stream or revision it names.
   */
  private readonly byEventId = new Map<string, IndexedEvent>();
  /** Stream → revision of its last event; a stream not here has none. */
  private readonly revisions = new Map<string, number>();
  /** Ledger position (a multiple of the stride) → where that event sits in `$all`. */
  private readonly checkpoints = new Map<number, Position>();
  /** The last event this writer knows of; the next append links to it. */
  private known: LogHead = { position: 0, hash: GENESIS_HASH };
  /** Set when a write's outcome or the view of the log is in doubt: re-read before writing on. */
  private dirty = false;
  /** The single writer: each append starts when the one before has been answered. */
  private tail: Promise<unknown> = Promise.resolve();
  private queuedEvents = 0;
  private lastRecordedAt = 0;
  private closed = false;
  private closing: Promise<void> | undefined;
  private readonly commitListeners = new Set<CommitListener>();

  private constructor(options: KurrentDbEventStoreOptions) {
    this.limits = resolveLimits(options.limits);
    this.streamPrefix = checkStreamPrefix(options.streamPrefix ?? '');
    this.clock = options.clock ?? (() => new Date());
    this.readPageSize = options.readPageSize ?? 1_000;
    this.checkpointStride = options.checkpointStride ?? 1_000;
    if (!Number.isSafeInteger(this.checkpointStride) || this.checkpointStride < 1) {
      throw new RangeError('checkpointStride must be a positive integer');
    }
    this.filter = streamNameFilter({ regex: kurrentLogStreamRegex(this.streamPrefix) });
    this.client = KurrentDBClient.connectionString(options.connectionString);
  }

  /**
   * Connects and reads the whole log once: the head, every stream's revision and every event id
   * (for idempotency), checking that positions run on without gaps and each event links to the one
   * before. Until that is done the store cannot assign the next position, so it is not handed out.
   */
  static async open(options: KurrentDbEventStoreOptions): Promise<KurrentDbEventStore> {
    const store = new KurrentDbEventStore(options);
    try {
      await store.catchUp();
    } catch (error) {
      await store.client.dispose();
      throw error;
    }
    return store;
  }

  /**
   * Calls `listener` after each append this writer has written (not for idempotent retries), with
   * its events in position order: what the relay and the checkpointer follow, as on PostgreSQL.
   */
  onCommitted(listener: CommitListener): () => void {
    this.commitListeners.add(listener);
    return () => {
      this.commitListeners.delete(listener);
    };
  }

  /**
   * Forgets this writer's picture of the log: the next append re-reads it first. For an instance
   * that has just become the leader: another one may have written since open().
   */
  invalidate(): void {
    this.dirty = true;
  }

  appendToStream(request: AppendRequest): Promise<AppendResult> {
    if (this.closed) return Promise.resolve(err(codedError('STORE_CLOSED', 'the store is closed')));
    const validated = validateAppendRequest(request, this.limits);
    if (!validated.ok) return Promise.resolve(validated);
    const append = validated.value;
    if (this.queuedEvents + append.events.length > this.limits.maxQueuedEvents) {
      return Promise.resolve(
        err(
          codedError(
            'LEDGER_OVERLOADED',
            'too many events are waiting to be written; retry shortly',
            { queuedEvents: this.queuedEvents, limit: this.limits.maxQueuedEvents },
          ),
        ),
      );
    }
    this.queuedEvents += append.events.length;
    const result = this.tail.then(() => this.appendOne(append));
    this.tail = result.finally(() => {
      this.queuedEvents -= append.events.length;
    });
    return result;
  }

  /** Read from KurrentDB, not from the writer's memory, so a reading-only instance sees it too. */
  async head(): Promise<LogHead> {
    for await (const resolved of this.client.readAll({
      direction: BACKWARDS,
      fromPosition: END,
      maxCount: 1,
      filter: this.filter,
    })) {
      const event = this.unpackAll(resolved);
      if (event !== undefined) return { position: event.position, hash: event.hash };
    }
    return { position: 0, hash: GENESIS_HASH };
  }

  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    const from = options.fromRevision ?? 0;
    checkNonNegativeInteger('fromRevision', from);
    const limit = this.checkLimit(options.limit);
    return this.readStreamRange(streamId, from, limit);
  }

  readStreams(reads: readonly StreamRead[]): Promise<RecordedEvent[][]> {
    return Promise.all(reads.map((r) => this.readStream(r.streamId, r)));
  }

  async readAll(options: ReadAllOptions = {}): Promise<RecordedEvent[]> {
    const from = options.fromPosition ?? 1;
    checkNonNegativeInteger('fromPosition', from);
    return this.readPage(Math.max(from, 1), this.checkLimit(options.limit));
  }

  /** Every event from `fromPosition` on, one page per round trip, the next one fetched early. */
  async *pages(options: IterateAllOptions = {}): AsyncGenerator<RecordedEvent[]> {
    yield* prefetchedPages(
      (from, limit) => this.readPage(from, limit),
      options.fromPosition ?? 1,
      options.pageSize ?? this.readPageSize,
    );
  }

  async *events(options: IterateAllOptions = {}): AsyncGenerator<RecordedEvent> {
    for await (const page of this.pages(options)) yield* page;
  }

  /** Stops taking appends, lets the queued ones finish, then closes the connection. */
  async close(): Promise<void> {
    this.closed = true;
    this.closing ??= (async () => {
      await this.tail;
      await this.client.dispose();
    })();
    await this.closing;
  }

  /** Answers one append; never throws (a throw would leave the caller without an answer). */
  private async appendOne(append: ValidatedAppend): Promise<AppendResult> {
    try {
      if (this.dirty) await this.catchUp();
      return await this.write(append);
    } catch (error) {
      this.dirty = true;
      return err(appendFailed(error));
    }
  }

  private async write(append: ValidatedAppend): Promise<AppendResult> {
    // Idempotency before the expected revision: a retry of an append that went through must not
    // fail as stale.
    const idempotent = await this.checkAgainstKnown(append);
    if (idempotent !== undefined) return idempotent;
    const current = this.revisions.get(append.streamId) ?? -1;
    if (!satisfiesExpectedRevision(append.expectedRevision, current)) {
      return err(staleRevision(append.streamId, append.expectedRevision, current));
    }
    const sealed = sealKurrentAppend(
      append,
      this.known,
      current,
      this.nextRecordedAt(),
      this.hasher,
    );
    try {
      const written = await this.client.appendToStream(
        kurrentStreamName(this.streamPrefix, append.streamId),
        sealed.map(toKurrentEventData),
        { streamState: kurrentStreamState(current) },
      );
      // Only with throwOnAppendFailure=false in the connection string: a refusal comes back as a
      // value, and the one refusal KurrentDB reports that way is a wrong expected revision.
      if (!written.success) {
        this.dirty = true;
        return err(
          staleRevision(
            append.streamId,
            append.expectedRevision,
            Number(written.nextExpectedRevision),
          ),
        );
      }
    } catch (error) {
      this.dirty = true;
      const certain = appendErrorFromKurrent(error, append.streamId, append.expectedRevision);
      if (certain !== undefined) return err(certain);
      // A timeout or a lost connection: the events may have landed. Re-read the log to know.
      await this.catchUp();
      if (sealed.every((s) => this.byEventId.get(s.event.eventId)?.position === s.position)) {
        this.notifyCommitted(sealed);
        return ok(kurrentAppendSuccess(append, sealed));
      }
      return err(appendFailed(error));
    }
    for (const s of sealed) this.remember(s.event.eventId, append.streamId, s);
    this.notifyCommitted(sealed);
    return ok(kurrentAppendSuccess(append, sealed));
  }

  private notifyCommitted(sealed: readonly SealedEvent[]): void {
    if (this.commitListeners.size === 0) return;
    // The canonical text parses to what a read gives back; built only when someone listens.
    const events: RecordedEvent[] = sealed.map((s) => ({
      eventId: s.event.eventId,
      type: s.event.type,
      schemaVersion: s.event.schemaVersion,
      streamId: s.event.streamId,
      data: JSON.parse(s.event.dataJson) as RecordedEvent['data'],
      metadata: JSON.parse(s.event.metadataJson) as RecordedEvent['metadata'],
      position: s.position,
      streamRevision: s.streamRevision,
      recordedAt: s.recordedAt,
      prevHash: s.prevHash,
      hash: s.hash,
    }));
    for (const listener of this.commitListeners) {
      try {
        listener(events);
      } catch (error) {
        queueMicrotask(() => {
          throw error;
        });
      }
    }
  }

  /**
   * Same ids as recorded events: the originals are read back from KurrentDB and compared in full
   * (stream, type, version, canonical data and metadata). Undefined when none is known: a new append.
   */
  private async checkAgainstKnown(append: ValidatedAppend): Promise<AppendResult | undefined> {
    const hits = append.events.flatMap((e) => {
      const hit = this.byEventId.get(e.eventId);
      return hit === undefined ? [] : [hit];
    });
    if (hits.length === 0) return undefined;
    const originals = await this.readIndexed(hits);
    // The index knew some of these ids: if none can be read back, they are not a new append either.
    return (
      idempotencyOutcome(
        append,
        (id) => originals.get(id),
        (original, event) => sameContent(recordedContent(original), event),
      ) ??
      partialDuplicate(
        0,
        append.events.map((e) => e.eventId),
      )
    );
  }

  /** The recorded events behind index entries: one ranged read per stream. */
  private async readIndexed(hits: readonly IndexedEvent[]): Promise<Map<string, RecordedEvent>> {
    const ranges = new Map<string, { from: number; to: number }>();
    for (const hit of hits) {
      const range = ranges.get(hit.streamId);
      ranges.set(hit.streamId, {
        from: Math.min(range?.from ?? hit.streamRevision, hit.streamRevision),
        to: Math.max(range?.to ?? hit.streamRevision, hit.streamRevision),
      });
    }
    const found = new Map<string, RecordedEvent>();
    for (const [streamId, { from, to }] of ranges) {
      for (const event of await this.readStreamRange(streamId, from, to - from + 1)) {
        found.set(event.eventId, event);
      }
    }
    return found;
  }

  private async readStreamRange(
    streamId: string,
    from: number,
    count: number,
  ): Promise<RecordedEvent[]> {
    const events: RecordedEvent[] = [];
    try {
      for await (const resolved of this.client.readStream(
        kurrentStreamName(this.streamPrefix, streamId),
        { fromRevision: BigInt(from), maxCount: count },
      )) {
        if (resolved.event !== undefined) {
          events.push(unpackKurrentRecord(resolved.event, this.streamPrefix));
        }
      }
    } catch (error) {
      if (error instanceof StreamNotFoundError) return [];
      throw error;
    }
    return events;
  }

  /**
   * Events from a ledger position on. `$all` is read from the nearest remembered checkpoint before
   * it (or from the start) with the server filtering to this log's streams; since one writer
   * appends in position order, `$all` holds the log's events in position order.
   */
  private async readPage(fromPosition: number, limit: number): Promise<RecordedEvent[]> {
    const [checkpointPosition, start] = this.nearestCheckpoint(fromPosition);
    const page: RecordedEvent[] = [];
    for await (const resolved of this.client.readAll({
      fromPosition: start,
      // Enough for the skipped run after the checkpoint (the checkpoint's own event included,
      // whether or not the server counts the start as inclusive) and the page itself.
      maxCount: fromPosition - checkpointPosition + limit,
      filter: this.filter,
    })) {
      const event = this.unpackAll(resolved);
      if (event === undefined || event.position < fromPosition) continue;
      page.push(event);
      if (page.length >= limit) break;
    }
    return page;
  }

  /**
   * Reads the log from the last checkpoint before the known head and takes in every event after
   * it. At open that is the whole log; after a doubtful write it finds out whether it landed.
   */
  private async catchUp(): Promise<void> {
    const [, start] = this.nearestCheckpoint(this.known.position + 1);
    for await (const resolved of this.client.readAll({
      fromPosition: start,
      filter: this.filter,
    })) {
      const event = this.unpackAll(resolved);
      if (event === undefined || event.position <= this.known.position) continue;
      if (event.position !== this.known.position + 1 || event.prevHash !== this.known.hash) {
        throw new Error(
          `the log does not run on after position ${this.known.position}: found position ${event.position} linking to ${event.prevHash}`,
        );
      }
      this.remember(event.eventId, event.streamId, event);
    }
    this.dirty = false;
  }

  private remember(
    eventId: string,
    streamId: string,
    at: { position: number; streamRevision: number; hash: string },
  ): void {
    this.byEventId.set(eventId, {
      position: at.position,
      streamId,
      streamRevision: at.streamRevision,
    });
    this.revisions.set(streamId, at.streamRevision);
    this.known = { position: at.position, hash: at.hash };
  }

  private unpackAll(resolved: AllStreamResolvedEvent): RecordedEvent | undefined {
    const record = resolved.event;
    if (record === undefined) return undefined;
    const event = unpackKurrentRecord(record, this.streamPrefix);
    if (event.position % this.checkpointStride === 0) {
      this.checkpoints.set(event.position, record.position);
    }
    return event;
  }

  /** The remembered checkpoint closest below `position`, or the start of `$all` (position 0). */
  private nearestCheckpoint(position: number): [number, ReadPosition] {
    for (
      let at = Math.floor((position - 1) / this.checkpointStride) * this.checkpointStride;
      at > 0;
      at -= this.checkpointStride
    ) {
      const found = this.checkpoints.get(at);
      if (found !== undefined) return [at, found];
    }
    return [0, START];
  }

  private checkLimit(limit: number | undefined): number {
    if (limit === undefined) return this.readPageSize;
    if (!Number.isSafeInteger(limit) || limit < 1 || limit > this.readPageSize) {
      throw new RangeError(`limit must be an integer from 1 to ${this.readPageSize}`);
    }
    return limit;
  }

  /** recordedAt never goes backwards, even if the wall clock does, and has milliseconds only. */
  private nextRecordedAt(): string {
    const now = Math.max(this.clock().getTime(), this.lastRecordedAt);
    this.lastRecordedAt = now;
    return new Date(now).toISOString();
  }
}

function appendFailed(error: unknown): AppendError {
  return codedError(
    'APPEND_FAILED',
    `the ledger could not write to KurrentDB: ${error instanceof Error ? error.message : String(error)}`,
  );
}

function checkNonNegativeInteger(name: string, value: number): void {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new RangeError(`${name} must be a non-negative integer, got ${String(value)}`);
  }
}
