import pg from 'pg';
import { describe, expect, inject, it } from 'vitest';
import { createTestDatabase } from './databases.js';

describe('test set-up: real servers per run', () => {
  it('starts a PostgreSQL that answers queries in the city time zone', async () => {
    const client = new pg.Client({ connectionString: inject('postgresUrl') });
    await client.connect();
    try {
      const { rows } = await client.query<{ tz: string; v: string }>(
        "select current_setting('TimeZone') as tz, current_setting('server_version_num') as v",
      );
      expect(rows[0]?.tz).toBe('Asia/Ho_Chi_Minh');
      expect(Number(rows[0]?.v)).toBeGreaterThanOrEqual(150000);
    } finally {
      await client.end();
    }
  });

  it('starts a nats-server with JetStream enabled', async () => {
    const res = await fetch(`${inject('natsMonitorUrl')}/jsz`);
    expect(res.ok).toBe(true);
    const body = (await res.json()) as { config?: { store_dir?: string } };
    expect(body.config?.store_dir).toContain(inject('testDataDir'));
  });

  it('gives each test file a database of its own, and drops it', async () => {
    const db = await createTestDatabase(inject('postgresAdminUrl'));
    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    await client.query('create table t (x int)');
    await client.end();
    await db.drop();
    const admin = new pg.Client({ connectionString: inject('postgresAdminUrl') });
    await admin.connect();
    const { rowCount } = await admin.query('select 1 from pg_database where datname = $1', [
      db.name,
    ]);
    await admin.end();
    expect(rowCount).toBe(0);
  });
});
