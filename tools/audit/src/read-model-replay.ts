// The auditor's replay: every read model rebuilt from ledger.events (read only, one snapshot) into a
// schema of its own with the projections' SchemaReplay, up to the head, a position or a time; and
// the live read models read at one consistent position to compare with it.
import type { RecordedEvent } from '@hpe/domain';
import { readChainRange, type ChainEvent } from '@hpe/ledger';
import {
  allProjections,
  liveSchema,
  loadReferenceModel,
  loadRows,
  projectionNames,
  quoteIdent,
  readCheckpoints,
  SchemaReplay,
  tableNames,
  type DirtyRows,
  type TableName,
} from '@hpe/read-models';
import pg from 'pg';
import { digestTable, type DigestedTable } from './read-model-digest.js';

/** Where a replay stops. */
export type ReplayTarget =
  | { readonly kind: 'head' }
  | { readonly kind: 'position'; readonly position: number }
  /** The last event recorded at or before this instant (ISO 8601 with an offset). */
  | { readonly kind: 'time'; readonly at: string };

/** The replay could not be asked for as given (a position past the head, …): usage. */
export class ReplayTargetError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ReplayTargetError';
  }
}

/**
 * The log cannot be replayed to the target: an event the projections refuse, a missing position.
 * A finding about the log, not a fault of the tool.
 */
export class ReplayFailedError extends Error {
  constructor(
    readonly position: number,
    message: string,
  ) {
    super(message);
    this.name = 'ReplayFailedError';
  }
}

export interface ResolvedTarget {
  readonly position: number;
  /** recordedAt of the event at `position`; null at position 0. */
  readonly recordedAt: string | null;
  /** The log's head in the snapshot the replay reads. */
  readonly head: number;
}

export interface ReplayProgress {
  (eventsReplayed: number): void;
}

export interface ReplaySummary extends ResolvedTarget {
  readonly schema: string;
  /** Where the replay started: 0 for a fresh one, the schema's position when carried forward. */
  readonly from: number;
  readonly events: number;
  readonly seconds: number;
}

const recordedAtText = `to_char(recorded_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

async function connect(databaseUrl: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: databaseUrl, connectionTimeoutMillis: 10_000 });
  // A dropped connection emits 'error' on the client; without a listener Node would exit.
  client.on('error', () => undefined);
  await client.connect();
  return client;
}

/** Opens a read-only snapshot of the database: every read after it sees the same rows. */
async function openSnapshot(databaseUrl: string): Promise<pg.Client> {
  const client = await connect(databaseUrl);
  try {
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    return client;
  } catch (error) {
    await client.end().catch(() => undefined);
    throw error;
  }
}

async function closeSnapshot(client: pg.Client): Promise<void> {
  await client.query('COMMIT').catch(() => undefined);
  await client.end().catch(() => undefined);
}

/** The position a target stands for, in the snapshot `client` reads. */
export async function resolveTarget(
  client: pg.ClientBase,
  target: ReplayTarget,
): Promise<ResolvedTarget> {
  const { rows } = await client.query<{ head: string | null }>(
    'SELECT max(position)::text AS head FROM ledger.events',
  );
  const head = Number(rows[0]?.head ?? 0);
  let position: number;
  switch (target.kind) {
    case 'head':
      position = head;
      break;
    case 'position':
      if (target.position > head) {
        throw new ReplayTargetError(
          `the log ends at position ${head}; there is no position ${target.position} to replay to`,
        );
      }
      position = target.position;
      break;
    case 'time': {
      // max() rather than a search on the position index: correct even if recorded_at ever went
      // backwards (the writer never lets it, but the auditor should not have to trust that).
      const found = await client.query<{ position: string | null }>(
        'SELECT max(position)::text AS position FROM ledger.events WHERE recorded_at <= $1::timestamptz',
        [target.at],
      );
      position = Number(found.rows[0]?.position ?? 0);
      break;
    }
    default: {
      const unknownTarget: never = target;
      throw new Error(`replay target ${JSON.stringify(unknownTarget)}`);
    }
  }
  if (position === 0) return { position, recordedAt: null, head };
  const at = await client.query<{ recorded_at: string }>(
    `SELECT ${recordedAtText} AS recorded_at FROM ledger.events WHERE position = $1`,
    [position],
  );
  return { position, recordedAt: at.rows[0]?.recorded_at ?? null, head };
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * A stored row as the projections take it. The fields they read are checked here; each event's
 * data is then checked against its domain schema by the projections that read it. The envelope is
 * not parsed with zod as the live projector parses a JetStream message: at 3 million events that
 * alone would cost more than a third of the replay, and the envelope as stored is what the hash
 * chain covers (`hpe-audit verify`). Metadata is carried, never read by a projection.
 */
function toRecordedEvent(event: ChainEvent): RecordedEvent {
  // position, type and recordedAt come from typed columns (bigint, text, timestamptz).
  if (!hasObjectPayload(event)) {
    throw new ReplayFailedError(
      event.position,
      `the event at position ${event.position} is not a valid event envelope (data and metadata must be JSON objects)`,
    );
  }
  // The row itself, not a copy: 3 million copies would only feed the garbage collector.
  return event;
}

function hasObjectPayload(event: ChainEvent): event is ChainEvent & RecordedEvent {
  return isRecord(event.data) && isRecord(event.metadata);
}

/** Rows are written after this many events (and at the end). */
const defaultFlushEvery = 100_000;

/** Replays `from + 1 … to` of the snapshot `reader` into `replay` (state already at `from`). */
async function drive(
  reader: pg.ClientBase,
  replay: SchemaReplay,
  range: { readonly from: number; readonly to: number },
  options: { readonly onProgress?: ReplayProgress; readonly flushEvery?: number },
): Promise<number> {
  const flushEvery = options.flushEvery ?? defaultFlushEvery;
  let events = 0;
  let sinceFlush = 0;
  for await (const page of readChainRange(reader, range.from + 1, range.to)) {
    const recorded = page.map(toRecordedEvent);
    try {
      replay.engine.apply(recorded);
    } catch (error) {
      // The projections refused an event, or positions do not follow: the log is at fault.
      throw new ReplayFailedError(
        replay.engine.position + 1,
        error instanceof Error ? error.message : String(error),
      );
    }
    events += page.length;
    sinceFlush += page.length;
    if (sinceFlush >= flushEvery) {
      sinceFlush = 0;
      await replay.flush();
    }
    options.onProgress?.(events);
  }
  if (replay.engine.position !== range.to) {
    const missing = replay.engine.position + 1;
    throw new ReplayFailedError(missing, `the log has no event at position ${missing}`);
  }
  await replay.flush();
  return events;
}

export interface ReplayOptions {
  readonly databaseUrl: string;
  readonly schema: string;
  readonly target: ReplayTarget;
  readonly onProgress?: ReplayProgress;
  /** Rows are written after this many events; 100,000 by default. */
  readonly flushEvery?: number;
}

/**
 * Rebuilds every read model into `schema` (dropped and created afresh), reading ledger.events in
 * one REPEATABLE READ, READ ONLY snapshot: appends made meanwhile are left out.
 */
export async function replayReadModels(options: ReplayOptions): Promise<ReplaySummary> {
  const started = performance.now();
  const reader = await openSnapshot(options.databaseUrl);
  let writer: pg.Client | undefined;
  try {
    const target = await resolveTarget(reader, options.target);
    writer = await connect(options.databaseUrl);
    await refuseForeignSchema(writer, options.schema);
    const replay = new SchemaReplay(
      writer,
      options.schema,
      allProjections,
      await loadReferenceModel(writer),
    );
    await replay.begin();
    const events = await drive(reader, replay, { from: 0, to: target.position }, options);
    return {
      ...target,
      schema: options.schema,
      from: 0,
      events,
      seconds: (performance.now() - started) / 1000,
    };
  } finally {
    await closeSnapshot(reader);
    await writer?.end().catch(() => undefined);
  }
}

/**
 * Brings an earlier replay in `schema` forward to `to`: loads its rows at the position it stands
 * at, applies the events after it, writes what changed. The same as replaying from scratch (it is
 * how the live projector restarts), in a fraction of the time.
 */
export async function advanceReplay(options: {
  readonly databaseUrl: string;
  readonly schema: string;
  readonly to: number;
  readonly onProgress?: ReplayProgress;
}): Promise<ReplaySummary> {
  const started = performance.now();
  const reader = await openSnapshot(options.databaseUrl);
  const writer = await connect(options.databaseUrl);
  try {
    const target = await resolveTarget(reader, { kind: 'position', position: options.to });
    const at = await replayPosition(writer, options.schema);
    if (at > options.to) {
      throw new ReplayTargetError(
        `the replay in ${options.schema} stands at position ${at}, past position ${options.to}`,
      );
    }
    const replay = new SchemaReplay(
      writer,
      options.schema,
      allProjections,
      await loadReferenceModel(writer),
    );
    replay.engine.load(at, await loadTables(writer, options.schema));
    const events = await drive(reader, replay, { from: at, to: options.to }, options);
    return {
      ...target,
      schema: options.schema,
      from: at,
      events,
      seconds: (performance.now() - started) / 1000,
    };
  } finally {
    await closeSnapshot(reader);
    await writer.end().catch(() => undefined);
  }
}

async function loadTables(db: pg.ClientBase, schema: string): Promise<DirtyRows> {
  const rows: Record<string, unknown[]> = {};
  for (const table of tableNames) rows[table] = await loadRows(db, schema, table);
  return rows as DirtyRows;
}

async function schemaTables(db: pg.ClientBase, schema: string): Promise<string[] | undefined> {
  const exists = await db.query('SELECT 1 FROM pg_namespace WHERE nspname = $1', [schema]);
  if (exists.rowCount === 0) return undefined;
  const { rows } = await db.query<{ relname: string }>(
    `SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = $1 AND c.relkind IN ('r', 'p', 'v', 'm', 'f') ORDER BY c.relname`,
    [schema],
  );
  return rows.map((r) => r.relname);
}

const replayTables = new Set<string>([...tableNames, 'projection_checkpoint']);

/** A replay replaces its schema: never one that holds anything but an earlier replay's tables. */
async function refuseForeignSchema(db: pg.ClientBase, schema: string): Promise<void> {
  const tables = await schemaTables(db, schema);
  const foreign = (tables ?? []).filter((t) => !replayTables.has(t));
  if (foreign.length > 0) {
    throw new ReplayTargetError(
      `schema ${schema} exists and holds tables that are not a replay's (${foreign.join(', ')}): not replacing it`,
    );
  }
}

/** The position every projection of the replay in `schema` stands at. */
export async function replayPosition(db: pg.ClientBase, schema: string): Promise<number> {
  const tables = await schemaTables(db, schema);
  if (tables === undefined) throw new ReplayTargetError(`there is no schema ${schema}`);
  const missing = [...replayTables].filter((t) => !tables.includes(t));
  if (missing.length > 0) {
    throw new ReplayTargetError(
      `schema ${schema} is not a replay of the read models (no ${missing.join(', ')})`,
    );
  }
  const checkpoints = await readCheckpoints(db, schema, projectionNames);
  const positions = new Set(projectionNames.map((n) => checkpoints.get(n)?.position));
  const [position] = positions;
  if (positions.size !== 1 || position === undefined) {
    throw new ReplayTargetError(
      `the replay in ${schema} is incomplete: its projections do not stand at one position`,
    );
  }
  return position;
}

export interface ReadModelSnapshot {
  /** Where each projection stands (its checkpoint), by name; a missing one is absent. */
  readonly checkpoints: ReadonlyMap<string, number>;
  readonly tables: ReadonlyMap<TableName, DigestedTable>;
}

/**
 * Every read-model table of `schema` with its digest, read in one REPEATABLE READ, READ ONLY
 * transaction together with the checkpoints: the live projector commits rows and checkpoint in
 * one transaction, so what is read is exactly the state at those positions.
 */
export async function readSnapshot(
  databaseUrl: string,
  schema: string,
): Promise<ReadModelSnapshot> {
  const client = await openSnapshot(databaseUrl);
  try {
    const found = await readCheckpoints(client, schema, projectionNames);
    const checkpoints = new Map([...found].map(([name, c]) => [name, c.position]));
    const tables = new Map<TableName, DigestedTable>();
    for (const table of tableNames) {
      tables.set(table, digestTable(table, await loadRows(client, schema, table)));
    }
    return { checkpoints, tables };
  } finally {
    await closeSnapshot(client);
  }
}

/** The live read models' snapshot (schema `public`). */
export function readLiveSnapshot(databaseUrl: string): Promise<ReadModelSnapshot> {
  return readSnapshot(databaseUrl, liveSchema);
}

/** `replay_<UTC date>_<time>_<ms>`: a fresh schema name for each replay. */
export function defaultReplaySchema(now: Date = new Date()): string {
  const iso = now.toISOString(); // 2026-03-15T07:15:00.123Z
  const compact = `${iso.slice(0, 10).replaceAll('-', '')}_${iso.slice(11, 19).replaceAll(':', '')}_${iso.slice(20, 23)}`;
  return `replay_${compact}`;
}

/** The schema names a replay may use: `replay_` and lower-case letters, digits, underscores. */
export function checkReplaySchemaName(name: string): string {
  if (!/^replay_[a-z0-9_]{1,56}$/.test(name)) {
    throw new ReplayTargetError(
      `--schema must be replay_ followed by 1 to 56 lower-case letters, digits or underscores, got ${JSON.stringify(name)}`,
    );
  }
  // quoteIdent refuses anything else; the names above always pass it.
  quoteIdent(name);
  return name;
}
