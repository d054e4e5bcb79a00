// Login and the guard through HTTP against real PostgreSQL: demo users seeded by read-models, a
// token per role, the same 401 for unknown users and wrong passwords, hostile bodies, rate limit.
import type {} from '@hpe/test-kit/global-setup';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { freePort } from '@hpe/embedded';
import { applyMigrations, defaultDemoPassword, seedDemoUsers } from '@hpe/read-models';
import { createTestDatabase, type TestDatabase } from '@hpe/test-kit';
import { startGateway, type RunningGateway } from '../gateway.js';
import { loadGatewaySettings } from '../settings.js';

let db: TestDatabase;
let gateway: RunningGateway;

/** Two communes and three polling areas are enough for every role and scope. */
const referenceRows = `
insert into commune (commune_id, name, type, population, area_km2, voters_on_list, polling_area_count,
  election_date, cards_from, cards_to)
values ('C1', 'Phường Một', 'phuong', 1000, 1.00, 800, 2, '2026-03-15', '2026-03-05', '2026-03-14'),
       ('C2', 'Xã Hai', 'xa', 900, 2.00, 700, 1, '2026-03-15', '2026-03-05', '2026-03-14');
insert into polling_area (polling_area_id, commune_id, name, kind, voters_on_list, na_unit_id,
  city_unit_id, commune_unit_id)
values ('C1-01', 'C1', 'KVBP 1', 'regular', 400, 'na-1', 'city-1', 'c1-1'),
       ('C1-02', 'C1', 'KVBP 2', 'regular', 400, 'na-1', 'city-1', 'c1-1'),
       ('C2-01', 'C2', 'KVBP 1', 'regular', 700, 'na-1', 'city-1', 'c2-1');
`;

beforeAll(async () => {
  db = await createTestDatabase(inject('postgresAdminUrl'), 'gateway_auth');
  await applyMigrations(db.url);
  const client = new pg.Client({ connectionString: db.url });
  await client.connect();
  try {
    await client.query(referenceRows);
  } finally {
    await client.end();
  }
  await seedDemoUsers(db.url, { password: defaultDemoPassword });
  gateway = await startGateway(
    loadGatewaySettings({
      HTTP_PORT: String(await freePort()),
      LOG_LEVEL: 'silent',
      DATABASE_URL: db.url,
      NATS_URL: inject('natsUrl'),
    }),
  );
});
afterAll(async () => {
  await gateway.close();
  await db.drop();
});

function post(path: string, body: string, contentType = 'application/json'): Promise<Response> {
  return fetch(`${gateway.url}${path}`, {
    method: 'POST',
    body,
    headers: { 'content-type': contentType },
  });
}

const login = (username: string, password: string): Promise<Response> =>
  post('/api/v1/auth/token', JSON.stringify({ username, password }));

const me = (authorization?: string): Promise<Response> =>
  fetch(`${gateway.url}/api/v1/auth/me`, {
    headers: authorization === undefined ? {} : { authorization },
  });

describe('POST /api/v1/auth/token and GET /api/v1/auth/me', () => {
  it.each([
    ['admin', 'admin', {}],
    ['ops', 'ops', {}],
    ['police', 'police', {}],
    ['auditor', 'auditor', {}],
    ['commune-C1', 'commune', { communeId: 'C1' }],
    ['pa-C2-01', 'reporter', { communeId: 'C2', pollingAreaId: 'C2-01' }],
  ])('logs %s in as %s and /auth/me names it', async (username, role, scope) => {
    const res = await login(username, defaultDemoPassword);
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const body = (await res.json()) as { accessToken: string };
    expect(body).toEqual({
      accessToken: expect.stringMatching(/^[\w-]+\.[\w-]+\.[\w-]+$/),
      tokenType: 'Bearer',
      expiresIn: 8 * 3_600,
      role,
      scope,
    });
    const who = await me(`Bearer ${body.accessToken}`);
    expect(who.status).toBe(200);
    expect(await who.json()).toEqual({ username, role, scope });
  });

  it('answers a wrong password and an unknown user the same way', async () => {
    const wrong = await login('admin', 'election-day-2025');
    const unknown = await login('nobody', defaultDemoPassword);
    expect([wrong.status, unknown.status]).toEqual([401, 401]);
    expect(wrong.headers.get('content-type')).toContain('application/problem+json');
    const [a, b] = [await wrong.json(), await unknown.json()];
    expect(a).toEqual(b);
    expect(a).toMatchObject({ status: 401, code: 'UNAUTHENTICATED' });
  });

  it.each([
    ['an empty object', '{}', 'application/json'],
    ['a missing password', '{"username":"admin"}', 'application/json'],
    ['an extra field', `{"username":"admin","password":"x","role":"admin"}`, 'application/json'],
    ['wrong types', '{"username":1,"password":["x"]}', 'application/json'],
    ['an empty username', '{"username":"","password":"x"}', 'application/json'],
    [
      'a 100 KB username',
      JSON.stringify({ username: 'a'.repeat(100_000), password: 'x' }),
      'application/json',
    ],
    ['an array', '["admin","x"]', 'application/json'],
    ['null', 'null', 'application/json'],
    ['broken JSON', '{"username":"admin",', 'application/json'],
    ['plain text', 'username=admin&password=x', 'text/plain'],
  ])('refuses %s with 400 VALIDATION_FAILED', async (_name, body, contentType) => {
    const res = await post('/api/v1/auth/token', body, contentType);
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect(await res.json()).toMatchObject({ status: 400, code: 'VALIDATION_FAILED' });
  });

  it('refuses /auth/me without a token, or with a bad one, with 401 and a Bearer challenge', async () => {
    const none = await me();
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toBe('Bearer realm="hpe"');
    expect(await none.json()).toMatchObject({ code: 'UNAUTHENTICATED' });

    const { accessToken } = (await (await login('pa-C1-01', defaultDemoPassword)).json()) as {
      accessToken: string;
    };
    const [header, payload, signature] = accessToken.split('.');
    const raised = Buffer.from(
      JSON.stringify({
        ...(JSON.parse(Buffer.from(payload ?? '', 'base64url').toString()) as object),
        role: 'admin',
        scope: {},
      }),
    ).toString('base64url');
    for (const token of [`${header}.${raised}.${signature}`, `${accessToken}x`, 'abc']) {
      const res = await me(`Bearer ${token}`);
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toContain('error="invalid_token"');
    }
  });

  it('keeps health public and unknown routes 404', async () => {
    expect((await fetch(`${gateway.url}/health/live`)).status).toBe(200);
    expect((await fetch(`${gateway.url}/api/v1/health/live`)).status).toBe(200);
    expect((await fetch(`${gateway.url}/api/v1/nothing-here`)).status).toBe(404);
  });

  it('limits login attempts per address and username with 429 and Retry-After', async () => {
    for (let i = 0; i < 10; i++) expect((await login('commune-C2', `guess-${i}`)).status).toBe(401);
    const limited = await login('commune-C2', defaultDemoPassword);
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await limited.json()).toMatchObject({ status: 429, code: 'RATE_LIMITED' });
    // Another username from the same address is not held back.
    expect((await login('auditor', defaultDemoPassword)).status).toBe(200);
  });
});
