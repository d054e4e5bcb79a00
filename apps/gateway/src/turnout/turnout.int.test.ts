// The three turnout commands through HTTP against real servers: PostgreSQL with the reference data
// and the demo users, nats-server, a ledger and the turnout service in-process; role, scope, domain
// refusals, hostile bodies and Idempotency-Key, checked against what the ledger holds.
import { randomUUID } from 'node:crypto';
import type {} from '@hpe/test-kit/global-setup';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { freePort } from '@hpe/embedded';
import { LedgerClient } from '@hpe/ledger-client';
import { closeNats, connectNats } from '@hpe/messaging';
import {
  applyMigrations,
  defaultDemoPassword,
  seedDemoUsers,
  seedReferenceData,
} from '@hpe/read-models';
import { createTestDatabase, type TestDatabase } from '@hpe/test-kit';
import type { NatsConnection } from '@nats-io/transport-node';
import { startLedgerService, type LedgerService } from '@hpe/ledger/service';
import { ledgerSettings, startTestNats, type TestNats } from '@hpe/ledger/testing';
// The turnout app publishes no package surface; its built service module is started as is.
import { loadTurnoutSettings } from '@hpe/turnout/settings';
import { startTurnoutService, type RunningTurnoutService } from '@hpe/turnout/service';
import { startGateway, type RunningGateway } from '../gateway.js';
import { loadGatewaySettings } from '../settings.js';

interface Area {
  readonly pollingAreaId: string;
  readonly communeId: string;
  readonly votersOnList: number;
}

let nats: TestNats;
let ledgerDb: TestDatabase;
let referenceDb: TestDatabase;
let ledgerService: LedgerService;
let turnout: RunningTurnoutService | undefined;
let gateway: RunningGateway;
let nc: NatsConnection;
let ledger: LedgerClient;
/** Areas voting on 15 March, grouped by commune, handed out one test at a time. */
let communes: Area[][] = [];

beforeAll(async () => {
  const adminUrl = inject('postgresAdminUrl');
  nats = await startTestNats();
  ledgerDb = await createTestDatabase(adminUrl, 'gateway_turnout_ledger');
  referenceDb = await createTestDatabase(adminUrl, 'gateway_turnout_reference');
  await applyMigrations(referenceDb.url);
  await seedReferenceData(referenceDb.url, { seed: 'haiphong-2026' });
  await seedDemoUsers(referenceDb.url, { password: defaultDemoPassword });
  const client = new pg.Client({ connectionString: referenceDb.url });
  await client.connect();
  try {
    const { rows } = await client.query<{
      polling_area_id: string;
      commune_id: string;
      voters_on_list: number;
    }>(
      `select p.polling_area_id, p.commune_id, p.voters_on_list from polling_area p
       join commune c using (commune_id) where c.election_date = '2026-03-15'
       order by p.polling_area_id`,
    );
    const byCommune = new Map<string, Area[]>();
    for (const r of rows) {
      const list = byCommune.get(r.commune_id) ?? [];
      list.push({
        pollingAreaId: r.polling_area_id,
        communeId: r.commune_id,
        votersOnList: Number(r.voters_on_list),
      });
      byCommune.set(r.commune_id, list);
    }
    communes = [...byCommune.values()].filter((areas) => areas.length >= 3);
  } finally {
    await client.end();
  }
  ledgerService = await startLedgerService(await ledgerSettings(ledgerDb.url, nats.url));
  const now = new Date('2026-03-15T20:00:00+07:00');
  turnout = await startTurnoutService(
    loadTurnoutSettings({
      DATABASE_URL: referenceDb.url,
      NATS_URL: nats.url,
      HTTP_PORT: String(await freePort()),
      LOG_LEVEL: 'silent',
      // Telemetry is one per process: in-process beside the ledger, both share its handle.
      OTEL_SERVICE_NAME: 'ledger',
    }),
    { clock: () => now },
  );
  gateway = await startGateway(
    loadGatewaySettings({
      HTTP_PORT: String(await freePort()),
      LOG_LEVEL: 'silent',
      DATABASE_URL: referenceDb.url,
      NATS_URL: nats.url,
      OTEL_SERVICE_NAME: 'ledger',
    }),
  );
  nc = await connectNats({ servers: [nats.url], name: 'gateway-turnout-test' });
  ledger = new LedgerClient(nc);
}, 120_000);

afterAll(async () => {
  await gateway.close();
  await closeNats(nc);
  await turnout?.close();
  await ledgerService.close();
  await nats.stop();
  await Promise.all([ledgerDb.drop(), referenceDb.drop()]);
});

let nextCommune = 0;
/** A commune (with at least three areas) no other test has touched. */
function freshCommune(): Area[] {
  const areas = communes[nextCommune];
  nextCommune += 1;
  if (areas === undefined) throw new Error('out of communes');
  return areas;
}
function freshArea(): Area {
  const [area] = freshCommune();
  if (area === undefined) throw new Error('empty commune');
  return area;
}

const tokens = new Map<string, string>();
async function tokenOf(username: string): Promise<string> {
  const known = tokens.get(username);
  if (known !== undefined) return known;
  const res = await fetch(`${gateway.url}/api/v1/auth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password: defaultDemoPassword }),
  });
  expect(res.status).toBe(200);
  const { accessToken } = (await res.json()) as { accessToken: string };
  tokens.set(username, accessToken);
  return accessToken;
}

const reporterOf = (area: Area): string => `pa-${area.pollingAreaId}`;
const communeUserOf = (area: Area): string => `commune-${area.communeId}`;

interface Answer {
  readonly status: number;
  readonly headers: Headers;
  readonly body: Record<string, unknown>;
}

async function post(
  path: string,
  body: unknown,
  options: { user?: string | undefined; idempotencyKey?: string; raw?: boolean } = {},
): Promise<Answer> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (options.user !== undefined)
    headers['authorization'] = `Bearer ${await tokenOf(options.user)}`;
  if (options.idempotencyKey !== undefined) headers['idempotency-key'] = options.idempotencyKey;
  const res = await fetch(`${gateway.url}/api/v1${path}`, {
    method: 'POST',
    headers,
    body: options.raw === true && typeof body === 'string' ? body : JSON.stringify(body),
  });
  return {
    status: res.status,
    headers: res.headers,
    body: (await res.json()) as Record<string, unknown>,
  };
}

const at = (hhmm: string): string => `2026-03-15T${hhmm}:00+07:00`;
const open = (
  area: Area,
  user: string | undefined,
  time = '07:00',
  idempotencyKey?: string,
): Promise<Answer> =>
  post(
    `/polling-areas/${area.pollingAreaId}/open`,
    { at: at(time) },
    {
      user,
      ...(idempotencyKey === undefined ? {} : { idempotencyKey }),
    },
  );
const report = (area: Area, user: string, time: string, votersVoted: number): Promise<Answer> =>
  post(
    `/polling-areas/${area.pollingAreaId}/turnout-reports`,
    { asOf: at(time), votersVoted },
    { user },
  );

async function head(): Promise<number> {
  const h = await ledger.head();
  if (!h.ok) throw new Error(h.error.code);
  return h.value.position;
}

async function streamEvents(area: Area) {
  const page = await ledger.readStream(`turnout-${area.pollingAreaId}`, {});
  if (!page.ok) throw new Error(page.error.code);
  return page.value.events;
}

/** Runs `act` and checks that the ledger's head did not move. */
async function appendsNothing(act: () => Promise<void>): Promise<void> {
  const before = await head();
  await act();
  expect(await head()).toBe(before);
}

function expectProblem(answer: Answer, status: number, code: string): void {
  expect({ status: answer.status, code: answer.body['code'] }).toEqual({ status, code });
  expect(answer.headers.get('content-type')).toContain('application/problem+json');
}

describe('POST /api/v1/polling-areas/:id/open, /turnout-reports, /close', () => {
  it('lets the reporter of an area open it at 07:00: 201 with the position, the event in the ledger', async () => {
    const area = freshArea();
    const answer = await open(area, reporterOf(area));
    expect(answer.status).toBe(201);
    const events = await streamEvents(area);
    expect(events.map((e) => e.type)).toEqual(['PollingAreaRegistered', 'PollingAreaOpened']);
    expect(answer.body).toEqual({
      eventIds: events.map((e) => e.eventId),
      position: events[1]?.position,
    });
    expect(events[1]?.metadata).toMatchObject({
      occurredAt: at('07:00'),
      actor: { id: reporterOf(area), role: 'reporter' },
      traceparent: expect.stringMatching(/^00-[0-9a-f]{32}-[0-9a-f]{16}-0[01]$/),
    });
  });

  it('reports and closes in order; a decreasing report is 422 TURNOUT.DECREASED, recorded at the position given', async () => {
    const area = freshArea();
    const user = reporterOf(area);
    expect((await open(area, user)).status).toBe(201);
    expect((await report(area, user, '09:00', 20)).status).toBe(201);
    const decreased = await report(area, user, '11:00', 10);
    expectProblem(decreased, 422, 'TURNOUT.DECREASED');
    const closed = await post(
      `/polling-areas/${area.pollingAreaId}/close`,
      { at: at('19:00'), votersVoted: 30 },
      { user },
    );
    expect(closed.status).toBe(201);
    const events = await streamEvents(area);
    expect(events.map((e) => e.type)).toEqual([
      'PollingAreaRegistered',
      'PollingAreaOpened',
      'TurnoutReported',
      'TurnoutFigureRefused',
      'PollingAreaClosed',
    ]);
    expect(decreased.body['details']).toMatchObject({ position: events[3]?.position });
  });

  it('refuses an opening at 04:59 with 422 POLLING.OUTSIDE_HOURS, appending nothing', async () => {
    const area = freshArea();
    await appendsNothing(async () => {
      expectProblem(await open(area, reporterOf(area), '04:59'), 422, 'POLLING.OUTSIDE_HOURS');
    });
  });

  it('answers 404 NOT_FOUND for an area the reference data does not hold', async () => {
    await appendsNothing(async () => {
      const answer = await post(
        '/polling-areas/PA-99999-999/open',
        { at: at('07:00') },
        {
          user: 'admin',
        },
      );
      expectProblem(answer, 404, 'NOT_FOUND');
    });
  });
});

describe('roles and scope', () => {
  it('refuses a reporter acting for another area with 403 FORBIDDEN_SCOPE, in or out of its commune', async () => {
    const [a, sameCommune] = freshCommune();
    const other = freshArea();
    if (a === undefined || sameCommune === undefined) throw new Error('two areas');
    await appendsNothing(async () => {
      expectProblem(await open(other, reporterOf(a)), 403, 'FORBIDDEN_SCOPE');
      expectProblem(await open(sameCommune, reporterOf(a)), 403, 'FORBIDDEN_SCOPE');
    });
  });

  it("lets a commune account act for its own commune's areas and refuses another commune's", async () => {
    const [a] = freshCommune();
    const other = freshArea();
    if (a === undefined) throw new Error('an area');
    expect((await open(a, communeUserOf(a))).status).toBe(201);
    expect((await streamEvents(a))[1]?.metadata.actor).toEqual({
      id: communeUserOf(a),
      role: 'commune',
    });
    await appendsNothing(async () => {
      expectProblem(await open(other, communeUserOf(a)), 403, 'FORBIDDEN_SCOPE');
    });
  });

  it('lets admin act anywhere', async () => {
    expect((await open(freshArea(), 'admin')).status).toBe(201);
  });

  it.each(['ops', 'police', 'auditor'])('refuses %s with 403 FORBIDDEN_ROLE', async (user) => {
    const area = freshArea();
    await appendsNothing(async () => {
      expectProblem(await open(area, user), 403, 'FORBIDDEN_ROLE');
    });
  });

  it('refuses a request without a token with 401', async () => {
    await appendsNothing(async () => {
      expectProblem(await open(freshArea(), undefined), 401, 'UNAUTHENTICATED');
    });
  });
});

describe('hostile bodies', () => {
  const area = (): Area => {
    const a = communes[0]?.[0];
    if (a === undefined) throw new Error('an area');
    return a;
  };
  it.each([
    [
      'an extra field',
      'turnout-reports',
      { asOf: at('09:00'), votersVoted: 5, role: 'admin' },
      400,
    ],
    ['a negative count', 'turnout-reports', { asOf: at('09:00'), votersVoted: -1 }, 400],
    ['a fractional count', 'turnout-reports', { asOf: at('09:00'), votersVoted: 1.5 }, 400],
    ['a string number', 'turnout-reports', { asOf: at('09:00'), votersVoted: '5' }, 400],
    ['a time without offset', 'open', { at: '2026-03-15T07:00:00' }, 400],
    ['a missing field', 'close', { at: at('19:00') }, 400],
    ['an array', 'open', [at('07:00')], 400],
    ['null', 'open', null, 400],
    ['broken JSON', 'open', '{"at":', 400],
    ['a 2 MB body', 'open', JSON.stringify({ at: at('07:00'), pad: 'x'.repeat(2 << 20) }), 413],
  ])('refuses %s with %i, appending nothing', async (_name, route, body, status) => {
    await appendsNothing(async () => {
      const answer = await post(`/polling-areas/${area().pollingAreaId}/${route}`, body, {
        user: 'admin',
        raw: typeof body === 'string',
      });
      expect(answer.status).toBe(status);
      expect(answer.body['code']).toBe(status === 413 ? 'PAYLOAD_TOO_LARGE' : 'VALIDATION_FAILED');
      if (status === 400 && typeof body !== 'string') {
        expect(Array.isArray(answer.body['errors'])).toBe(true);
      }
    });
  });

  it('refuses an Idempotency-Key that is not a UUID with 400', async () => {
    await appendsNothing(async () => {
      expectProblem(await open(area(), 'admin', '07:00', 'not-a-uuid'), 400, 'VALIDATION_FAILED');
    });
  });
});

describe('Idempotency-Key', () => {
  it('answers a replay with the first answer and appends once; another body is 409', async () => {
    const area = freshArea();
    const key = randomUUID();
    const first = await open(area, reporterOf(area), '07:00', key);
    expect(first.status).toBe(201);
    await appendsNothing(async () => {
      const again = await open(area, reporterOf(area), '07:00', key);
      expect(again.status).toBe(201);
      expect(again.body).toEqual(first.body);
      expectProblem(
        await open(area, reporterOf(area), '07:01', key),
        409,
        'IDEMPOTENCY_KEY_REUSED',
      );
    });
    expect((await streamEvents(area)).filter((e) => e.type === 'PollingAreaOpened')).toHaveLength(
      1,
    );
    expect((await streamEvents(area))[1]?.metadata.correlationId).toBe(key);
  });

  it('lets concurrent duplicates wait for the first and share its answer', async () => {
    const area = freshArea();
    const key = randomUUID();
    const answers = await Promise.all(
      Array.from({ length: 5 }, () => open(area, reporterOf(area), '07:00', key)),
    );
    expect(answers.map((a) => a.status)).toEqual([201, 201, 201, 201, 201]);
    expect(new Set(answers.map((a) => JSON.stringify(a.body))).size).toBe(1);
    expect((await streamEvents(area)).map((e) => e.type)).toEqual([
      'PollingAreaRegistered',
      'PollingAreaOpened',
    ]);
  });
});

describe('throughput', () => {
  it('takes turnout reports through HTTP from many areas at once', async () => {
    const areas = Array.from({ length: 20 }, () => freshArea());
    for (const a of areas) expect((await open(a, 'admin')).status).toBe(201);
    const perArea = 10;
    const started = performance.now();
    await Promise.all(
      areas.map(async (a) => {
        for (let i = 1; i <= perArea; i++) {
          const minute = String(i).padStart(2, '0');
          expect((await report(a, 'admin', `09:${minute}`, i)).status).toBe(201);
        }
      }),
    );
    const seconds = (performance.now() - started) / 1_000;
    console.info(
      `turnout reports through HTTP: ${areas.length * perArea} in ${seconds.toFixed(2)} s ` +
        `(${Math.round((areas.length * perArea) / seconds)}/s, ${areas.length} areas in parallel)`,
    );
  });
});

describe('when the turnout service is away', () => {
  it('answers 503 with Retry-After, appending nothing', async () => {
    await turnout?.close();
    turnout = undefined;
    const area = freshArea();
    await appendsNothing(async () => {
      const answer = await open(area, reporterOf(area));
      expectProblem(answer, 503, 'UNAVAILABLE');
      expect(Number(answer.headers.get('retry-after'))).toBeGreaterThan(0);
    });
  });
});
