// Read your writes (design/api.md): every query accepts `?minPosition=N`, answers once the read
// models reflect N (with `asOfPosition`), waits up to 5 s, then 503 with Retry-After; a value that
// is not a position is a 400. Real servers: the turnout and incidents services, the projector.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  expectProblem,
  handOut,
  startGatewayHarness,
  type Answer,
  type GatewayHarness,
  type ReferenceArea,
} from '../testing/gateway-harness.test-support.js';
import { incidentsService, turnoutService } from '../testing/service-starters.test-support.js';

let h: GatewayHarness;
let areas: ReferenceArea[];
let incidentId = '';
/** An area of 15 March no other test in this file has touched. */
let freshArea: () => ReferenceArea;

function created(answer: Answer): number {
  expect(answer.status, JSON.stringify(answer.body)).toBe(201);
  return answer.body['position'] as number;
}

const openArea = (area: ReferenceArea): Promise<Answer> =>
  h.post(
    `/polling-areas/${area.pollingAreaId}/open`,
    { at: '2026-03-15T07:00:00+07:00' },
    { user: 'admin' },
  );

beforeAll(async () => {
  h = await startGatewayHarness('gateway_read_position', {
    services: [turnoutService(), incidentsService()],
    projector: true,
  });
  areas = h.areas.filter((a) => a.electionDate === '2026-03-15');
  freshArea = handOut(areas, 'areas');
  const report = await h.post(
    '/incidents',
    {
      pollingAreaId: freshArea().pollingAreaId,
      category: 'other',
      severity: 'low',
      description: 'A queue at the door.',
      occurredAt: '2026-03-15T08:00:00+07:00',
    },
    { user: 'ops' },
  );
  created(report);
  incidentId = String(report.body['incidentId']);
}, 120_000);

afterAll(async () => {
  await h?.stop();
});

/** Every query of design/api.md "Queries" that reads the read models. */
function queries(area: ReferenceArea): string[] {
  return [
    '/overview',
    '/communes',
    `/communes/${area.communeId}`,
    '/polling-areas',
    `/polling-areas/${area.pollingAreaId}`,
    '/turnout/timeline',
    '/results/na',
    `/results/na/${area.units.na}`,
    '/incidents',
    `/incidents/${incidentId}`,
    '/anomalies',
  ];
}

describe('?minPosition=', () => {
  it('answers every query once the read models hold the write, with asOfPosition at or past it', async () => {
    const area = freshArea();
    const position = created(await openArea(area));
    for (const path of queries(area)) {
      const answer = await h.get(`${path}?minPosition=${position}`, { user: 'admin' });
      expect(answer.status, path).toBe(200);
      expect(answer.body['asOfPosition'], path).toBeGreaterThanOrEqual(position);
    }
    const read = await h.get(`/polling-areas/${area.pollingAreaId}?minPosition=${position}`, {
      user: 'admin',
    });
    expect(read.body['status']).toBe('open');
  });

  it('waits for a position not written yet, and answers as soon as the write is projected', async () => {
    const area = freshArea();
    const head = await h.head();
    const started = performance.now();
    const pending = h.get(`/polling-areas/${area.pollingAreaId}?minPosition=${head + 1}`, {
      user: 'ops',
    });
    await new Promise((resolve) => setTimeout(resolve, 500));
    // Opening a fresh area appends its registration and its opening: head + 1 is the first.
    expect(created(await openArea(area))).toBeGreaterThan(head);
    const answer = await pending;
    const waited = performance.now() - started;
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ status: 'open', openedAt: '2026-03-15T00:00:00.000Z' });
    expect(answer.body['asOfPosition']).toBeGreaterThanOrEqual(head + 1);
    expect(waited).toBeGreaterThanOrEqual(500);
    expect(waited).toBeLessThan(5_000);
  });

  it('gives up after 5 s on a position beyond the head: 503 with Retry-After', async () => {
    const beyond = (await h.head()) + 1_000;
    const started = performance.now();
    const answer = await h.get(`/overview?minPosition=${beyond}`, { user: 'ops' });
    const waited = performance.now() - started;
    expectProblem(answer, 503, 'NOT_YET_VISIBLE');
    expect(Number(answer.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(waited).toBeGreaterThanOrEqual(4_900);
    expect(waited).toBeLessThan(7_000);
  }, 15_000);

  it.each([
    ['a negative number', '-1'],
    ['a fraction', '1.5'],
    ['a word', 'latest'],
    ['a blank value', ''],
    ['hexadecimal', '0x10'],
    ['an exponent', '1e3'],
    ['a number past 2^53', '9007199254740993'],
    ['a repeated parameter', '1&minPosition=2'],
  ])('refuses %s with 400 VALIDATION_FAILED on every query', async (_name, value) => {
    const area = areas[0] as ReferenceArea;
    for (const path of queries(area)) {
      expectProblem(
        await h.get(`${path}?minPosition=${value}`, { user: 'admin' }),
        400,
        'VALIDATION_FAILED',
      );
    }
  });
});
