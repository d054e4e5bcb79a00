// Applies the SQL migrations in prisma/migrations and records them in `_prisma_migrations` the way
// Prisma Migrate does (same table, same checksum), so `prisma migrate deploy` elsewhere accepts the
// database as up to date. We cannot run Prisma's schema engine here; see docs/adr/0004.
import { createHash, randomUUID } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';

/** Prisma Migrate's own advisory lock key, so our step and `prisma migrate` never run at once. */
const PRISMA_ADVISORY_LOCK = 72707369;

export const defaultMigrationsDir = fileURLToPath(new URL('../prisma/migrations', import.meta.url));

export interface Migration {
  readonly name: string;
  readonly sql: string;
  readonly checksum: string;
}

export interface MigrationReport {
  readonly applied: readonly string[];
  readonly alreadyApplied: readonly string[];
}

export class MigrationError extends Error {
  constructor(
    readonly code:
      | 'MIGRATION_FAILED'
      | 'MIGRATION_MODIFIED'
      | 'MIGRATION_PREVIOUSLY_FAILED'
      | 'MIGRATION_UNKNOWN',
    readonly migration: string,
    detail: string,
  ) {
    super(`${code}: migration ${migration}: ${detail}`);
    this.name = 'MigrationError';
  }
}

/** Prisma's checksum: SHA-256 of migration.sql, hex. */
export function migrationChecksum(sql: string): string {
  return createHash('sha256').update(sql, 'utf8').digest('hex');
}

export function readMigrations(dir: string = defaultMigrationsDir): Migration[] {
  return readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory() && existsSync(join(dir, e.name, 'migration.sql')))
    .map((e) => e.name)
    .sort()
    .map((name) => {
      const sql = readFileSync(join(dir, name, 'migration.sql'), 'utf8');
      return { name, sql, checksum: migrationChecksum(sql) };
    });
}

const createTable = `
CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id"                    VARCHAR(36) PRIMARY KEY NOT NULL,
    "checksum"              VARCHAR(64) NOT NULL,
    "finished_at"           TIMESTAMPTZ,
    "migration_name"        VARCHAR(255) NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        TIMESTAMPTZ,
    "started_at"            TIMESTAMPTZ NOT NULL DEFAULT now(),
    "applied_steps_count"   INTEGER NOT NULL DEFAULT 0
)`;

interface Recorded {
  migration_name: string;
  checksum: string;
  finished_at: Date | null;
  rolled_back_at: Date | null;
}

export async function applyMigrations(
  databaseUrl: string,
  {
    dir = defaultMigrationsDir,
    log = () => undefined,
  }: { dir?: string; log?: (line: string) => void } = {},
): Promise<MigrationReport> {
  const migrations = readMigrations(dir);
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [PRISMA_ADVISORY_LOCK]);
    await client.query(createTable);
    const { rows } = await client.query<Recorded>(
      'SELECT migration_name, checksum, finished_at, rolled_back_at FROM "_prisma_migrations" ORDER BY started_at',
    );
    const known = new Set(migrations.map((m) => m.name));
    for (const r of rows) {
      if (!known.has(r.migration_name) && r.rolled_back_at === null) {
        throw new MigrationError(
          'MIGRATION_UNKNOWN',
          r.migration_name,
          'applied to the database but missing from the migrations folder',
        );
      }
    }
    const applied: string[] = [];
    const alreadyApplied: string[] = [];
    for (const m of migrations) {
      const records = rows.filter((r) => r.migration_name === m.name && r.rolled_back_at === null);
      const done = records.find((r) => r.finished_at !== null);
      if (done) {
        if (done.checksum !== m.checksum) {
          throw new MigrationError(
            'MIGRATION_MODIFIED',
            m.name,
            'was edited after it was applied; add a new migration instead',
          );
        }
        alreadyApplied.push(m.name);
        continue;
      }
      if (records.length > 0) {
        throw new MigrationError(
          'MIGRATION_PREVIOUSLY_FAILED',
          m.name,
          'failed before; resolve it (prisma migrate resolve) first',
        );
      }
      const id = randomUUID();
      await client.query(
        'INSERT INTO "_prisma_migrations" (id, checksum, migration_name, started_at, applied_steps_count) VALUES ($1, $2, $3, now(), 0)',
        [id, m.checksum, m.name],
      );
      try {
        await client.query('BEGIN');
        await client.query(m.sql);
        await client.query(
          'UPDATE "_prisma_migrations" SET finished_at = now(), applied_steps_count = 1 WHERE id = $1',
          [id],
        );
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK');
        const detail = error instanceof Error ? error.message : String(error);
        await client.query('UPDATE "_prisma_migrations" SET logs = $2 WHERE id = $1', [id, detail]);
        throw new MigrationError('MIGRATION_FAILED', m.name, detail);
      }
      log(`applied migration ${m.name}`);
      applied.push(m.name);
    }
    return { applied, alreadyApplied };
  } finally {
    await client
      .query('SELECT pg_advisory_unlock($1)', [PRISMA_ADVISORY_LOCK])
      .catch(() => undefined);
    await client.end();
  }
}
