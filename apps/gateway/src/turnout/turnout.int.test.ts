// The three turnout commands through HTTP against real servers: PostgreSQL with the reference data
// and the demo users, nats-server, a ledger and the turnout service in-process; role, scope, domain
// refusals, hostile bodies and Idempotency-Key, checked against what the ledger holds.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningTurnoutService } from '@hpe/turnout/service';
import {
  communeUserOf,
  expectProblem,
  groupByCommune,
  handOut,
  reporterOf,
  startGatewayHarness,
  type Answer,
  type GatewayHarness,
  type ReferenceArea,
} from '../testing/gateway-harness.test-support.js';
import { turnoutService } from '../testing/service-starters.test-support.js';

type Area = ReferenceArea;

let h: GatewayHarness;
let turnout: RunningTurnoutService | undefined;
/** Areas voting on 15 March, grouped by commune, handed out one test at a time. */
let communes: Area[][] = [];
/** A commune (with at least three areas) no other test has touched. */
let freshCommune: () => Area[];

beforeAll(async () => {
  const startTurnout = turnoutService(new Date('2026-03-15T20:00:00+07:00'));
  h = await startGatewayHarness('gateway_turnout', {
    services: [async (context) => (turnout = await startTurnout(context))],
  });
  communes = groupByCommune(h.areas.filter((a) => a.electionDate === '2026-03-15')).filter(
    (areas) => areas.length >= 3,
  );
  freshCommune = handOut(communes, 'communes');
}, 120_000);

afterAll(async () => {
  await h.stop();
});

function freshArea(): Area {
  const [area] = freshCommune();
  if (area === undefined) throw new Error('empty commune');
  return area;
}

const post: GatewayHarness['post'] = (path, body, options) => h.post(path, body, options);
const appendsNothing: GatewayHarness['appendsNothing'] = (act) => h.appendsNothing(act);
const streamEvents = (area: Area) => h.readStream(`turnout-${area.pollingAreaId}`);

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
