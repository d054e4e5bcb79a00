// `hpe-audit replay` and `hpe-audit diff`: rebuild every read model from the ledger into a schema
// of its own, and compare it with the live read models table by table (docs/audit.md, "Replaying
// the read models").
import { parseArgs } from 'node:util';
import { projectionNames, tableNames } from '@hpe/read-models';
import pg from 'pg';
import {
  databaseUrl,
  describeError,
  exitCodes,
  isConnectError,
  positionArg,
  UsageError,
  type Io,
} from './cli-support.js';
import { createProgress } from './progress.js';
import {
  compareTables,
  type RowDifference,
  type TableComparison,
  type TableDigest,
} from './read-model-digest.js';
import {
  advanceReplay,
  checkReplaySchemaName,
  defaultReplaySchema,
  readLiveSnapshot,
  readSnapshot,
  replayPosition,
  replayReadModels,
  ReplayTargetError,
  type ReadModelSnapshot,
  type ReplaySummary,
  type ReplayTarget,
} from './read-model-replay.js';

export const replayUsage = `  hpe-audit replay --database-url <url> [--schema replay_NAME]
                   [--to-position N | --to-time ISO | --compare] [--sample N] [--json]
  hpe-audit diff   --database-url <url> [--schema replay_NAME] [--sample N] [--json]`;

const defaultSample = 10;

/** ISO 8601 with a date, a time and an offset: an instant an auditor cannot mean two ways. */
function timeArg(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const form = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/;
  const ms = Date.parse(value);
  if (!form.test(value) || Number.isNaN(ms)) {
    throw new UsageError(
      `--to-time must be an ISO 8601 instant with an offset, e.g. 2026-03-15T14:15:00+07:00, got ${value}`,
    );
  }
  return new Date(ms).toISOString();
}

function sampleArg(value: string | undefined): number {
  if (value === undefined) return defaultSample;
  const n = Number(value);
  if (!/^\d+$/.test(value) || n > 1_000) {
    throw new UsageError(`--sample must be a whole number from 0 to 1000, got ${value}`);
  }
  return n;
}

function schemaArg(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  try {
    return checkReplaySchemaName(value);
  } catch (error) {
    throw new UsageError(describeError(error));
  }
}

/**
 * Runs the database work of a command. A replay asked for wrongly is usage (2); a database that
 * cannot be reached, or a query it refuses (no read models there, no privilege), is exit 3.
 */
async function database<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof ReplayTargetError) throw new UsageError(error.message);
    if (isConnectError(error)) {
      throw new DatabaseUnavailableError(`cannot connect to the database: ${describeError(error)}`);
    }
    if (error instanceof pg.DatabaseError) {
      throw new DatabaseUnavailableError(`the database refused: ${describeError(error)}`);
    }
    throw error;
  }
}

/** The database could not be reached or read (exit code 3). */
export class DatabaseUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DatabaseUnavailableError';
  }
}

export async function replayCommand(args: readonly string[], io: Io): Promise<number> {
  const { values } = parseArgs({
    args: [...args],
    options: {
      'database-url': { type: 'string' },
      schema: { type: 'string' },
      'to-position': { type: 'string' },
      'to-time': { type: 'string' },
      compare: { type: 'boolean', default: false },
      sample: { type: 'string' },
      json: { type: 'boolean', default: false },
    },
    strict: true,
    allowPositionals: false,
  });
  const toPosition = positionArg('--to-position', values['to-position']);
  const toTime = timeArg(values['to-time']);
  const schema = schemaArg(values.schema) ?? defaultReplaySchema();
  const sample = sampleArg(values.sample);
  const given = [toPosition !== undefined, toTime !== undefined, values.compare].filter(Boolean);
  if (given.length > 1) {
    throw new UsageError(
      'give at most one of --to-position, --to-time and --compare (--compare replays to the live read models’ position)',
    );
  }
  if (values.sample !== undefined && !values.compare) {
    throw new UsageError('--sample applies with --compare only');
  }
  const url = databaseUrl(values['database-url'], io);
  if (values.compare) return compareFresh(url, schema, sample, values.json, io);
  const target: ReplayTarget =
    toPosition !== undefined
      ? { kind: 'position', position: toPosition }
      : toTime !== undefined
        ? { kind: 'time', at: toTime }
        : { kind: 'head' };
  const summary = await runReplay(io, (onProgress) =>
    replayReadModels({ databaseUrl: url, schema, target, onProgress }),
  );
  const snapshot = await database(() => readSnapshot(url, schema));
  const tables = tableNames.map((t) => summaryOf(snapshot, t));
  if (values.json) {
    io.out(JSON.stringify({ ...replayJson(summary, values['to-time']), tables }));
  } else {
    io.out(replayLine(summary, values['to-time']));
    printDigests(tables, io);
    io.err(
      `note: the replay is kept in schema ${schema}; drop it with DROP SCHEMA ${schema} CASCADE`,
    );
  }
  return exitCodes.ok;
}

export async function diffCommand(args: readonly string[], io: Io): Promise<number> {
  const { values } = parseArgs({
    args: [...args],
    options: {
      'database-url': { type: 'string' },
      schema: { type: 'string' },
      sample: { type: 'string' },
      json: { type: 'boolean', default: false },
    },
    strict: true,
    allowPositionals: false,
  });
  const schema = schemaArg(values.schema);
  const sample = sampleArg(values.sample);
  const url = databaseUrl(values['database-url'], io);
  if (schema === undefined)
    return compareFresh(url, defaultReplaySchema(), sample, values.json, io);

  // An existing replay: compared at the live read models' position, carried forward to it first.
  const live = await database(() => readLiveSnapshot(url));
  const position = livePosition(live);
  if (typeof position === 'string') return notComparable(position, values.json, io);
  const at = await database(async () => {
    const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 10_000 });
    client.on('error', () => undefined);
    await client.connect();
    try {
      return await replayPosition(client, schema);
    } finally {
      await client.end().catch(() => undefined);
    }
  });
  if (at > position) {
    throw new UsageError(
      `the replay in ${schema} stands at position ${at}, after the live read models (position ${position}): they cannot be compared; run diff without --schema to replay to position ${position}`,
    );
  }
  let advanced: ReplaySummary | undefined;
  if (at < position) {
    io.err(
      `note: the replay in ${schema} stood at position ${at}; replaying ${at + 1}..${position} to reach the live read models`,
    );
    advanced = await runReplay(io, (onProgress) =>
      advanceReplay({ databaseUrl: url, schema, to: position, onProgress }),
    );
  }
  const replayed = await database(() => readSnapshot(url, schema));
  return report({ live, replayed, position, schema, sample, advanced }, values.json, io);
}

/** Replays into a fresh schema to exactly where the live read models stand, then compares. */
async function compareFresh(
  url: string,
  schema: string,
  sample: number,
  json: boolean,
  io: Io,
): Promise<number> {
  const live = await database(() => readLiveSnapshot(url));
  const position = livePosition(live);
  if (typeof position === 'string') return notComparable(position, json, io);
  const summary = await runReplay(io, (onProgress) =>
    replayReadModels({
      databaseUrl: url,
      schema,
      target: { kind: 'position', position },
      onProgress,
    }),
  );
  if (!json) io.out(replayLine(summary, undefined));
  const replayed = await database(() => readSnapshot(url, schema));
  return report({ live, replayed, position, schema, sample, advanced: summary }, json, io);
}

/** Runs a replay with progress on standard error, then its figures. */
async function runReplay(
  io: Io,
  work: (onProgress: (events: number) => void) => Promise<ReplaySummary>,
): Promise<ReplaySummary> {
  const progress = createProgress('replay', io.err);
  const summary = await database(() => work((events) => progress.update(events)));
  io.err(
    `replay: ${summary.events.toLocaleString('en-US')} events in ${summary.seconds.toFixed(1)} s (${rate(summary).toLocaleString('en-US')} events/s)`,
  );
  return summary;
}

const rate = (s: ReplaySummary): number => Math.round(s.events / Math.max(s.seconds, 1e-3));

/** One position for every live projection, or why there is none. */
function livePosition(live: ReadModelSnapshot): number | string {
  const stands = projectionNames.map((n) => `${n} ${live.checkpoints.get(n) ?? 'missing'}`);
  const positions = new Set(projectionNames.map((n) => live.checkpoints.get(n)));
  const [position] = positions;
  if (positions.size === 1 && position !== undefined) return position;
  return `the live read models do not stand at one position (${stands.join(', ')}): they cannot all equal one replay; wait for the projector to catch up, or rebuild`;
}

function notComparable(reason: string, json: boolean, io: Io): number {
  if (json) io.out(JSON.stringify({ equal: false, reason }));
  else io.out(`FAILED: ${reason}`);
  return exitCodes.failed;
}

function summaryOf(snapshot: ReadModelSnapshot, table: (typeof tableNames)[number]): TableDigest {
  const digested = snapshot.tables.get(table);
  if (digested === undefined) throw new Error(`no digest of ${table}`);
  return { table, rows: digested.rows, sha256: digested.sha256 };
}

function replayJson(summary: ReplaySummary, toTime: string | undefined): Record<string, unknown> {
  return {
    schema: summary.schema,
    position: summary.position,
    recordedAt: summary.recordedAt,
    head: summary.head,
    ...(toTime === undefined ? {} : { toTime }),
    from: summary.from,
    events: summary.events,
    seconds: Math.round(summary.seconds * 1000) / 1000,
    eventsPerSecond: rate(summary),
  };
}

function replayLine(summary: ReplaySummary, toTime: string | undefined): string {
  const where =
    summary.position === 0
      ? 'position 0 (before the first event)'
      : `position ${summary.position} (recorded ${summary.recordedAt ?? '?'})`;
  const why =
    toTime === undefined
      ? ''
      : summary.position === 0
        ? `: no event was recorded at or before ${toTime}`
        : `, the last event recorded at or before ${toTime}`;
  const head = summary.head > summary.position ? `; the log goes on to ${summary.head}` : '';
  return `ok: replayed the read models to ${where}${why} into schema ${summary.schema}${head}`;
}

function printDigests(tables: readonly TableDigest[], io: Io): void {
  const width = Math.max(...tables.map((t) => t.table.length));
  for (const t of tables) {
    io.out(`  ${t.table.padEnd(width)}  ${String(t.rows).padStart(8)} rows  sha256 ${t.sha256}`);
  }
}

function report(
  run: {
    readonly live: ReadModelSnapshot;
    readonly replayed: ReadModelSnapshot;
    readonly position: number;
    readonly schema: string;
    readonly sample: number;
    readonly advanced: ReplaySummary | undefined;
  },
  json: boolean,
  io: Io,
): number {
  const comparisons: TableComparison[] = tableNames.map((table) => {
    const live = run.live.tables.get(table);
    const replay = run.replayed.tables.get(table);
    if (live === undefined || replay === undefined) throw new Error(`no digest of ${table}`);
    return compareTables(live, replay, run.sample);
  });
  const differing = comparisons.filter((c) => !c.equal);
  const equal = differing.length === 0;
  if (json) {
    io.out(
      JSON.stringify({
        equal,
        position: run.position,
        schema: run.schema,
        ...(run.advanced === undefined ? {} : { replay: replayJson(run.advanced, undefined) }),
        differing: differing.map((c) => c.table),
        tables: comparisons,
      }),
    );
    return equal ? exitCodes.ok : exitCodes.failed;
  }
  const width = Math.max(...comparisons.map((c) => c.table.length));
  for (const c of comparisons) {
    if (c.equal) {
      io.out(
        `  equal    ${c.table.padEnd(width)}  ${String(c.live.rows).padStart(8)} rows  sha256 ${c.live.sha256}`,
      );
      continue;
    }
    io.out(
      `  DIFFERS  ${c.table.padEnd(width)}  live ${c.live.rows} rows sha256 ${c.live.sha256}, replay ${c.replay.rows} rows sha256 ${c.replay.sha256}`,
    );
    io.out(
      `           ${c.changed} rows changed, ${c.onlyLive} only in the live table, ${c.onlyReplay} only in the replay`,
    );
    for (const d of c.sample) io.out(`           ${differenceLine(d)}`);
    const shown = c.changed + c.onlyLive + c.onlyReplay;
    if (shown > c.sample.length) io.out(`           … ${shown - c.sample.length} more`);
  }
  io.out(
    equal
      ? `ok: the live read models equal the replay of the log at position ${run.position} (${comparisons.length} tables, schema ${run.schema})`
      : `FAILED: ${differing.length} of ${comparisons.length} tables differ from the replay of the log at position ${run.position}: ${differing.map((c) => c.table).join(', ')} (replay in schema ${run.schema})`,
  );
  return equal ? exitCodes.ok : exitCodes.failed;
}

const show = (value: unknown): string => JSON.stringify(value);

function differenceLine(d: RowDifference): string {
  const key = Object.entries(d.key)
    .map(([k, v]) => `${k}=${typeof v === 'string' ? v : show(v)}`)
    .join(' ');
  switch (d.kind) {
    case 'changed':
      return `row ${key}: ${d.columns.map((c) => `${c.column} live ${show(c.live)} replay ${show(c.replay)}`).join('; ')}`;
    case 'only-live':
      return `row ${key}: only in the live table (${d.columns.map((c) => `${c.column} ${show(c.live)}`).join(', ')})`;
    case 'only-replay':
      return `row ${key}: only in the replay (${d.columns.map((c) => `${c.column} ${show(c.replay)}`).join(', ')})`;
    default: {
      const unknownKind: never = d.kind;
      throw new Error(`difference ${String(unknownKind)}`);
    }
  }
}
