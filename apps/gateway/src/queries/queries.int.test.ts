// The queries of design/api.md on real servers: every command service, the projector and the
// gateway in-process on a real PostgreSQL and nats-server. A known day is written through the HTTP
// API (voters imported, areas opened, turnout reported, check-ins, a refused check-in, a closed
// area, counting minutes, a declared result, incidents), then every query is read back with
// `?minPosition=` and its exact figures, scope filtering, 403 / 404 / 400 are checked.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Level } from '@hpe/domain';
import {
  expectProblem,
  startGatewayHarness,
  type Answer,
  type GatewayHarness,
  type ReferenceArea,
} from '../testing/gateway-harness.test-support.js';
import { allServices } from '../testing/service-starters.test-support.js';

interface Unit {
  readonly unitId: string;
  readonly level: Level;
  readonly seats: number;
  readonly candidates: readonly { candidateId: string; name: string; birthDate: string }[];
}

let h: GatewayHarness;
/** Commune C1: A1 (closed), A2 (open, reported), A3 (untouched); commune C2: B1 (open, reported). */
let a1: ReferenceArea;
let a2: ReferenceArea;
let a3: ReferenceArea;
let b1: ReferenceArea;
let c1Areas: ReferenceArea[];
/** A commune-level unit outside C1 and C2 whose every area submits its minute: elected, declared. */
let smallUnit: Unit;
let smallUnitAreas: ReferenceArea[];
let naUnitOfA1: Unit;
let a1Minute: ReturnType<typeof minuteFor>;
let incidentA1 = '';
let incidentB1 = '';
let refusedCheckInEventId = '';
/** The last position written by the set-up (the detector's anomalies included). */
let last = 0;

const cardsOfA1 = ['0001', '0002', '0003'];

function created(answer: Answer): number {
  expect(answer.status, JSON.stringify(answer.body)).toBe(201);
  const position = answer.body['position'];
  if (typeof position !== 'number') throw new Error('no position in a 201');
  return position;
}

function minuteFor(area: ReferenceArea, unit: Unit) {
  const votersVoted = Math.floor(area.votersOnList * 0.8);
  const validBallots = votersVoted - 2;
  return {
    votersOnList: area.votersOnList,
    votersVoted,
    ballotsIssued: votersVoted,
    ballotsReceived: votersVoted,
    validBallots,
    invalidBallots: 2,
    // The first `seats` candidates well ahead (over half of valid), the others with a few votes.
    votes: Object.fromEntries(
      unit.candidates.map((c, i) => [
        c.candidateId,
        i < unit.seats ? Math.floor(validBallots * 0.8) - i : i,
      ]),
    ),
    complaints: { received: 0, resolved: 0, forwarded: 0 },
  };
}

const sum = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0);
const pct = (part: number, whole: number): number =>
  whole === 0 ? 0 : Math.round((part / whole) * 10_000) / 100;
const reporterOf = (area: ReferenceArea): string => `pa-${area.pollingAreaId}`;
const communeUserOf = (area: ReferenceArea): string => `commune-${area.communeId}`;
const utc = (local: string): string => new Date(local).toISOString();

async function importVoters(area: ReferenceArea, seqs: readonly string[], serial: number) {
  const lines = seqs.map((seq, i) =>
    JSON.stringify({
      citizenId: `031075${String(serial + i).padStart(6, '0')}`,
      fullName: 'Nguyễn Văn Lâm',
      birthYear: 1975,
      gender: 'male',
      pollingAreaId: area.pollingAreaId,
      cardNumber: `${area.pollingAreaId}-${seq}`,
    }),
  );
  const answer = await h.post('/voters/import', `${lines.join('\n')}\n`, {
    user: 'admin',
    raw: true,
    headers: { 'content-type': 'application/x-ndjson' },
  });
  expect(answer.status, JSON.stringify(answer.body)).toBe(200);
  expect(answer.body['imported'], JSON.stringify(answer.body)).toBe(seqs.length);
}

/** Waits until the ledger's head stops moving (the detector done) and the projector has it. */
async function settle(): Promise<number> {
  for (;;) {
    const head = await h.head();
    await h.projected(head);
    await new Promise((resolve) => setTimeout(resolve, 600));
    if ((await h.head()) === head) return head;
  }
}

beforeAll(async () => {
  h = await startGatewayHarness('gateway_queries', { services: allServices(), projector: true });
  const voting = h.areas.filter((a) => a.electionDate === '2026-03-15');
  const byCommune = new Map<string, ReferenceArea[]>();
  for (const a of voting) byCommune.set(a.communeId, [...(byCommune.get(a.communeId) ?? []), a]);
  // Big enough lists that the figures below raise no rate anomaly (a jump, very high early).
  const big = (a: ReferenceArea): boolean => a.votersOnList >= 800;
  const [first, second] = [...byCommune.values()].filter(
    (areas) => areas.length >= 3 && areas.filter(big).length >= 2,
  );
  if (first === undefined || second === undefined) throw new Error('no communes to test with');
  c1Areas = first;
  [a1, a2] = first.filter(big) as [ReferenceArea, ReferenceArea];
  a3 = first.find((a) => a !== a1 && a !== a2) as ReferenceArea;
  b1 = second.find(big) as ReferenceArea;

  const units = (await h.get('/electoral-units', { user: 'admin' })).body['units'] as Unit[];
  const unitById = new Map(units.map((u) => [u.unitId, u]));
  naUnitOfA1 = unitById.get(a1.units.na) as Unit;
  const areasOfUnit = (unitId: string): ReferenceArea[] =>
    h.areas.filter((a) => a.units.commune === unitId);
  smallUnit = units
    .filter((u) => u.level === 'commune')
    .map((u) => ({ u, areas: areasOfUnit(u.unitId) }))
    .filter(
      ({ areas }) =>
        areas.length > 0 &&
        areas.every(
          (a) =>
            a.communeId !== a1.communeId &&
            a.communeId !== b1.communeId &&
            a.votersOnList >= 100 &&
            a.electionDate === '2026-03-15',
        ),
    )
    .sort((x, y) => x.areas.length - y.areas.length)[0]?.u as Unit;
  smallUnitAreas = areasOfUnit(smallUnit.unitId);

  await importVoters(a1, cardsOfA1, 700_001);
  await importVoters(b1, ['0001'], 700_101);
  created(
    await h.post(
      `/polling-areas/${a1.pollingAreaId}/open`,
      { at: '2026-03-15T07:00:00+07:00' },
      { user: reporterOf(a1) },
    ),
  );
  created(
    await h.post(
      `/polling-areas/${a2.pollingAreaId}/open`,
      { at: '2026-03-15T07:05:00+07:00' },
      { user: communeUserOf(a2) },
    ),
  );
  created(
    await h.post(
      `/polling-areas/${b1.pollingAreaId}/open`,
      { at: '2026-03-15T07:00:00+07:00' },
      { user: 'admin' },
    ),
  );
  for (const [seq, at] of [
    ['0001', '2026-03-15T07:30:00+07:00'],
    ['0002', '2026-03-15T07:40:00+07:00'],
  ] as const) {
    created(
      await h.post(
        '/check-ins',
        { cardNumber: `${a1.pollingAreaId}-${seq}`, pollingAreaId: a1.pollingAreaId, at },
        { user: reporterOf(a1) },
      ),
    );
  }
  const again = await h.post(
    '/check-ins',
    {
      cardNumber: `${a1.pollingAreaId}-0001`,
      pollingAreaId: a1.pollingAreaId,
      at: '2026-03-15T07:50:00+07:00',
    },
    { user: reporterOf(a1) },
  );
  expectProblem(again, 422, 'CARD.ALREADY_USED');
  const refusedAt = (again.body['details'] as { position: number }).position;
  const events = await h.ledger.readAll({ fromPosition: refusedAt, limit: 1 });
  if (!events.ok) throw new Error(events.error.code);
  refusedCheckInEventId = events.value.events[0]?.eventId ?? '';

  created(
    await h.post(
      `/polling-areas/${a1.pollingAreaId}/turnout-reports`,
      { asOf: '2026-03-15T09:00:00+07:00', votersVoted: 120 },
      { user: reporterOf(a1) },
    ),
  );
  created(
    await h.post(
      `/polling-areas/${a1.pollingAreaId}/turnout-reports`,
      { asOf: '2026-03-15T11:00:00+07:00', votersVoted: 300 },
      { user: reporterOf(a1) },
    ),
  );
  created(
    await h.post(
      `/polling-areas/${a2.pollingAreaId}/turnout-reports`,
      { asOf: '2026-03-15T09:00:00+07:00', votersVoted: 80 },
      { user: communeUserOf(a2) },
    ),
  );
  created(
    await h.post(
      `/polling-areas/${b1.pollingAreaId}/turnout-reports`,
      { asOf: '2026-03-15T09:15:00+07:00', votersVoted: 40 },
      { user: communeUserOf(b1) },
    ),
  );
  created(
    await h.post(
      `/polling-areas/${a1.pollingAreaId}/close`,
      { at: '2026-03-15T19:00:00+07:00', votersVoted: 400 },
      { user: reporterOf(a1) },
    ),
  );

  a1Minute = minuteFor(a1, naUnitOfA1);
  created(
    await h.post(`/polling-areas/${a1.pollingAreaId}/minutes/na`, a1Minute, {
      user: reporterOf(a1),
    }),
  );
  for (const area of smallUnitAreas) {
    created(
      await h.post(
        `/polling-areas/${area.pollingAreaId}/minutes/commune`,
        minuteFor(area, smallUnit),
        { user: communeUserOf(area) },
      ),
    );
  }
  created(await h.post(`/results/commune/${smallUnit.unitId}/declare`, {}, { user: 'admin' }));

  const reportA1 = await h.post(
    '/incidents',
    {
      pollingAreaId: a1.pollingAreaId,
      category: 'equipment',
      severity: 'high',
      description: 'The card scanner stopped.',
      occurredAt: '2026-03-15T08:30:00+07:00',
    },
    { user: reporterOf(a1) },
  );
  created(reportA1);
  incidentA1 = String(reportA1.body['incidentId']);
  const reportB1 = await h.post(
    '/incidents',
    {
      pollingAreaId: b1.pollingAreaId,
      category: 'weather',
      severity: 'low',
      description: 'Rain at the entrance.',
      occurredAt: '2026-03-15T10:00:00+07:00',
    },
    { user: communeUserOf(b1) },
  );
  created(reportB1);
  incidentB1 = String(reportB1.body['incidentId']);
  created(await h.post(`/incidents/${incidentA1}/acknowledge`, {}, { user: 'police' }));
  last = await settle();
}, 240_000);

afterAll(async () => {
  await h?.stop();
});

const q = (path: string): string => `${path}${path.includes('?') ? '&' : '?'}minPosition=${last}`;

describe('GET /api/v1/overview', () => {
  it('gives the city-wide roles the running totals of the whole city as of the position asked', async () => {
    const anomalies = (await h.get(q('/anomalies?limit=1000'), { user: 'admin' })).body[
      'anomalies'
    ] as { status: string }[];
    const votersOnList = sum(h.areas.map((a) => a.votersOnList));
    const expected = {
      scope: { kind: 'city' },
      votersOnList,
      votersVoted: 400 + 80 + 40,
      checkIns: 2,
      turnoutPct: pct(520, votersOnList),
      pollingAreas: { total: h.areas.length, opened: 3, reported: 3, closed: 1 },
      minutes: { expected: h.areas.length * 3, received: 1 + smallUnitAreas.length },
      anomaliesOpen: anomalies.filter((a) => a.status === 'open' || a.status === 'acknowledged')
        .length,
      incidentsOpen: 2,
    };
    for (const user of ['admin', 'ops', 'police', 'auditor']) {
      const answer = await h.get(q('/overview'), { user });
      expect(answer.status).toBe(200);
      expect(answer.body).toEqual({ asOfPosition: answer.body['asOfPosition'], ...expected });
      expect(answer.body['asOfPosition']).toBeGreaterThanOrEqual(last);
    }
    expect(expected.anomaliesOpen).toBe(2);
  });

  it("gives a commune account its commune's totals, and a reporter its own area's", async () => {
    const c1List = sum(c1Areas.map((a) => a.votersOnList));
    const commune = await h.get(q('/overview'), { user: communeUserOf(a1) });
    expect(commune.body).toMatchObject({
      scope: { kind: 'commune', id: a1.communeId },
      votersOnList: c1List,
      votersVoted: 480,
      checkIns: 2,
      turnoutPct: pct(480, c1List),
      pollingAreas: { total: c1Areas.length, opened: 2, reported: 2, closed: 1 },
      minutes: { expected: c1Areas.length * 3, received: 1 },
      incidentsOpen: 1,
    });
    const area = await h.get(q('/overview'), { user: reporterOf(a1) });
    expect(area.body).toMatchObject({
      scope: { kind: 'pollingArea', id: a1.pollingAreaId },
      votersOnList: a1.votersOnList,
      votersVoted: 400,
      checkIns: 2,
      turnoutPct: pct(400, a1.votersOnList),
      pollingAreas: { total: 1, opened: 1, reported: 1, closed: 1 },
      minutes: { expected: 3, received: 1 },
      incidentsOpen: 1,
    });
    const untouched = await h.get(q('/overview'), { user: reporterOf(a3) });
    expect(untouched.body).toMatchObject({
      votersVoted: 0,
      checkIns: 0,
      pollingAreas: { total: 1, opened: 0, reported: 0, closed: 0 },
      incidentsOpen: 0,
      anomaliesOpen: 0,
    });
  });

  it('answers 401 without a token and 400 for an unknown parameter', async () => {
    expectProblem(await h.get('/overview'), 401, 'UNAUTHENTICATED');
    expectProblem(await h.get('/overview?scope=city', { user: 'ops' }), 400, 'VALIDATION_FAILED');
  });
});

describe('GET /api/v1/communes', () => {
  it('lists every commune with its progress for the city-wide roles', async () => {
    const answer = await h.get(q('/communes'), { user: 'ops' });
    expect(answer.status).toBe(200);
    const communes = answer.body['communes'] as { communeId: string }[];
    expect(communes).toHaveLength(new Set(h.areas.map((a) => a.communeId)).size);
    const c1List = sum(c1Areas.map((a) => a.votersOnList));
    expect(communes.find((c) => c.communeId === a1.communeId)).toMatchObject({
      votersOnList: c1List,
      votersVoted: 480,
      checkIns: 2,
      turnoutPct: pct(480, c1List),
      pollingAreas: { total: c1Areas.length, opened: 2, reported: 2, closed: 1 },
      minutes: { expected: c1Areas.length * 3, received: 1 },
    });
    const b1Commune = h.areas.filter((a) => a.communeId === b1.communeId);
    expect(communes.find((c) => c.communeId === b1.communeId)).toMatchObject({
      votersVoted: 40,
      checkIns: 0,
      pollingAreas: { total: b1Commune.length, opened: 1, reported: 1, closed: 0 },
    });
  });

  it('counts per commune the areas that reported as of a round, with open anomalies and incidents', async () => {
    const at9 = await h.get(q('/communes?round=09:00'), { user: 'ops' });
    const at11 = await h.get(q('/communes?round=11:00'), { user: 'ops' });
    type Row = {
      communeId: string;
      round?: { at: string; reported: number };
      anomaliesOpen: number;
      incidentsOpen: number;
    };
    const row = (answer: typeof at9, communeId: string): Row | undefined =>
      (answer.body['communes'] as Row[]).find((c) => c.communeId === communeId);
    // a1 reported at 09:00 and 11:00, a2 at 09:00 only; b1 at 09:15.
    expect(row(at9, a1.communeId)?.round).toEqual({ at: '2026-03-15T09:00:00+07:00', reported: 2 });
    expect(row(at11, a1.communeId)?.round).toEqual({
      at: '2026-03-15T11:00:00+07:00',
      reported: 1,
    });
    expect(row(at9, b1.communeId)?.round?.reported).toBe(1);
    expect(row(at11, b1.communeId)?.round?.reported).toBe(0);
    const overview = await h.get(q('/overview'), { user: 'ops' });
    const all = at9.body['communes'] as Row[];
    expect(all.reduce((n, c) => n + c.incidentsOpen, 0)).toBe(overview.body['incidentsOpen']);
    expect(all.reduce((n, c) => n + c.anomaliesOpen, 0)).toBe(overview.body['anomaliesOpen']);
    // Without a round there is none; a round that is not HH:MM is refused.
    expect(row(await h.get(q('/communes'), { user: 'ops' }), a1.communeId)?.round).toBeUndefined();
    expectProblem(await h.get('/communes?round=9:00', { user: 'ops' }), 400, 'VALIDATION_FAILED');
  });

  it('gives a commune account its own commune only, a reporter none (its scope is one area)', async () => {
    const own = await h.get(q('/communes'), { user: communeUserOf(a1) });
    expect((own.body['communes'] as { communeId: string }[]).map((c) => c.communeId)).toEqual([
      a1.communeId,
    ]);
    const reporter = await h.get(q('/communes'), { user: reporterOf(a1) });
    expect(reporter.status).toBe(200);
    expect(reporter.body['communes']).toEqual([]);
  });

  it('answers one commune with its card distribution; another commune is 403, an unknown one 404', async () => {
    const answer = await h.get(q(`/communes/${a1.communeId}`), { user: communeUserOf(a1) });
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({
      communeId: a1.communeId,
      votersVoted: 480,
      cards: { registered: 3, checkedIn: 2, checkInsRefused: 1, delivered: 0, struckOff: 0 },
    });
    expect(answer.body['asOfPosition']).toBeGreaterThanOrEqual(last);
    expectProblem(
      await h.get(`/communes/${b1.communeId}`, { user: communeUserOf(a1) }),
      403,
      'FORBIDDEN_SCOPE',
    );
    expectProblem(
      await h.get(`/communes/${a1.communeId}`, { user: reporterOf(a1) }),
      403,
      'FORBIDDEN_SCOPE',
    );
    expectProblem(await h.get('/communes/99999', { user: 'admin' }), 404, 'NOT_FOUND');
    expectProblem(
      await h.get(`/communes/${a1.communeId}?minPosition=x`, { user: 'admin' }),
      400,
      'VALIDATION_FAILED',
    );
  });
});

describe('GET /api/v1/polling-areas', () => {
  it("lists a commune's areas with status, turnout, check-ins and minutes", async () => {
    const answer = await h.get(q(`/polling-areas?communeId=${a1.communeId}`), { user: 'police' });
    expect(answer.status).toBe(200);
    const areas = answer.body['pollingAreas'] as Record<string, unknown>[];
    expect(areas.map((a) => a['pollingAreaId'])).toEqual(c1Areas.map((a) => a.pollingAreaId));
    const byId = new Map(areas.map((a) => [a['pollingAreaId'], a]));
    expect(byId.get(a1.pollingAreaId)).toEqual({
      pollingAreaId: a1.pollingAreaId,
      communeId: a1.communeId,
      name: expect.any(String),
      votersOnList: a1.votersOnList,
      units: a1.units,
      status: 'closed',
      reported: true,
      lastReportAsOf: utc('2026-03-15T11:00:00+07:00'),
      votersVoted: 400,
      turnoutPct: pct(400, a1.votersOnList),
      checkIns: 2,
      minutesReceived: 1,
    });
    expect(byId.get(a2.pollingAreaId)).toMatchObject({
      status: 'open',
      votersVoted: 80,
      checkIns: 0,
      minutesReceived: 0,
    });
    expect(byId.get(a3.pollingAreaId)).toMatchObject({
      status: 'not_opened',
      reported: false,
      votersVoted: 0,
    });
  });

  it('filters by electoral unit; a commune sees its own areas only, a reporter its one', async () => {
    const unit = await h.get(q(`/polling-areas?level=commune&unitId=${smallUnit.unitId}`), {
      user: 'auditor',
    });
    expect(
      (unit.body['pollingAreas'] as { pollingAreaId: string; minutesReceived: number }[]).map(
        (a) => [a.pollingAreaId, a.minutesReceived],
      ),
    ).toEqual(smallUnitAreas.map((a) => [a.pollingAreaId, 1]));
    const own = await h.get(q('/polling-areas'), { user: communeUserOf(a1) });
    expect(
      (own.body['pollingAreas'] as { pollingAreaId: string }[]).map((a) => a.pollingAreaId),
    ).toEqual(c1Areas.map((a) => a.pollingAreaId));
    const one = await h.get(q('/polling-areas'), { user: reporterOf(a2) });
    expect(
      (one.body['pollingAreas'] as { pollingAreaId: string }[]).map((a) => a.pollingAreaId),
    ).toEqual([a2.pollingAreaId]);
    expectProblem(
      await h.get(`/polling-areas?communeId=${b1.communeId}`, { user: communeUserOf(a1) }),
      403,
      'FORBIDDEN_SCOPE',
    );
  });

  it.each([
    ['a unit without its level', 'unitId=x1'],
    ['an unknown level', 'level=district'],
    ['an unknown parameter', 'status=open'],
    ['a negative minPosition', 'minPosition=-1'],
  ])('answers %s with 400 VALIDATION_FAILED', async (_name, query) => {
    expectProblem(
      await h.get(`/polling-areas?${query}`, { user: 'ops' }),
      400,
      'VALIDATION_FAILED',
    );
  });

  it('answers one area in full: times, turnout, check-ins, its minute, incidents and anomalies', async () => {
    const answer = await h.get(q(`/polling-areas/${a1.pollingAreaId}`), { user: reporterOf(a1) });
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({
      pollingAreaId: a1.pollingAreaId,
      communeId: a1.communeId,
      units: a1.units,
      votersOnList: a1.votersOnList,
      status: 'closed',
      openedAt: utc('2026-03-15T07:00:00+07:00'),
      closedAt: utc('2026-03-15T19:00:00+07:00'),
      lastReportAsOf: utc('2026-03-15T11:00:00+07:00'),
      turnoutReports: 2,
      votersVoted: 400,
      checkIns: 2,
      checkInsRefused: 1,
      minutes: [
        {
          level: 'na',
          unitId: a1.units.na,
          version: 1,
          votersVoted: a1Minute.votersVoted,
          ballotsReceived: a1Minute.ballotsReceived,
          validBallots: a1Minute.validBallots,
          invalidBallots: 2,
          votes: a1Minute.votes,
          correctedAt: null,
          correctionReason: null,
        },
      ],
      incidents: [
        { incidentId: incidentA1, category: 'equipment', severity: 'high', status: 'acknowledged' },
      ],
    });
    const kinds = (answer.body['anomalies'] as { kind: string }[]).map((a) => a.kind);
    expect(kinds).toContain('card_reused');
  });

  it('refuses an area outside the caller’s scope (403) and answers 404 for an unknown one', async () => {
    expectProblem(
      await h.get(`/polling-areas/${a2.pollingAreaId}`, { user: reporterOf(a1) }),
      403,
      'FORBIDDEN_SCOPE',
    );
    expectProblem(
      await h.get(`/polling-areas/${b1.pollingAreaId}`, { user: communeUserOf(a1) }),
      403,
      'FORBIDDEN_SCOPE',
    );
    expect(
      (await h.get(`/polling-areas/${a3.pollingAreaId}`, { user: communeUserOf(a1) })).status,
    ).toBe(200);
    expectProblem(await h.get('/polling-areas/PA-00000-999', { user: 'admin' }), 404, 'NOT_FOUND');
  });
});

describe('GET /api/v1/turnout/timeline', () => {
  const point = (
    local: string,
    votersVoted: number,
    votersOnList: number,
    areasReporting: number,
  ) => ({
    at: utc(local),
    votersVoted,
    turnoutPct: pct(votersVoted, votersOnList),
    areasReporting,
  });

  it('gives an area, a commune and the city their curve in 15-minute steps', async () => {
    const area = await h.get(q(`/turnout/timeline?pollingAreaId=${a1.pollingAreaId}`), {
      user: 'ops',
    });
    expect(area.body).toMatchObject({
      scope: { kind: 'area', id: a1.pollingAreaId },
      votersOnList: a1.votersOnList,
      points: [
        point('2026-03-15T09:00:00+07:00', 120, a1.votersOnList, 1),
        point('2026-03-15T11:00:00+07:00', 300, a1.votersOnList, 1),
        point('2026-03-15T19:00:00+07:00', 400, a1.votersOnList, 1),
      ],
    });
    const c1List = sum(c1Areas.map((a) => a.votersOnList));
    const commune = await h.get(q(`/turnout/timeline?communeId=${a1.communeId}`), { user: 'ops' });
    expect(commune.body['points']).toEqual([
      point('2026-03-15T09:00:00+07:00', 200, c1List, 2),
      point('2026-03-15T11:00:00+07:00', 380, c1List, 2),
      point('2026-03-15T19:00:00+07:00', 480, c1List, 2),
    ]);
    const cityList = sum(h.areas.map((a) => a.votersOnList));
    const city = await h.get(q('/turnout/timeline'), { user: 'ops' });
    expect(city.body).toMatchObject({
      scope: { kind: 'city', id: 'city' },
      votersOnList: cityList,
    });
    expect(city.body['points']).toEqual([
      point('2026-03-15T09:00:00+07:00', 200, cityList, 2),
      point('2026-03-15T09:15:00+07:00', 240, cityList, 3),
      point('2026-03-15T11:00:00+07:00', 420, cityList, 3),
      point('2026-03-15T19:00:00+07:00', 520, cityList, 3),
    ]);
  });

  it('gives a scoped caller its own curve by default and refuses another scope', async () => {
    const own = await h.get(q('/turnout/timeline'), { user: communeUserOf(b1) });
    expect(own.body['scope']).toEqual({ kind: 'commune', id: b1.communeId });
    const area = await h.get(q('/turnout/timeline'), { user: reporterOf(a1) });
    expect(area.body['scope']).toEqual({ kind: 'area', id: a1.pollingAreaId });
    expectProblem(
      await h.get(`/turnout/timeline?communeId=${a1.communeId}`, { user: communeUserOf(b1) }),
      403,
      'FORBIDDEN_SCOPE',
    );
    expectProblem(
      await h.get(`/turnout/timeline?pollingAreaId=${a2.pollingAreaId}`, { user: reporterOf(a1) }),
      403,
      'FORBIDDEN_SCOPE',
    );
    expectProblem(
      await h.get('/turnout/timeline?communeId=99999', { user: 'ops' }),
      404,
      'NOT_FOUND',
    );
    expectProblem(
      await h.get(`/turnout/timeline?communeId=${a1.communeId}&pollingAreaId=${a1.pollingAreaId}`, {
        user: 'ops',
      }),
      400,
      'VALIDATION_FAILED',
    );
  });
});

describe('GET /api/v1/results', () => {
  it('gives a unit whose every area reported its elected candidates, declared', async () => {
    const answer = await h.get(q(`/results/commune/${smallUnit.unitId}`), { user: 'auditor' });
    expect(answer.status).toBe(200);
    const minutes = smallUnitAreas.map((a) => minuteFor(a, smallUnit));
    const validBallots = sum(minutes.map((m) => m.validBallots));
    const votesOf = (candidateId: string): number =>
      sum(minutes.map((m) => m.votes[candidateId] ?? 0));
    const candidates = smallUnit.candidates
      .map((c, i) => ({
        candidateId: c.candidateId,
        name: c.name,
        birthDate: c.birthDate,
        votes: votesOf(c.candidateId),
        pctOfValid: Math.round((votesOf(c.candidateId) * 10_000) / validBallots) / 100,
        elected: i < smallUnit.seats,
      }))
      .sort((x, y) => y.votes - x.votes || x.candidateId.localeCompare(y.candidateId));
    expect(answer.body).toMatchObject({
      unitId: smallUnit.unitId,
      level: 'commune',
      seats: smallUnit.seats,
      votersOnList: sum(smallUnitAreas.map((a) => a.votersOnList)),
      votersVoted: sum(minutes.map((m) => m.votersVoted)),
      validBallots,
      invalidBallots: 2 * minutes.length,
      areasReporting: smallUnitAreas.length,
      areasTotal: smallUnitAreas.length,
      candidates,
      outcome: 'elected',
      declared: true,
    });
  });

  it('gives a unit still counting its running totals, nobody elected', async () => {
    const answer = await h.get(q(`/results/na/${naUnitOfA1.unitId}`), { user: 'ops' });
    const areasOfUnit = h.areas.filter((a) => a.units.na === naUnitOfA1.unitId);
    expect(answer.body).toMatchObject({
      unitId: naUnitOfA1.unitId,
      votersVoted: a1Minute.votersVoted,
      validBallots: a1Minute.validBallots,
      invalidBallots: 2,
      areasReporting: 1,
      areasTotal: areasOfUnit.length,
      outcome: 'counting',
      declared: false,
    });
    const candidates = answer.body['candidates'] as {
      candidateId: string;
      votes: number;
      elected: boolean;
    }[];
    expect(candidates.every((c) => !c.elected)).toBe(true);
    expect(Object.fromEntries(candidates.map((c) => [c.candidateId, c.votes]))).toEqual(
      a1Minute.votes,
    );
  });

  it('lists the units of a level: all for the city-wide roles, the ones it votes in for a scoped caller', async () => {
    const all = await h.get(q('/results/na'), { user: 'police' });
    const units = all.body['units'] as { unitId: string }[];
    expect(units.map((u) => u.unitId)).toEqual([...new Set(h.areas.map((a) => a.units.na))].sort());
    const own = await h.get(q('/results/commune'), { user: reporterOf(a1) });
    expect((own.body['units'] as { unitId: string }[]).map((u) => u.unitId)).toEqual([
      a1.units.commune,
    ]);
    const commune = await h.get(q('/results/city'), { user: communeUserOf(a1) });
    expect((commune.body['units'] as { unitId: string }[]).map((u) => u.unitId)).toEqual(
      [...new Set(c1Areas.map((a) => a.units.city))].sort(),
    );
  });

  it('refuses a unit outside the scope (403); an unknown level or unit is 404', async () => {
    const elsewhere = h.areas.find((a) => a.units.na !== a1.units.na)?.units.na ?? '';
    expectProblem(
      await h.get(`/results/na/${elsewhere}`, { user: reporterOf(a1) }),
      403,
      'FORBIDDEN_SCOPE',
    );
    expectProblem(await h.get('/results/district', { user: 'ops' }), 404, 'NOT_FOUND');
    expectProblem(await h.get('/results/na/NA-99', { user: 'ops' }), 404, 'NOT_FOUND');
    expectProblem(
      await h.get(`/results/commune/${a1.units.na}`, { user: 'ops' }),
      404,
      'NOT_FOUND',
    );
    expectProblem(
      await h.get('/results/na?minPosition=1.5', { user: 'ops' }),
      400,
      'VALIDATION_FAILED',
    );
  });
});

describe('GET /api/v1/incidents', () => {
  it('lists every incident for the police, newest first, with filters', async () => {
    const answer = await h.get(q('/incidents'), { user: 'police' });
    expect(answer.status).toBe(200);
    const incidents = answer.body['incidents'] as Record<string, unknown>[];
    expect(incidents.map((i) => i['incidentId'])).toEqual([incidentB1, incidentA1]);
    expect(incidents[1]).toMatchObject({
      pollingAreaId: a1.pollingAreaId,
      communeId: a1.communeId,
      category: 'equipment',
      severity: 'high',
      status: 'acknowledged',
      description: 'The card scanner stopped.',
      occurredAt: utc('2026-03-15T08:30:00+07:00'),
    });
    const acknowledged = await h.get(q('/incidents?status=acknowledged'), { user: 'ops' });
    expect(
      (acknowledged.body['incidents'] as { incidentId: string }[]).map((i) => i.incidentId),
    ).toEqual([incidentA1]);
    const low = await h.get(q('/incidents?severity=low'), { user: 'auditor' });
    expect((low.body['incidents'] as { incidentId: string }[]).map((i) => i.incidentId)).toEqual([
      incidentB1,
    ]);
  });

  it("gives a commune its own commune's incidents; another commune is 403, a reporter has no read", async () => {
    const own = await h.get(q('/incidents'), { user: communeUserOf(b1) });
    expect((own.body['incidents'] as { incidentId: string }[]).map((i) => i.incidentId)).toEqual([
      incidentB1,
    ]);
    expectProblem(
      await h.get(`/incidents?communeId=${a1.communeId}`, { user: communeUserOf(b1) }),
      403,
      'FORBIDDEN_SCOPE',
    );
    expectProblem(
      await h.get(`/incidents/${incidentA1}`, { user: communeUserOf(b1) }),
      403,
      'FORBIDDEN_SCOPE',
    );
    expectProblem(await h.get('/incidents', { user: reporterOf(a1) }), 403, 'FORBIDDEN_ROLE');
  });

  it('answers one incident, 404 for an unknown id and 400 for a bad filter', async () => {
    const one = await h.get(q(`/incidents/${incidentA1}`), { user: communeUserOf(a1) });
    expect(one.body).toMatchObject({ incidentId: incidentA1, status: 'acknowledged' });
    expectProblem(
      await h.get('/incidents/019500aa-0000-7000-8000-000000000000', { user: 'police' }),
      404,
      'NOT_FOUND',
    );
    expectProblem(
      await h.get('/incidents?severity=HIGH', { user: 'police' }),
      400,
      'VALIDATION_FAILED',
    );
    expectProblem(await h.get('/incidents?limit=0', { user: 'police' }), 400, 'VALIDATION_FAILED');
  });
});

describe('GET /api/v1/anomalies', () => {
  it('lists exactly what the detector raised from the day written: the reused card, the check-in gap', async () => {
    const answer = await h.get(q('/anomalies'), { user: 'admin' });
    const anomalies = answer.body['anomalies'] as { kind: string; pollingAreaId: string }[];
    // 120 voters reported at 09:00 against 2 card check-ins: beyond the tolerance (5 % of the list).
    expect(anomalies.map((a) => [a.kind, a.pollingAreaId]).sort()).toEqual([
      ['card_reused', a1.pollingAreaId],
      ['turnout_checkin_mismatch', a1.pollingAreaId],
    ]);
  });

  it('lists what the detector raised with its evidence; a commune sees its own', async () => {
    const answer = await h.get(q('/anomalies?kind=card_reused'), { user: 'ops' });
    expect(answer.status).toBe(200);
    const [reused, ...more] = answer.body['anomalies'] as Record<string, unknown>[];
    expect(more).toEqual([]);
    expect(reused).toMatchObject({
      kind: 'card_reused',
      status: 'open',
      pollingAreaId: a1.pollingAreaId,
      communeId: a1.communeId,
      subject: { cardNumber: `${a1.pollingAreaId}-0001` },
    });
    expect(reused?.['evidence']).toContain(refusedCheckInEventId);
    const other = await h.get(q('/anomalies'), { user: communeUserOf(b1) });
    expect(
      (other.body['anomalies'] as { communeId: string }[]).every(
        (a) => a.communeId === b1.communeId,
      ),
    ).toBe(true);
    const own = await h.get(q('/anomalies?kind=card_reused'), { user: communeUserOf(a1) });
    expect(own.body['anomalies']).toHaveLength(1);
    expectProblem(
      await h.get(`/anomalies?communeId=${a1.communeId}`, { user: communeUserOf(b1) }),
      403,
      'FORBIDDEN_SCOPE',
    );
    expectProblem(
      await h.get('/anomalies?kind=Card-Reused', { user: 'ops' }),
      400,
      'VALIDATION_FAILED',
    );
  });
});
