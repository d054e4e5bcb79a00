// Demo users seeded from the Hải Phòng reference tables: one per commune and polling area, with
// the right scope, idempotent, and fast enough for every fresh stack.
import type {} from '@hpe/test-kit/global-setup';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '@hpe/test-kit';
import { applyMigrations } from './migrate.js';
import { hashPassword, verifyPassword } from './password-hash.js';
import { seedReferenceData } from './reference-store.js';
import { defaultDemoPassword, seedDemoUsers } from './users.js';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase(inject('postgresAdminUrl'), 'users');
  await applyMigrations(db.url);
  await seedReferenceData(db.url, { seed: 'haiphong-2026' });
});
afterAll(async () => {
  await db.drop();
});

async function rows<T extends pg.QueryResultRow>(sql: string): Promise<T[]> {
  const c = new pg.Client({ connectionString: db.url });
  await c.connect();
  try {
    return (await c.query<T>(sql)).rows;
  } finally {
    await c.end();
  }
}

describe('demo users', () => {
  it('seeds 4 city-wide users, one per commune and one per polling area, in seconds', async () => {
    const outcome = await seedDemoUsers(db.url, { password: defaultDemoPassword });
    expect(outcome).toMatchObject({ created: 4 + 114 + 2577, expected: 4 + 114 + 2577 });
    expect(outcome.elapsedMs).toBeLessThan(10_000);
    const byRole = await rows<{ role: string; n: string }>(
      'select role, count(*)::text as n from users group by role order by role',
    );
    expect(Object.fromEntries(byRole.map((r) => [r.role, Number(r.n)]))).toEqual({
      admin: 1,
      auditor: 1,
      commune: 114,
      ops: 1,
      police: 1,
      reporter: 2577,
    });
    const [area] = await rows<{ polling_area_id: string; commune_id: string }>(
      'select polling_area_id, commune_id from polling_area order by polling_area_id limit 1',
    );
    const [reporter] = await rows<{
      role: string;
      scope_commune_id: string;
      scope_polling_area_id: string;
      password_hash: string;
    }>(`select * from users where username = 'pa-${area?.polling_area_id ?? ''}'`);
    expect(reporter).toMatchObject({
      role: 'reporter',
      scope_commune_id: area?.commune_id,
      scope_polling_area_id: area?.polling_area_id,
    });
    expect(reporter?.password_hash).toMatch(/^scrypt\$32768\$8\$3\$[\w-]+\$[\w-]+$/);
    expect(await verifyPassword(defaultDemoPassword, reporter?.password_hash ?? '')).toBe(true);
    expect(await verifyPassword('election-day-2025', reporter?.password_hash ?? '')).toBe(false);
  });

  it('is idempotent and leaves existing users alone', async () => {
    const again = await seedDemoUsers(db.url, { password: 'another-password' });
    expect(again.created).toBe(0);
    const [admin] = await rows<{ password_hash: string }>(
      "select password_hash from users where username = 'admin'",
    );
    expect(await verifyPassword(defaultDemoPassword, admin?.password_hash ?? '')).toBe(true);
  });

  it('refuses a role and scope that do not go together', async () => {
    await expect(
      rows(
        "insert into users (username, password_hash, role) values ('bad-commune', 'x', 'commune')",
      ),
    ).rejects.toThrow(/users_scope_check/);
    await expect(
      rows("insert into users (username, password_hash, role) values ('bad', 'x', 'mayor')"),
    ).rejects.toThrow(/users_role_check/);
  });
});

describe('password hashes', () => {
  it('salts every hash and verifies only the right password', async () => {
    const cost = { N: 2 ** 10, r: 8, p: 1 };
    const [a, b] = [await hashPassword('secret', cost), await hashPassword('secret', cost)];
    expect(a).not.toBe(b);
    expect(await verifyPassword('secret', a)).toBe(true);
    expect(await verifyPassword('Secret', a)).toBe(false);
  });

  it.each([
    ['', 'empty'],
    ['bcrypt$10$x', 'another scheme'],
    ['scrypt$1048577$8$1$c2FsdHNhbHQ$a2V5', 'too costly'],
    ['scrypt$1000$8$1$c2FsdHNhbHQ$a2V5', 'N not a power of two'],
    ['scrypt$1024$8$1$c2FsdHNhbHQ$a2V5', 'short key'],
  ])('matches nothing against a malformed hash (%s: %s)', async (stored) => {
    expect(await verifyPassword('secret', stored)).toBe(false);
  });
});
