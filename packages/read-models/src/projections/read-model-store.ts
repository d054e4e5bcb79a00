// The database side of the projections, in plain SQL on node-postgres so a batch of changed rows
// is one statement per table (jsonb_to_recordset + ON CONFLICT), in any schema: `public` for the
// live read models, another for a rebuild or an auditor's replay.
import type pg from 'pg';
import type { DirtyRows } from './projection-engine.js';
import { tableSpecs, type ColumnType, type TableName, type Tables } from './tables.js';

export const liveSchema = 'public';

/** Rows per statement: keeps one jsonb parameter well under a few megabytes. */
const chunkRows = 5_000;

export function quoteIdent(name: string): string {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`not a plain SQL identifier: ${name}`);
  return `"${name}"`;
}

const qualified = (schema: string, table: string): string =>
  `${quoteIdent(schema)}.${quoteIdent(table)}`;

const upsertSql = new Map<string, string>();

function upsertStatement(schema: string, table: TableName): string {
  const cacheKey = `${schema}.${table}`;
  const cached = upsertSql.get(cacheKey);
  if (cached !== undefined) return cached;
  const spec = tableSpecs[table];
  const cols = spec.columns.map((c) => quoteIdent(c.name));
  const typed = spec.columns.map((c) => `${quoteIdent(c.name)} ${c.type}`);
  const keys = new Set<string>(spec.primaryKey);
  const updates = spec.columns
    .filter((c) => !keys.has(c.name))
    .map((c) => `${quoteIdent(c.name)} = EXCLUDED.${quoteIdent(c.name)}`);
  const sql =
    `INSERT INTO ${qualified(schema, table)} (${cols.join(', ')}) ` +
    `SELECT ${cols.join(', ')} FROM jsonb_to_recordset($1::jsonb) AS r(${typed.join(', ')}) ` +
    `ON CONFLICT (${spec.primaryKey.map(quoteIdent).join(', ')}) DO UPDATE SET ${updates.join(', ')}`;
  upsertSql.set(cacheKey, sql);
  return sql;
}

/** Writes every changed row: one upsert statement per table (per 5,000 rows). */
export async function writeRows(
  db: pg.ClientBase,
  schema: string,
  rows: DirtyRows,
): Promise<number> {
  let written = 0;
  for (const [table, list] of Object.entries(rows) as [TableName, readonly unknown[]][]) {
    for (let i = 0; i < list.length; i += chunkRows) {
      const chunk = list.slice(i, i + chunkRows);
      await db.query(upsertStatement(schema, table), [JSON.stringify(chunk)]);
      written += chunk.length;
    }
  }
  return written;
}

function fromDb(type: ColumnType, value: unknown): unknown {
  if (value === null || value === undefined) return null;
  switch (type) {
    case 'timestamptz':
      return value instanceof Date ? value.toISOString() : new Date(String(value)).toISOString();
    case 'bigint':
    case 'integer':
      return Number(value);
    case 'text':
    case 'boolean':
    case 'jsonb':
      return value;
    default: {
      const unknownType: never = type;
      throw new Error(`column type ${String(unknownType)}`);
    }
  }
}

/** Every row of a table as the projections keep it (ISO instants, numbers for counts). */
export async function loadRows<T extends TableName>(
  db: pg.ClientBase | pg.Pool,
  schema: string,
  table: T,
): Promise<Tables[T][]> {
  const spec = tableSpecs[table];
  const { rows } = await db.query<Record<string, unknown>>(
    `SELECT ${spec.columns.map((c) => quoteIdent(c.name)).join(', ')} FROM ${qualified(schema, table)}`,
  );
  return rows.map((r) => {
    const out: Record<string, unknown> = {};
    for (const c of spec.columns) out[c.name] = fromDb(c.type, r[c.name]);
    return out as unknown as Tables[T];
  });
}

export interface Checkpoint {
  readonly position: number;
  readonly generation: number;
}

/** Makes sure each projection has its checkpoint row (position 0 when new). */
export async function ensureCheckpoints(
  db: pg.ClientBase,
  schema: string,
  names: readonly string[],
): Promise<void> {
  await db.query(
    `INSERT INTO ${qualified(schema, 'projection_checkpoint')} (name, position, generation)
     SELECT unnest($1::text[]), 0, 0 ON CONFLICT (name) DO NOTHING`,
    [names],
  );
}

export async function readCheckpoints(
  db: pg.ClientBase | pg.Pool,
  schema: string,
  names: readonly string[],
  { forUpdate = false } = {},
): Promise<Map<string, Checkpoint>> {
  const { rows } = await db.query<{ name: string; position: string; generation: number }>(
    `SELECT name, position, generation FROM ${qualified(schema, 'projection_checkpoint')}
     WHERE name = ANY($1::text[]) ORDER BY name ${forUpdate ? 'FOR UPDATE' : ''}`,
    [names],
  );
  return new Map(
    rows.map((r) => [r.name, { position: Number(r.position), generation: r.generation }]),
  );
}

/**
 * Moves the checkpoints of `expected` to `to`, only if each still stands where the caller last saw
 * it (position and generation). False when another projector or a rebuild moved one: the caller's
 * transaction must roll back and re-sync.
 */
export async function advanceCheckpoints(
  db: pg.ClientBase,
  schema: string,
  expected: ReadonlyMap<string, Checkpoint>,
  to: number,
): Promise<boolean> {
  const names = [...expected.keys()];
  const result = await db.query(
    `UPDATE ${qualified(schema, 'projection_checkpoint')} AS c SET position = $4, updated_at = now()
     FROM unnest($1::text[], $2::bigint[], $3::int[]) AS e(name, position, generation)
     WHERE c.name = e.name AND c.position = e.position AND c.generation = e.generation`,
    [
      names,
      names.map((n) => expected.get(n)?.position ?? -1),
      names.map((n) => expected.get(n)?.generation ?? -1),
      to,
    ],
  );
  return result.rowCount === names.length;
}

/**
 * Creates `schema` with empty copies of the given read-model tables and a checkpoint table, shaped
 * like the live ones (LIKE … INCLUDING ALL). Drops the schema first if `replace`.
 */
export async function createReadModelSchema(
  db: pg.ClientBase,
  schema: string,
  tables: readonly TableName[],
  { replace = false } = {},
): Promise<void> {
  if (schema === liveSchema) throw new Error('the live schema is made by the migrations');
  if (replace) await db.query(`DROP SCHEMA IF EXISTS ${quoteIdent(schema)} CASCADE`);
  await db.query(`CREATE SCHEMA IF NOT EXISTS ${quoteIdent(schema)}`);
  for (const table of [...tables, 'projection_checkpoint']) {
    await db.query(
      `CREATE TABLE IF NOT EXISTS ${qualified(schema, table)} (LIKE ${qualified(liveSchema, table)} INCLUDING ALL)`,
    );
  }
}

/** Empties tables of a replay schema (TRUNCATE: never on the live schema while it is read). */
export async function truncateTables(
  db: pg.ClientBase,
  schema: string,
  tables: readonly TableName[],
): Promise<void> {
  if (tables.length === 0) return;
  await db.query(`TRUNCATE ${tables.map((t) => qualified(schema, t)).join(', ')}`);
}

/**
 * One batch of the live projector, in one transaction: move the checkpoints by compare-and-set
 * first (its row locks order concurrent projectors and rebuilds), then write the changed rows.
 * False, with nothing written, when a checkpoint moved under us.
 */
export async function commitBatch(
  db: pg.ClientBase,
  schema: string,
  expected: ReadonlyMap<string, Checkpoint>,
  to: number,
  rows: DirtyRows,
  /** Runs after the writes, before COMMIT (tests use it to die mid-batch). */
  beforeCommit?: () => Promise<void>,
): Promise<boolean> {
  await db.query('BEGIN');
  try {
    if (!(await advanceCheckpoints(db, schema, expected, to))) {
      await db.query('ROLLBACK');
      return false;
    }
    await writeRows(db, schema, rows);
    await beforeCommit?.();
    await db.query('COMMIT');
    return true;
  } catch (error) {
    await db.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
}
