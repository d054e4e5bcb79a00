// The read models' client returns instants as written, whatever the server's time zone (the
// embedded PostgreSQL runs in Asia/Ho_Chi_Minh, where the Prisma adapter used to shift them).
import type {} from '@hpe/test-kit/global-setup';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '@hpe/test-kit';
import { createReadModelClient } from './client.js';
import { applyMigrations } from './migrate.js';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase(inject('postgresAdminUrl'), 'read_model_client');
  await applyMigrations(db.url);
});
afterAll(async () => {
  await db.drop();
});

describe('the read models client', () => {
  it('reads a timestamptz written by another client as the same instant, on a non-UTC server', async () => {
    const c = new pg.Client({ connectionString: db.url });
    await c.connect();
    try {
      await c.query(
        `alter database ${db.url.split('/').pop() ?? ''} set timezone to 'Asia/Ho_Chi_Minh'`,
      );
      await c.query(
        `insert into projection_checkpoint (name, position, generation, updated_at)
         values ('tz-check', 1, 0, '2026-03-15T07:00:00+07:00')`,
      );
    } finally {
      await c.end();
    }
    const prisma = createReadModelClient(db.url, { maxConnections: 1 });
    try {
      const row = await prisma.projectionCheckpoint.findUnique({ where: { name: 'tz-check' } });
      expect(row?.updatedAt.toISOString()).toBe('2026-03-15T00:00:00.000Z');
    } finally {
      await prisma.$disconnect();
    }
  });
});
