// The event log in PostgreSQL with one writer and group commit: appends queue up while a batch is
// being committed and go in together, each request still checked and answered on its own.
import type { EventMetadata, RecordedEvent } from '@hpe/domain';
import { codedError, err, ok } from '@hpe/domain';
import pg from 'pg';
import { canonicalEventJsonFromParts } from '../chain/canonical-event.js';
import { canonicalJson } from '../chain/canonical-json.js';
import { ChainHasher, GENESIS_HASH } from '../chain/chain-hash.js';
import {
  validateAppendRequest,
  type ValidatedAppend,
  type ValidatedEvent,
} from './append-request.js';
import type {
  AppendRequest,
  AppendResult,
  EventStore,
  ExpectedRevision,
  IterateAllOptions,
  LogHead,
  ReadAllOptions,
  ReadStreamOptions,
  StreamRead,
} from './event-store.js';
import { idempotencyOutcome } from './idempotency.js';
import { prefetchedPages } from './paging.js';
import { resolveLimits, type LedgerLimits } from './limits.js';

export interface PostgresEventStoreOptions {
  /** Connects as the ledger's role (INSERT and SELECT on ledger.events, nothing more). */
  readonly connectionString: string;
  readonly limits?: Partial<LedgerLimits>;
  /** Connections: one writes, the rest serve reads. */
  readonly poolSize?: number;
  /**
   * `synchronous_commit` for the ledger's sessions; on by default, so an acknowledged append has
   * reached the disk. Turning it off is for throw-away demo data only.
   */
  readonly durable?: boolean;
  /** Source of recordedAt; the wall clock by default (tests pass a fixed one). */
  readonly clock?: () => Date;
  /** Default and largest `limit` of readStream / readAll, and the page size of pages(). */
  readonly readPageSize?: number;
  /**
   * Streams whose current revision the writer remembers, saving a database probe per append to a
   * stream it has written or read before. Safe because it is the only writer; emptied on failure.
   */
  readonly maxCachedStreams?: number;
  /** Longest any one statement may run before PostgreSQL cancels it; 30 s by default. */
  readonly statementTimeoutMs?: number;
}

/** Counters of what the writer did, for metrics and for tests that check batching. */
export interface WriterStats {
  /** Batches handled (each one INSERT at most, one transaction). */
  readonly batches: number;
  /** Requests answered from those batches (successes and per-request failures). */
  readonly requests: number;
  /** Events written. */
  readonly eventsWritten: number;
  /** Largest number of requests in one batch. */
  readonly largestBatch: number;
}

interface QueuedAppend {
  readonly append: ValidatedAppend;
  readonly resolve: (result: AppendResult) => void;
}

/** Enough of an already assigned event to tell a retry from a conflict. */
interface KnownEvent {
  readonly position: number;
  readonly streamRevision: number;
  readonly streamId: string;
  readonly type: string;
  readonly schemaVersion: number;
  readonly dataJson: string;
  readonly metadataJson: string;
}

interface EventRow {
  position: string;
  event_id: string;
  stream_id: string;
  stream_revision: number;
  type: string;
  schema_version: number;
  data: Record<string, unknown>;
  metadata: EventMetadata;
  recorded_at: string;
  prev_hash: string;
  hash: string;
}

const eventColumns = `position, event_id, stream_id, stream_revision, type, schema_version, data, metadata,
  to_char(recorded_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS recorded_at,
  encode(prev_hash, 'hex') AS prev_hash, encode(hash, 'hex') AS hash`;

const headSql = `SELECT position, encode(hash, 'hex') AS hash FROM ledger.events ORDER BY position DESC LIMIT 1`;

// max() over the (stream_id, stream_revision) unique index is one backward probe per stream.
const revisionsSql = `SELECT s AS stream_id,
  (SELECT max(stream_revision) FROM ledger.events WHERE stream_id = s) AS revision
  FROM unnest($1::text[]) AS s`;

const knownEventsSql = `SELECT position, event_id, stream_id, stream_revision, type, schema_version, data, metadata
  FROM ledger.events WHERE event_id = ANY($1::uuid[])`;

// One statement for the whole batch: column arrays unnested into rows. A single statement is one
// transaction; its commit is the batch's single fsync.
const insertSql = `INSERT INTO ledger.events
  (position, event_id, stream_id, stream_revision, type, schema_version, data, metadata, recorded_at, prev_hash, hash)
  SELECT p, e, s, r, t, v, d::jsonb, m::jsonb, $9::timestamptz, decode(ph, 'hex'), decode(h, 'hex')
  FROM unnest($1::bigint[], $2::uuid[], $3::text[], $4::int[], $5::text[], $6::int[], $7::text[], $8::text[],
              $10::text[], $11::text[]) AS u(p, e, s, r, t, v, d, m, ph, h)`;

/** Listener of committed batches (see PostgresEventStore.onCommitted). */
export type CommitListener = (events: readonly RecordedEvent[]) => void;

/** A batch planned against a head: the rows to insert and each request's answer. */
interface BatchPlan {
  readonly rows: BatchRows;
  readonly results: AppendResult[];
  /** Head after the batch. */
  readonly position: number;
  readonly prevHex: string;
  /** Every stream's revision after the batch. */
  readonly revisions: ReadonlyMap<string, number>;
}

/** Column arrays for the batch INSERT, filled in position order. */
class BatchRows {
  readonly position: number[] = [];
  readonly eventId: string[] = [];
  readonly streamId: string[] = [];
  readonly streamRevision: number[] = [];
  readonly type: string[] = [];
  readonly schemaVersion: number[] = [];
  readonly data: string[] = [];
  readonly metadata: string[] = [];
  readonly prevHash: string[] = [];
  readonly hash: string[] = [];

  get length(): number {
    return this.position.length;
  }

  /** The rows as recorded events; the canonical text parses to what JSONB would give back. */
  recorded(recordedAt: string): RecordedEvent[] {
    return this.position.map((position, i) => ({
      eventId: at(this.eventId, i),
      type: at(this.type, i),
      schemaVersion: at(this.schemaVersion, i),
      streamId: at(this.streamId, i),
      data: JSON.parse(at(this.data, i)) as Record<string, unknown>,
      metadata: JSON.parse(at(this.metadata, i)) as EventMetadata,
      position,
      streamRevision: at(this.streamRevision, i),
      recordedAt,
      prevHash: at(this.prevHash, i),
      hash: at(this.hash, i),
    }));
  }

  params(recordedAt: string): unknown[] {
    return [
      this.position,
      this.eventId,
      this.streamId,
      this.streamRevision,
      this.type,
      this.schemaVersion,
      this.data,
      this.metadata,
      recordedAt,
      this.prevHash,
      this.hash,
    ];
  }
}

export class PostgresEventStore implements EventStore {
  readonly limits: LedgerLimits;
  private readonly pool: pg.Pool;
  private readonly clock: () => Date;
  private readonly readPageSize: number;
  private readonly hasher = new ChainHasher();
  private queue: QueuedAppend[] = [];
  private queuedEvents = 0;
  private draining: Promise<void> | undefined;
  /** The single writer's view of the log's end; dropped whenever a write fails. */
  private cachedHead: LogHead | undefined;
  /** Stream → revision of its last event (−1: no events), oldest first; dropped on failure. */
  private readonly cachedRevisions = new Map<string, number>();
  private readonly maxCachedStreams: number;
  private lastRecordedAt = 0;
  private closed = false;
  private closing: Promise<void> | undefined;
  private counters = { batches: 0, requests: 0, eventsWritten: 0, largestBatch: 0 };
  private readonly commitListeners = new Set<CommitListener>();

  constructor(options: PostgresEventStoreOptions) {
    this.limits = resolveLimits(options.limits);
    this.clock = options.clock ?? (() => new Date());
    this.readPageSize = options.readPageSize ?? 1_000;
    this.maxCachedStreams = options.maxCachedStreams ?? 100_000;
    this.pool = new pg.Pool({
      connectionString: options.connectionString,
      max: options.poolSize ?? 4,
      connectionTimeoutMillis: 10_000,
      // Session settings at connect time, so no query runs with the server's defaults.
      options: [
        `-c synchronous_commit=${options.durable === false ? 'off' : 'on'}`,
        `-c statement_timeout=${options.statementTimeoutMs ?? 30_000}`,
      ].join(' '),
    });
    // An idle connection that dies (server restart) must not crash the process; the next query
    // opens a new one.
    this.pool.on('error', () => undefined);
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
            {
              queuedEvents: this.queuedEvents,
              limit: this.limits.maxQueuedEvents,
            },
          ),
        ),
      );
    }
    return new Promise<AppendResult>((resolve) => {
      this.queue.push({ append, resolve });
      this.queuedEvents += append.events.length;
      this.startDraining();
    });
  }

  /**
   * Calls `listener` after each batch commits, with that batch's new events in position order
   * (the JetStream relay follows the log this way). Returns a function that removes it. A listener
   * that throws is a bug: the error is rethrown outside the writer so appends keep their answers.
   */
  onCommitted(listener: CommitListener): () => void {
    this.commitListeners.add(listener);
    return () => {
      this.commitListeners.delete(listener);
    };
  }

  get stats(): WriterStats {
    return { ...this.counters };
  }

  async head(): Promise<LogHead> {
    const { rows } = await this.pool.query<{ position: string; hash: string }>(headSql);
    const row = rows[0];
    return row === undefined
      ? { position: 0, hash: GENESIS_HASH }
      : { position: Number(row.position), hash: row.hash };
  }

  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    const from = options.fromRevision ?? 0;
    const limit = this.checkLimit(options.limit);
    checkNonNegativeInteger('fromRevision', from);
    const { rows } = await this.pool.query<EventRow>(
      `SELECT ${eventColumns} FROM ledger.events
        WHERE stream_id = $1 AND stream_revision >= $2 ORDER BY stream_revision LIMIT $3`,
      [streamId, from, limit],
    );
    return rows.map(toRecordedEvent);
  }

  async readStreams(reads: readonly StreamRead[]): Promise<RecordedEvent[][]> {
    if (reads.length === 0) return [];
    const limits = reads.map((r) => this.checkLimit(r.limit));
    const froms = reads.map((r) => r.fromRevision ?? 0);
    for (const from of froms) checkNonNegativeInteger('fromRevision', from);
    // One statement: each stream's page through the (stream_id, stream_revision) index.
    const { rows } = await this.pool.query<EventRow & { ord: string }>(
      `SELECT r.ord, e.* FROM unnest($1::text[], $2::int[]) WITH ORDINALITY AS r(sid, from_rev, ord)
        CROSS JOIN LATERAL (SELECT ${eventColumns} FROM ledger.events
          WHERE stream_id = r.sid AND stream_revision >= r.from_rev
          ORDER BY stream_revision LIMIT $3) e
        ORDER BY r.ord, e.stream_revision`,
      [reads.map((r) => r.streamId), froms, Math.max(...limits)],
    );
    const pages: RecordedEvent[][] = reads.map(() => []);
    for (const row of rows) {
      const index = Number(row.ord) - 1;
      const page = pages[index];
      if (page !== undefined && page.length < (limits[index] ?? 0)) page.push(toRecordedEvent(row));
    }
    return pages;
  }

  async readAll(options: ReadAllOptions = {}): Promise<RecordedEvent[]> {
    const from = options.fromPosition ?? 1;
    checkNonNegativeInteger('fromPosition', from);
    return this.readPage(from, this.checkLimit(options.limit));
  }

  /**
   * Every event from `fromPosition` on, one page per round trip. The next page is requested before
   * the current one is handed out, so the database works while the caller (say, the verifier) does.
   */
  async *pages(options: IterateAllOptions = {}): AsyncGenerator<RecordedEvent[]> {
    yield* prefetchedPages(
      (from, limit) => this.readPage(from, limit),
      options.fromPosition ?? 1,
      options.pageSize ?? this.readPageSize,
    );
  }

  /** The same events one by one, for callers that prefer a flat iterator. */
  async *events(options: IterateAllOptions = {}): AsyncGenerator<RecordedEvent> {
    for await (const page of this.pages(options)) yield* page;
  }

  /** Stops taking appends, lets the queued ones commit, then closes the connections. */
  async close(): Promise<void> {
    this.closed = true;
    this.closing ??= (async () => {
      while (this.draining !== undefined) await this.draining;
      await this.pool.end();
    })();
    await this.closing;
  }

  private async readPage(fromPosition: number, limit: number): Promise<RecordedEvent[]> {
    const { rows } = await this.pool.query<EventRow>(
      `SELECT ${eventColumns} FROM ledger.events WHERE position >= $1 ORDER BY position LIMIT $2`,
      [fromPosition, limit],
    );
    return rows.map(toRecordedEvent);
  }

  private checkLimit(limit: number | undefined): number {
    if (limit === undefined) return this.readPageSize;
    if (!Number.isSafeInteger(limit) || limit < 1 || limit > this.readPageSize) {
      throw new RangeError(`limit must be an integer from 1 to ${this.readPageSize}`);
    }
    return limit;
  }

  private startDraining(): void {
    if (this.draining !== undefined) return;
    // setImmediate: appends issued in the same tick (Promise.all of many callers) join the first
    // batch instead of the first caller committing alone.
    this.draining = new Promise<void>((resolve) => setImmediate(resolve)).then(() => this.drain());
  }

  private async drain(): Promise<void> {
    try {
      while (this.queue.length > 0) await this.commit(this.takeBatch());
    } finally {
      // Runs in the same microtask as the last empty-queue check, so no append can slip in
      // between and be left waiting with no drain running.
      this.draining = undefined;
    }
  }

  private takeBatch(): QueuedAppend[] {
    let events = 0;
    let bytes = 0;
    let count = 0;
    for (const queued of this.queue) {
      const n = queued.append.events.length;
      const b = queued.append.bytes;
      // A request is never split; the first one always goes, whatever its size.
      if (
        count > 0 &&
        (events + n > this.limits.maxBatchEvents || bytes + b > this.limits.maxBatchBytes)
      )
        break;
      events += n;
      bytes += b;
      count += 1;
    }
    const batch = this.queue.slice(0, count);
    this.queue = this.queue.slice(count);
    this.queuedEvents -= events;
    return batch;
  }

  /** Commits one batch and answers every request in it; never throws. */
  private async commit(batch: readonly QueuedAppend[]): Promise<void> {
    let results: AppendResult[];
    let committed: readonly RecordedEvent[];
    try {
      ({ results, committed } = await this.writeBatch(batch));
    } catch (error) {
      // Whatever failed, the writer's picture of the log may be wrong now: read it afresh.
      this.cachedHead = undefined;
      this.cachedRevisions.clear();
      if (batch.length > 1 && isRequestSpecificFailure(error)) {
        // One request may carry something the database refuses that validation did not catch;
        // alone, it fails by itself and the others go through.
        for (const queued of batch) await this.commit([queued]);
        return;
      }
      const failure = err(
        codedError('APPEND_FAILED', `the ledger could not commit: ${describeError(error)}`, {
          ...(isDatabaseError(error) ? { sqlState: error.code } : {}),
        }),
      );
      for (const queued of batch) queued.resolve(failure);
      return;
    }
    if (committed.length > 0) this.notifyCommitted(committed);
    for (const [i, queued] of batch.entries()) {
      const result = results[i];
      // writeBatch returns one result per request, in order: a missing one is a bug.
      if (result === undefined) throw new Error(`no result for request ${i} of the batch`);
      queued.resolve(result);
    }
  }

  private notifyCommitted(events: readonly RecordedEvent[]): void {
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

  private async writeBatch(
    batch: readonly QueuedAppend[],
  ): Promise<{ results: AppendResult[]; committed: readonly RecordedEvent[] }> {
    const client = await this.pool.connect();
    let released = false;
    try {
      const head = this.cachedHead ?? (await readHead(client));
      const revisions = new Map<string, number>();
      const uncached: string[] = [];
      for (const { append } of batch) {
        const cached = this.cachedRevisions.get(append.streamId);
        if (cached !== undefined) revisions.set(append.streamId, cached);
        else if (!revisions.has(append.streamId)) {
          revisions.set(append.streamId, -1);
          uncached.push(append.streamId);
        }
      }
      if (uncached.length > 0) {
        for (const [streamId, revision] of await readRevisions(client, uncached)) {
          revisions.set(streamId, revision);
        }
      }
      const recordedAt = this.nextRecordedAt();
      // Most appends carry ids never seen before, and the insert itself proves it (event_id is
      // unique): planned as if none were known, the batch costs one round trip. If an id was
      // recorded already (a retry), the statement fails as a whole and writes nothing; then the
      // recorded events are looked up and the batch planned again with them. A request refused
      // as stale may be the retry of one that succeeded (whose answer is its original positions),
      // so any refusal takes the look-up path before anything is written.
      const withKnown = async (): Promise<BatchPlan> => {
        const eventIds = batch.flatMap((q) => q.append.events.map((e) => e.eventId));
        const known = await readKnownEvents(client, eventIds);
        return this.planBatch(batch, head, revisions, known, recordedAt);
      };
      let plan = this.planBatch(batch, head, revisions, new Map(), recordedAt);
      if (plan.results.some((result) => !result.ok)) plan = await withKnown();
      try {
        if (plan.rows.length > 0) await insertRows(client, plan.rows, recordedAt);
      } catch (error) {
        if (!isEventIdConflict(error)) throw error;
        plan = await withKnown();
        if (plan.rows.length > 0) await insertRows(client, plan.rows, recordedAt);
      }
      const { rows, results, position, prevHex } = plan;
      this.cachedHead = { position, hash: prevHex };
      this.rememberRevisions(plan.revisions);
      this.counters.batches += 1;
      this.counters.requests += batch.length;
      this.counters.eventsWritten += rows.length;
      this.counters.largestBatch = Math.max(this.counters.largestBatch, batch.length);
      // Built only when someone listens: parsing the canonical text back costs time per event.
      const committed =
        this.commitListeners.size > 0 && rows.length > 0 ? rows.recorded(recordedAt) : [];
      return { results, committed };
    } catch (error) {
      released = true;
      // A failed connection must not return to the pool; a failed statement leaves it usable,
      // but failures are rare enough that a fresh connection is the simpler rule.
      client.release(error instanceof Error ? error : new Error(String(error)));
      throw error;
    } finally {
      if (!released) client.release();
    }
  }

  /**
   * Positions, revisions and hashes for a batch, given the head, the streams' revisions and the
   * events already recorded under the batch's ids; answers each request. Changes nothing.
   */
  private planBatch(
    batch: readonly QueuedAppend[],
    head: LogHead,
    revisions: ReadonlyMap<string, number>,
    known: Map<string, KnownEvent>,
    recordedAt: string,
  ): BatchPlan {
    const planned = new Map(revisions);
    const rows = new BatchRows();
    const results: AppendResult[] = [];
    let position = head.position;
    let prevHex = head.hash;

    for (const { append } of batch) {
      const idempotent = checkAgainstKnown(append, known);
      if (idempotent !== undefined) {
        results.push(idempotent);
        continue;
      }
      const current = planned.get(append.streamId) ?? -1;
      if (!satisfies(append.expectedRevision, current)) {
        results.push(
          err(
            codedError(
              'STALE_REVISION',
              `stream ${append.streamId} is at ${current < 0 ? 'no_stream' : `revision ${current}`}, not at the expected ${String(append.expectedRevision)}`,
              {
                streamId: append.streamId,
                expected: append.expectedRevision,
                actual: current < 0 ? 'no_stream' : current,
              },
            ),
          ),
        );
        continue;
      }
      const first = position + 1;
      for (const [i, event] of append.events.entries()) {
        position += 1;
        const streamRevision = current + 1 + i;
        const hashHex = this.hasher.link(
          prevHex,
          canonicalEventJsonFromParts({
            position,
            eventId: event.eventId,
            type: event.type,
            schemaVersion: event.schemaVersion,
            streamId: event.streamId,
            streamRevision,
            recordedAt,
            dataJson: event.dataJson,
            metadataJson: event.metadataJson,
          }),
        );
        rows.position.push(position);
        rows.eventId.push(event.eventId);
        rows.streamId.push(event.streamId);
        rows.streamRevision.push(streamRevision);
        rows.type.push(event.type);
        rows.schemaVersion.push(event.schemaVersion);
        rows.data.push(event.dataJson);
        rows.metadata.push(event.metadataJson);
        rows.prevHash.push(prevHex);
        rows.hash.push(hashHex);
        // Later requests in this batch see these events as recorded (retries, conflicts).
        known.set(event.eventId, { ...event, position, streamRevision });
        prevHex = hashHex;
      }
      const nextRevision = current + append.events.length;
      planned.set(append.streamId, nextRevision);
      results.push(
        ok({
          positions: [first, position] as const,
          nextRevision,
          eventIds: append.events.map((e) => e.eventId),
        }),
      );
    }

    return { rows, results, position, prevHex, revisions: planned };
  }

  private rememberRevisions(revisions: ReadonlyMap<string, number>): void {
    for (const [streamId, revision] of revisions) {
      // Re-inserted to move it to the young end: the Map's order is the eviction order.
      this.cachedRevisions.delete(streamId);
      this.cachedRevisions.set(streamId, revision);
    }
    for (const oldest of this.cachedRevisions.keys()) {
      if (this.cachedRevisions.size <= this.maxCachedStreams) break;
      this.cachedRevisions.delete(oldest);
    }
  }

  /** recordedAt never goes backwards, even if the wall clock does, and has milliseconds only. */
  private nextRecordedAt(): string {
    const now = Math.max(this.clock().getTime(), this.lastRecordedAt);
    this.lastRecordedAt = now;
    return new Date(now).toISOString();
  }
}

/** Named, so PostgreSQL parses and plans the batch INSERT once per connection. */
async function insertRows(
  client: pg.ClientBase,
  rows: BatchRows,
  recordedAt: string,
): Promise<void> {
  await client.query({
    name: 'ledger-insert-batch',
    text: insertSql,
    values: rows.params(recordedAt),
  });
}

/** The batch reused an event id already recorded: the one failure the look-up path resolves. */
function isEventIdConflict(error: unknown): boolean {
  return (
    isDatabaseError(error) && error.code === '23505' && error.constraint === 'events_event_id_key'
  );
}

async function readHead(client: pg.ClientBase): Promise<LogHead> {
  const { rows } = await client.query<{ position: string; hash: string }>(headSql);
  const row = rows[0];
  return row === undefined
    ? { position: 0, hash: GENESIS_HASH }
    : { position: Number(row.position), hash: row.hash };
}

async function readRevisions(
  client: pg.ClientBase,
  streamIds: readonly string[],
): Promise<Map<string, number>> {
  const { rows } = await client.query<{ stream_id: string; revision: number | null }>(
    revisionsSql,
    [streamIds],
  );
  const revisions = new Map<string, number>();
  for (const row of rows) if (row.revision !== null) revisions.set(row.stream_id, row.revision);
  return revisions;
}

async function readKnownEvents(
  client: pg.ClientBase,
  eventIds: readonly string[],
): Promise<Map<string, KnownEvent>> {
  const { rows } = await client.query<Omit<EventRow, 'recorded_at' | 'prev_hash' | 'hash'>>(
    knownEventsSql,
    [eventIds],
  );
  const known = new Map<string, KnownEvent>();
  for (const row of rows) {
    known.set(row.event_id, {
      position: Number(row.position),
      streamRevision: row.stream_revision,
      streamId: row.stream_id,
      type: row.type,
      schemaVersion: row.schema_version,
      // Canonical text of what JSONB gives back equals the canonical text that was hashed.
      dataJson: canonicalJson(row.data),
      metadataJson: canonicalJson(row.metadata),
    });
  }
  return known;
}

/** Idempotency by event id against the events this batch found recorded (idempotency.ts). */
function checkAgainstKnown(
  append: ValidatedAppend,
  known: ReadonlyMap<string, KnownEvent>,
): AppendResult | undefined {
  return idempotencyOutcome(append, (id) => known.get(id), sameContent);
}

function sameContent(original: KnownEvent, event: ValidatedEvent): boolean {
  return (
    original.streamId === event.streamId &&
    original.type === event.type &&
    original.schemaVersion === event.schemaVersion &&
    original.dataJson === event.dataJson &&
    original.metadataJson === event.metadataJson
  );
}

/** `current` is the revision of the stream's last event, −1 when the stream has none. */
function satisfies(expected: ExpectedRevision, current: number): boolean {
  switch (expected) {
    case 'any':
      return true;
    case 'no_stream':
      return current < 0;
    case 'stream_exists':
      return current >= 0;
    default:
      return expected === current;
  }
}

function at<T>(column: readonly T[], i: number): T {
  const value = column[i];
  // Every column gets one push per row, so each has as many entries as `position`.
  if (value === undefined) throw new Error(`batch column has no row ${i}`);
  return value;
}

function toRecordedEvent(row: EventRow): RecordedEvent {
  return {
    eventId: row.event_id,
    type: row.type,
    schemaVersion: row.schema_version,
    streamId: row.stream_id,
    data: row.data,
    metadata: row.metadata,
    position: Number(row.position),
    streamRevision: row.stream_revision,
    recordedAt: row.recorded_at,
    prevHash: row.prev_hash,
    hash: row.hash,
  };
}

function checkNonNegativeInteger(name: string, value: number): void {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new RangeError(`${name} must be a non-negative integer, got ${String(value)}`);
  }
}

function isDatabaseError(error: unknown): error is pg.DatabaseError {
  return error instanceof pg.DatabaseError;
}

/** Data, constraint and size errors are about a row; connection and server errors are not. */
function isRequestSpecificFailure(error: unknown): boolean {
  return isDatabaseError(error) && /^(22|23|54)/.test(error.code ?? '');
}

function describeError(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
