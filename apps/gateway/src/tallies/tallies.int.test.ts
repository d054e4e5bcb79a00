// The tallies commands through HTTP against real servers: PostgreSQL with the reference data and
// the demo users, nats-server, a ledger and the tallies service in-process; roles and scope, the
// path's level, hostile bodies, the minute's rules (422 with every violation), corrections, the
// declaration of a unit's result and Idempotency-Key, checked against what the ledger holds.
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CountingMinute, Level } from '@hpe/domain';
import {
  communeUserOf,
  expectProblem,
  reporterOf,
  startGatewayHarness,
  type Answer,
  type GatewayHarness,
  type ReferenceArea,
} from '../testing/gateway-harness.test-support.js';
import { talliesService } from '../testing/service-starters.test-support.js';

type Area = ReferenceArea;

interface Unit {
  readonly unitId: string;
  readonly level: Level;
  readonly seats: number;
  readonly candidateIds: readonly string[];
  readonly areas: readonly Area[];
}

let h: GatewayHarness;
let areas: readonly Area[] = [];
const units = new Map<string, Unit>();

/** Every electoral unit with its candidates (by id) and its areas. */
async function readUnits(databaseUrl: string): Promise<void> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const unitRows = await client.query<{
      unit_id: string;
      level: Level;
      seats: number;
      candidate_ids: string[];
    }>(
      `select u.unit_id, u.level, u.seats,
              array_agg(c.candidate_id order by c.candidate_id) as candidate_ids
       from electoral_unit u join candidate c using (unit_id) group by u.unit_id`,
    );
    for (const u of unitRows.rows) {
      units.set(u.unit_id, {
        unitId: u.unit_id,
        level: u.level,
        seats: u.seats,
        candidateIds: u.candidate_ids,
        areas: areas.filter((a) => a.units[u.level] === u.unit_id),
      });
    }
  } finally {
    await client.end();
  }
}

beforeAll(async () => {
  h = await startGatewayHarness('gateway_tallies', {
    services: [talliesService(new Date('2026-03-15T20:30:00+07:00'))],
  });
  areas = h.areas;
  await readUnits(h.referenceDatabaseUrl);
  declarationUnits = smallCommuneUnits();
}, 180_000);

afterAll(async () => {
  await h.stop();
});

/** Commune-level units of 2–3 areas, for the declarations; their areas are kept out of the rest. */
function smallCommuneUnits(): Unit[] {
  return [...units.values()]
    .filter((u) => u.level === 'commune' && u.areas.length >= 2 && u.areas.length <= 3)
    .sort((a, b) => (a.unitId < b.unitId ? -1 : 1))
    .slice(0, 4);
}
let declarationUnits: Unit[] = [];
let nextArea = 0;
/** An area no other test has touched (outside the declaration units). */
function freshArea(): Area {
  const reserved = new Set(declarationUnits.flatMap((u) => u.areas.map((a) => a.pollingAreaId)));
  for (;;) {
    const area = areas[nextArea];
    nextArea += 1;
    if (area === undefined) throw new Error('out of areas');
    if (!reserved.has(area.pollingAreaId)) return area;
  }
}
/** Two fresh areas of one commune. */
function freshPair(): [Area, Area] {
  for (;;) {
    const a = freshArea();
    const b = areas[nextArea];
    if (b !== undefined && b.communeId === a.communeId) {
      nextArea += 1;
      return [a, b];
    }
  }
}

const post: GatewayHarness['post'] = (path, body, options) => h.post(path, body, options);
const tokenOf: GatewayHarness['tokenOf'] = (username) => h.tokenOf(username);
const appendsNothing: GatewayHarness['appendsNothing'] = (act) => h.appendsNothing(act);
const streamEvents: GatewayHarness['readStream'] = (streamId) => h.readStream(streamId);

function unitOf(area: Area, level: Level): Unit {
  const unit = units.get(area.units[level]);
  if (unit === undefined) throw new Error(`no unit ${area.units[level]}`);
  return unit;
}

/** A minute passing every rule: 80 % turnout, 2 invalid, the first `seats` candidates ahead. */
function minuteFor(area: Area, level: Level): CountingMinute {
  const unit = unitOf(area, level);
  const votersVoted = Math.floor(area.votersOnList * 0.8);
  const validBallots = votersVoted - 2;
  return {
    votersOnList: area.votersOnList,
    votersVoted,
    ballotsIssued: votersVoted,
    ballotsReceived: votersVoted,
    validBallots,
    invalidBallots: 2,
    votes: Object.fromEntries(
      unit.candidateIds.map((id, i) => [
        id,
        i < unit.seats ? Math.floor(validBallots * 0.8) - i : i,
      ]),
    ),
    complaints: { received: 0, resolved: 0, forwarded: 0 },
  };
}

const minutePath = (area: Area, level: string): string =>
  `/polling-areas/${area.pollingAreaId}/minutes/${level}`;

const submit = (
  area: Area,
  level: Level,
  user: string,
  body: unknown = minuteFor(area, level),
  idempotencyKey?: string,
): Promise<Answer> =>
  post(minutePath(area, level), body, {
    user,
    ...(idempotencyKey === undefined ? {} : { idempotencyKey }),
  });

const correct = (area: Area, level: Level, user: string, body: unknown): Promise<Answer> =>
  post(`${minutePath(area, level)}/corrections`, body, { user });

const declare = (level: string, unitId: string, user = 'admin'): Promise<Answer> =>
  post(`/results/${level}/${unitId}/declare`, {}, { user });

describe('POST /api/v1/polling-areas/:id/minutes/:level', () => {
  it('lets the reporter of an area submit its minute: 201 with the position, the event in the ledger', async () => {
    const area = freshArea();
    const minute = minuteFor(area, 'na');
    const answer = await submit(area, 'na', reporterOf(area), minute);
    expect(answer.status).toBe(201);
    const events = await streamEvents(`tally-${area.pollingAreaId}-na`);
    expect(answer.body).toEqual({ eventIds: [events[0]?.eventId], position: events[0]?.position });
    expect(events[0]?.type).toBe('CountingMinuteSubmitted');
    expect(events[0]?.data).toMatchObject({
      pollingAreaId: area.pollingAreaId,
      level: 'na',
      unitId: area.units.na,
      minute,
      by: reporterOf(area),
      version: 1,
    });
    expect(events[0]?.metadata).toMatchObject({
      actor: { id: reporterOf(area), role: 'reporter' },
      traceparent: expect.stringMatching(/^00-[0-9a-f]{32}-[0-9a-f]{16}-0[01]$/),
    });
  });

  it('refuses an inconsistent minute with 422, the first rule as code, every violation and where it was recorded', async () => {
    const area = freshArea();
    const m = minuteFor(area, 'city');
    const answer = await submit(area, 'city', communeUserOf(area), {
      ...m,
      votersVoted: m.votersOnList + 1,
      complaints: { received: 0, resolved: 0, forwarded: 1 },
    });
    expectProblem(answer, 422, 'MINUTE.VOTED_ABOVE_LIST');
    const refused = (await streamEvents(`tally-${area.pollingAreaId}-city`)).at(-1);
    expect(refused?.type).toBe('CountingMinuteRefused');
    expect(answer.body['details']).toEqual({
      violations: [
        { code: 'MINUTE.VOTED_ABOVE_LIST', message: expect.any(String) },
        { code: 'MINUTE.COMPLAINTS_INCONSISTENT', message: expect.any(String) },
      ],
      eventIds: [refused?.eventId],
      position: refused?.position,
    });
  });

  it('refuses a candidate of another unit with 422 MINUTE.UNKNOWN_CANDIDATE, and a second minute with MINUTE.ALREADY_SUBMITTED', async () => {
    const area = freshArea();
    const stranger = [...units.values()].find(
      (u) => u.level === 'commune' && u.unitId !== area.units.commune,
    )?.candidateIds[0];
    const m = minuteFor(area, 'commune');
    expectProblem(
      await submit(area, 'commune', 'admin', {
        ...m,
        votes: { ...m.votes, [stranger ?? '']: 0 },
      }),
      422,
      'MINUTE.UNKNOWN_CANDIDATE',
    );
    expect((await submit(area, 'commune', 'admin', m)).status).toBe(201);
    await appendsNothing(async () => {
      expectProblem(await submit(area, 'commune', 'admin', m), 422, 'MINUTE.ALREADY_SUBMITTED');
    });
  });

  it('answers 404 for an unknown level, an unknown area and a malformed area id', async () => {
    const area = freshArea();
    await appendsNothing(async () => {
      expectProblem(
        await post(minutePath(area, 'province'), minuteFor(area, 'na'), { user: 'admin' }),
        404,
        'NOT_FOUND',
      );
      expectProblem(
        await post('/polling-areas/PA-99999-999/minutes/na', minuteFor(area, 'na'), {
          user: 'admin',
        }),
        404,
        'NOT_FOUND',
      );
      expectProblem(
        await post('/polling-areas/PA.1/minutes/na', minuteFor(area, 'na'), { user: 'admin' }),
        404,
        'NOT_FOUND',
      );
    });
  });

  const many = (n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`C${i}`, 0]));
  it.each([
    ['a missing field', (m: CountingMinute) => ({ ...m, validBallots: undefined })],
    ['an extra field', (m: CountingMinute) => ({ ...m, unitId: 'NA-1' })],
    ['a count as a string', (m: CountingMinute) => ({ ...m, votersVoted: String(m.votersVoted) })],
    ['a negative count', (m: CountingMinute) => ({ ...m, invalidBallots: -1 })],
    ['a fractional count', (m: CountingMinute) => ({ ...m, ballotsIssued: m.ballotsIssued + 0.5 })],
    ['a fractional vote', (m: CountingMinute) => ({ ...m, votes: { ...m.votes, X: 0.5 } })],
    ['a candidate id that is not an id', (m: CountingMinute) => ({ ...m, votes: { 'a b': 1 } })],
    ['votes as an array', (m: CountingMinute) => ({ ...m, votes: [1, 2, 3] })],
    ['101 candidates', (m: CountingMinute) => ({ ...m, votes: many(101) })],
    ['50,000 candidates', (m: CountingMinute) => ({ ...m, votes: many(50_000) })],
    ['a huge candidate id', (m: CountingMinute) => ({ ...m, votes: { ['A'.repeat(100_000)]: 1 } })],
    [
      'complaints with an extra field',
      (m: CountingMinute) => ({ ...m, complaints: { ...m.complaints, lost: 1 } }),
    ],
    ['a body that is an array', () => [1]],
  ])('refuses %s with 400 VALIDATION_FAILED, appending nothing', async (_, breakIt) => {
    const area = freshArea();
    await appendsNothing(async () => {
      const answer = await submit(area, 'na', 'admin', breakIt(minuteFor(area, 'na')));
      expectProblem(answer, 400, 'VALIDATION_FAILED');
      expect((answer.body['errors'] as unknown[]).length).toBeLessThanOrEqual(10);
    });
  });

  it('refuses a body that is not JSON with 400', async () => {
    const area = freshArea();
    await appendsNothing(async () => {
      const answer = await post(minutePath(area, 'na'), '{"votersOnList": ', {
        user: 'admin',
        raw: true,
      });
      expect(answer.status).toBe(400);
    });
  });

  it('replays an Idempotency-Key with the first answer and refuses it with another body (409)', async () => {
    const area = freshArea();
    const key = randomUUID();
    const minute = minuteFor(area, 'na');
    const first = await submit(area, 'na', reporterOf(area), minute, key);
    expect(first.status).toBe(201);
    await appendsNothing(async () => {
      const again = await submit(area, 'na', reporterOf(area), minute, key);
      expect(again.status).toBe(201);
      expect(again.body).toEqual(first.body);
      const other = await submit(
        area,
        'na',
        reporterOf(area),
        { ...minute, complaints: { received: 1, resolved: 0, forwarded: 0 } },
        key,
      );
      expectProblem(other, 409, 'IDEMPOTENCY_KEY_REUSED');
    });
  });
});

describe('POST /api/v1/polling-areas/:id/minutes/:level/corrections', () => {
  it('lets the commune correct its area with a reason: version 2 supersedes, version 1 stays', async () => {
    const area = freshArea();
    const original = minuteFor(area, 'na');
    expect((await submit(area, 'na', reporterOf(area), original)).status).toBe(201);
    const corrected = {
      ...original,
      complaints: { received: 2, resolved: 1, forwarded: 1 },
    };
    const answer = await correct(area, 'na', communeUserOf(area), {
      ...corrected,
      reason: 'two complaints were left off the form',
    });
    expect(answer.status).toBe(201);
    const events = await streamEvents(`tally-${area.pollingAreaId}-na`);
    expect(events.map((e) => e.type)).toEqual([
      'CountingMinuteSubmitted',
      'CountingMinuteCorrected',
    ]);
    expect(events[0]?.data['minute']).toEqual(original);
    expect(events[1]?.data).toMatchObject({
      minute: corrected,
      version: 2,
      supersedesVersion: 1,
      by: communeUserOf(area),
      reason: 'two complaints were left off the form',
    });
    expect(answer.body['position']).toBe(events[1]?.position);
  });

  it('refuses a correction without a reason or with a 1,001-character one (400), and an unchanged one (422)', async () => {
    const area = freshArea();
    const minute = minuteFor(area, 'city');
    expect((await submit(area, 'city', 'admin', minute)).status).toBe(201);
    await appendsNothing(async () => {
      expectProblem(await correct(area, 'city', 'admin', minute), 400, 'VALIDATION_FAILED');
      expectProblem(
        await correct(area, 'city', 'admin', { ...minute, reason: 'x'.repeat(1_001) }),
        400,
        'VALIDATION_FAILED',
      );
      expectProblem(
        await correct(area, 'city', 'admin', { ...minute, reason: 'same' }),
        422,
        'MINUTE.CORRECTION_UNCHANGED',
      );
    });
  });

  it('refuses a correction before any minute with 422 MINUTE.NOT_SUBMITTED', async () => {
    const area = freshArea();
    await appendsNothing(async () => {
      expectProblem(
        await correct(area, 'na', 'admin', { ...minuteFor(area, 'na'), reason: 'early' }),
        422,
        'MINUTE.NOT_SUBMITTED',
      );
    });
  });
});

describe('POST /api/v1/results/:level/:unitId/declare', () => {
  it('refuses while an area is missing (422 RESULT.AREAS_MISSING), declares once all are in, and only once', async () => {
    const unit = declarationUnits[0];
    if (unit === undefined) throw new Error('a small commune unit');
    const [last, ...others] = unit.areas;
    if (last === undefined) throw new Error('areas');
    for (const area of others) {
      expect((await submit(area, 'commune', communeUserOf(area))).status).toBe(201);
    }
    await appendsNothing(async () => {
      const refused = await declare('commune', unit.unitId);
      expectProblem(refused, 422, 'RESULT.AREAS_MISSING');
      expect(refused.body['details']).toMatchObject({ missing: 1, areasTotal: unit.areas.length });
    });
    expect((await submit(last, 'commune', reporterOf(last))).status).toBe(201);
    const declared = await declare('commune', unit.unitId);
    expect(declared.status).toBe(201);
    const events = await streamEvents(`election-result-commune-${unit.unitId}`);
    expect(declared.body).toEqual({
      eventIds: [events[0]?.eventId],
      position: events[0]?.position,
    });
    expect(events[0]?.data).toMatchObject({
      level: 'commune',
      unitId: unit.unitId,
      by: 'admin',
      result: {
        areasReporting: unit.areas.length,
        areasTotal: unit.areas.length,
        outcome: 'elected',
      },
    });
    await appendsNothing(async () => {
      expectProblem(await declare('commune', unit.unitId), 422, 'RESULT.ALREADY_DECLARED');
      const minute = minuteFor(last, 'commune');
      expectProblem(
        await correct(last, 'commune', communeUserOf(last), {
          ...minute,
          complaints: { received: 1, resolved: 1, forwarded: 0 },
          reason: 'late complaint',
        }),
        422,
        'MINUTE.RESULT_DECLARED',
      );
    });
  });

  it('refuses every role but admin: commune (even its own unit), ops, police, auditor, reporter', async () => {
    const unit = declarationUnits[1];
    const area = unit?.areas[0];
    if (unit === undefined || area === undefined) throw new Error('a small commune unit');
    await appendsNothing(async () => {
      for (const user of [communeUserOf(area), 'ops', 'police', 'auditor', reporterOf(area)]) {
        expectProblem(await declare('commune', unit.unitId, user), 403, 'FORBIDDEN_ROLE');
      }
    });
  });

  it('answers 404 for an unknown level, an unknown unit, a unit of another level and a malformed id', async () => {
    const unit = declarationUnits[1];
    if (unit === undefined) throw new Error('a small commune unit');
    await appendsNothing(async () => {
      expectProblem(await declare('province', unit.unitId), 404, 'NOT_FOUND');
      expectProblem(await declare('commune', 'C-00000-99'), 404, 'NOT_FOUND');
      expectProblem(await declare('na', unit.unitId), 404, 'NOT_FOUND');
      expectProblem(await declare('na', 'NA.1'), 404, 'NOT_FOUND');
    });
  });

  it('refuses a body with fields with 400 VALIDATION_FAILED', async () => {
    const unit = declarationUnits[1];
    if (unit === undefined) throw new Error('a small commune unit');
    await appendsNothing(async () => {
      expectProblem(
        await post(
          `/results/commune/${unit.unitId}/declare`,
          { result: { outcome: 'elected' } },
          { user: 'admin' },
        ),
        400,
        'VALIDATION_FAILED',
      );
    });
  });
});

describe('roles and scope', () => {
  it('refuses a reporter posting for another area with 403 FORBIDDEN_SCOPE, in or out of its commune', async () => {
    const [a, sameCommune] = freshPair();
    const elsewhere = areas.find((x) => x.communeId !== a.communeId) ?? a;
    await appendsNothing(async () => {
      expectProblem(await submit(sameCommune, 'na', reporterOf(a)), 403, 'FORBIDDEN_SCOPE');
      expectProblem(await submit(elsewhere, 'na', reporterOf(a)), 403, 'FORBIDDEN_SCOPE');
    });
  });

  it('refuses a commune posting or correcting outside itself with 403 FORBIDDEN_SCOPE', async () => {
    const area = freshArea();
    let other = freshArea();
    while (other.communeId === area.communeId) other = freshArea();
    expect((await submit(other, 'na', 'admin')).status).toBe(201);
    await appendsNothing(async () => {
      expectProblem(await submit(other, 'city', communeUserOf(area)), 403, 'FORBIDDEN_SCOPE');
      expectProblem(
        await correct(other, 'na', communeUserOf(area), { ...minuteFor(other, 'na'), reason: 'x' }),
        403,
        'FORBIDDEN_SCOPE',
      );
    });
  });

  it('refuses a reporter correcting its own area, and ops / police / auditor submitting, with 403 FORBIDDEN_ROLE', async () => {
    const area = freshArea();
    expect((await submit(area, 'na', reporterOf(area))).status).toBe(201);
    await appendsNothing(async () => {
      expectProblem(
        await correct(area, 'na', reporterOf(area), {
          ...minuteFor(area, 'na'),
          reason: 'recount',
        }),
        403,
        'FORBIDDEN_ROLE',
      );
      for (const user of ['ops', 'police', 'auditor']) {
        expectProblem(await submit(area, 'city', user), 403, 'FORBIDDEN_ROLE');
        expectProblem(
          await correct(area, 'na', user, { ...minuteFor(area, 'na'), reason: 'recount' }),
          403,
          'FORBIDDEN_ROLE',
        );
      }
    });
  });

  it('refuses a request without a token with 401', async () => {
    const area = freshArea();
    await appendsNothing(async () => {
      expect((await post(minutePath(area, 'na'), minuteFor(area, 'na'))).status).toBe(401);
      expect((await post('/results/na/NA-1/declare', {})).status).toBe(401);
    });
  });
});

describe('throughput', () => {
  it('takes 500 minutes through the gateway at concurrency 16', async () => {
    const batch = Array.from({ length: 500 }, () => freshArea());
    const token = await tokenOf('admin');
    const latencies: number[] = [];
    let next = 0;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: 16 }, async () => {
        for (let area = batch[next++]; area !== undefined; area = batch[next++]) {
          const t = performance.now();
          const res = await fetch(`${h.gateway.url}/api/v1${minutePath(area, 'na')}`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
            body: JSON.stringify(minuteFor(area, 'na')),
          });
          latencies.push(performance.now() - t);
          expect(res.status).toBe(201);
          await res.arrayBuffer();
        }
      }),
    );
    const seconds = (performance.now() - started) / 1_000;
    latencies.sort((a, b) => a - b);
    const p = (q: number) =>
      latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0;
    console.log(
      `[gateway tallies] ${batch.length} minutes in ${seconds.toFixed(2)} s: ` +
        `${Math.round(batch.length / seconds)} minutes/s, p50 ${p(0.5).toFixed(0)} ms, ` +
        `p99 ${p(0.99).toFixed(0)} ms (concurrency 16)`,
    );
  }, 120_000);
});
