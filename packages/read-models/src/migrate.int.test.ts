import { cpSync, mkdtempSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import type {} from '@hpe/test-kit/global-setup';
import { afterEach, beforeEach, describe, expect, inject, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '@hpe/test-kit';
import {
  applyMigrations,
  defaultMigrationsDir,
  MigrationError,
  migrationChecksum,
  readMigrations,
} from './migrate.js';
import { createReadModelClient } from './client.js';

let db: TestDatabase;
beforeEach(async () => {
  db = await createTestDatabase(inject('postgresAdminUrl'), 'migrate');
});
afterEach(async () => {
  await db.drop();
});

async function query<T extends pg.QueryResultRow>(sql: string): Promise<T[]> {
  const c = new pg.Client({ connectionString: db.url });
  await c.connect();
  try {
    return (await c.query<T>(sql)).rows;
  } finally {
    await c.end();
  }
}

function copyOfMigrations(): string {
  const dir = mkdtempSync(join(tmpdir(), 'migrations-'));
  cpSync(defaultMigrationsDir, dir, { recursive: true });
  return dir;
}

describe('applyMigrations', () => {
  it('applies every migration once and records it as Prisma Migrate does', async () => {
    const first = await applyMigrations(db.url);
    expect(first.applied).toEqual(readMigrations().map((m) => m.name));
    const rows = await query<{
      migration_name: string;
      checksum: string;
      finished_at: Date | null;
      applied_steps_count: number;
      id: string;
    }>('select * from "_prisma_migrations" order by migration_name');
    const expected = readMigrations();
    expect(rows.map((r) => r.migration_name)).toEqual(expected.map((m) => m.name));
    for (const [i, r] of rows.entries()) {
      expect(r.checksum).toBe(expected[i]?.checksum);
      expect(r.checksum).toMatch(/^[0-9a-f]{64}$/);
      expect(r.finished_at).toBeInstanceOf(Date);
      expect(r.applied_steps_count).toBe(1);
      expect(r.id).toMatch(/^[0-9a-f-]{36}$/);
    }
    const second = await applyMigrations(db.url);
    expect(second.applied).toEqual([]);
    expect(second.alreadyApplied).toEqual(expected.map((m) => m.name));
  });

  it('gives a schema the generated Prisma client can read and write', async () => {
    await applyMigrations(db.url);
    const prisma = createReadModelClient(db.url);
    try {
      await prisma.commune.create({
        data: {
          communeId: '10507',
          name: 'Thành Đông',
          type: 'phuong',
          population: 50307,
          areaKm2: '12.22',
          votersOnList: 100,
          pollingAreaCount: 1,
          electionDate: '2026-03-15',
          cardsFrom: '2026-03-05',
          cardsTo: '2026-03-12',
        },
      });
      const found = await prisma.commune.findUniqueOrThrow({ where: { communeId: '10507' } });
      expect(found.name).toBe('Thành Đông');
      expect(found.areaKm2.toString()).toBe('12.22');
    } finally {
      await prisma.$disconnect();
    }
  });

  it('refuses a migration edited after it was applied', async () => {
    const dir = copyOfMigrations();
    await applyMigrations(db.url, { dir });
    const name = readMigrations(dir)[0]?.name ?? '';
    writeFileSync(join(dir, name, 'migration.sql'), '-- edited\nSELECT 1;\n');
    await expect(applyMigrations(db.url, { dir })).rejects.toMatchObject({
      code: 'MIGRATION_MODIFIED',
      migration: name,
    });
  });

  it('records a failing migration with its error, leaves nothing half-applied, and refuses to go on', async () => {
    const dir = copyOfMigrations();
    mkdirSync(join(dir, '29990101000000_broken'));
    writeFileSync(
      join(dir, '29990101000000_broken', 'migration.sql'),
      'CREATE TABLE half (x int);\nTHIS IS NOT SQL;\n',
    );
    const failure = await applyMigrations(db.url, { dir }).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(MigrationError);
    expect(failure).toMatchObject({ code: 'MIGRATION_FAILED', migration: '29990101000000_broken' });
    const tables = await query<{ n: string }>(
      "select count(*)::text as n from pg_tables where tablename = 'half'",
    );
    expect(tables[0]?.n).toBe('0');
    const logs = await query<{ logs: string | null; finished_at: Date | null }>(
      `select logs, finished_at from "_prisma_migrations" where migration_name = '29990101000000_broken'`,
    );
    expect(logs[0]?.finished_at).toBeNull();
    expect(logs[0]?.logs).toContain('syntax error');
    await expect(applyMigrations(db.url, { dir })).rejects.toMatchObject({
      code: 'MIGRATION_PREVIOUSLY_FAILED',
    });
  });

  it('uses SHA-256 of the file as the checksum, as Prisma does', () => {
    expect(migrationChecksum('SELECT 1;\n')).toBe(
      'b4e0497804e46e0a0b0b8c31975b062152d551bac49c3c2e80932567b4085dcd',
    );
  });
});
