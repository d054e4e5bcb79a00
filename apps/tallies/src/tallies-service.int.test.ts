// The tallies service against real servers: minutes and corrections over NATS in queue group
// `tallies`, checked by the domain's tally decider against the reference units and appended to a
// real ledger; every refusal keeps its code and appends nothing; a unit's result is declared only
// once every area is in, computed from the latest versions, and only once.
import { randomUUID } from 'node:crypto';
import type { CountingMinute, Level } from '@hpe/domain';
import { tallySubjects } from '@hpe/service-kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  consistentMinute,
  startTalliesHarness,
  type RefArea,
  type RefUnit,
  type TalliesHarness,
} from './tallies-service.test-support.js';

const now = new Date('2026-03-15T20:30:00+07:00');
const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
const traceparent = `00-${traceId}-00f067aa0ba902b7-01`;
const actor = { id: 'commune-10507', role: 'commune' } as const;
const admin = { id: 'admin', role: 'admin' } as const;

interface Reply {
  ok: boolean;
  value?: { eventIds: string[]; position: number };
  error?: { code: string; message: string; details?: Record<string, unknown> };
}

let h: TalliesHarness;
let nextArea = 0;

beforeAll(async () => {
  h = await startTalliesHarness(now);
  expect(h.areas.length).toBeGreaterThan(2000);
}, 180_000);
afterAll(async () => {
  await h.stop();
});

/** Areas handed out in order; each test uses its own, so no stream is shared between tests. */
function freshArea(): RefArea {
  const area = h.areas[nextArea];
  nextArea += 1;
  if (area === undefined) throw new Error('out of reference areas');
  return area;
}

function unitOf(area: RefArea, level: Level): RefUnit {
  const unit = h.units.get(area.units[level]);
  if (unit === undefined) throw new Error(`no unit ${area.units[level]}`);
  return unit;
}

const minuteFor = (area: RefArea, level: Level): CountingMinute =>
  consistentMinute(unitOf(area, level), area.votersOnList);

async function send(subject: string, body: unknown): Promise<Reply> {
  return (await h.request(subject, body)) as Reply;
}

const sender = (who: { id: string; role: string } = actor) => ({
  actor: who,
  correlationId: randomUUID(),
  traceparent,
});

const submit = (area: RefArea, level: Level, minute: CountingMinute): Promise<Reply> =>
  send(tallySubjects.submitMinute, {
    pollingAreaId: area.pollingAreaId,
    level,
    minute,
    ...sender(),
  });

const correct = (
  area: RefArea,
  level: Level,
  minute: CountingMinute,
  reason = 'recount of the invalid ballots',
): Promise<Reply> =>
  send(tallySubjects.correctMinute, {
    pollingAreaId: area.pollingAreaId,
    level,
    minute,
    reason,
    ...sender(),
  });

const declare = (level: Level, unitId: string): Promise<Reply> =>
  send(tallySubjects.declareResult, { level, unitId, ...sender(admin) });

const streamEvents: TalliesHarness['readStream'] = (streamId) => h.readStream(streamId);
const appendsNothing: TalliesHarness['appendsNothing'] = (act) => h.appendsNothing(act);

/** One ballot moved from the leader to the invalid pile: a consistent, different minute. */
function oneBallotInvalidated(minute: CountingMinute, leader: string): CountingMinute {
  return {
    ...minute,
    validBallots: minute.validBallots - 1,
    invalidBallots: minute.invalidBallots + 1,
    votes: { ...minute.votes, [leader]: (minute.votes[leader] ?? 0) - 1 },
  };
}

describe('tallies.submit-minute', () => {
  it('records a consistent minute as version 1 of tally-<area>-<level>, envelope and all', async () => {
    const area = freshArea();
    const minute = minuteFor(area, 'na');
    const reply = await submit(area, 'na', minute);
    expect(reply.ok).toBe(true);
    const events = await streamEvents(`tally-${area.pollingAreaId}-na`);
    expect(events).toHaveLength(1);
    const [event] = events;
    expect(reply.value).toEqual({ eventIds: [event?.eventId], position: event?.position });
    expect(event?.type).toBe('CountingMinuteSubmitted');
    expect(event?.data).toEqual({
      pollingAreaId: area.pollingAreaId,
      level: 'na',
      unitId: area.units.na,
      minute,
      by: actor.id,
      version: 1,
      submittedAt: now.toISOString(),
    });
    expect(event?.metadata).toMatchObject({ actor, occurredAt: now.toISOString() });
    expect(event?.metadata.traceparent?.split('-')[1]).toBe(traceId);
  });

  it('keeps the three levels of one area apart, each against its own unit', async () => {
    const area = freshArea();
    for (const level of ['na', 'city', 'commune'] as const) {
      expect((await submit(area, level, minuteFor(area, level))).ok).toBe(true);
      const [event] = await streamEvents(`tally-${area.pollingAreaId}-${level}`);
      expect(event?.data['unitId']).toBe(area.units[level]);
    }
  });

  const otherUnitsCandidate = (area: RefArea): string => {
    const other = [...h.units.values()].find((u) => u.level === 'na' && u.unitId !== area.units.na);
    const id = other?.candidates[0]?.candidateId;
    if (id === undefined) throw new Error('a second NA unit');
    return id;
  };

  /** Each case breaks one rule first (some break a later one too, which details list). */
  const rules: [string, (m: CountingMinute, area: RefArea) => CountingMinute][] = [
    ['MINUTE.LIST_MISMATCH', (m) => ({ ...m, votersOnList: m.votersOnList + 1 })],
    ['MINUTE.VOTED_ABOVE_LIST', (m) => ({ ...m, votersVoted: m.votersOnList + 1 })],
    ['MINUTE.RECEIVED_ABOVE_ISSUED', (m) => ({ ...m, ballotsIssued: m.ballotsReceived - 1 })],
    ['MINUTE.VALID_PLUS_INVALID_MISMATCH', (m) => ({ ...m, invalidBallots: m.invalidBallots + 1 })],
    [
      'MINUTE.UNKNOWN_CANDIDATE',
      (m, area) => ({ ...m, votes: { ...m.votes, [otherUnitsCandidate(area)]: 0 } }),
    ],
    [
      'MINUTE.MISSING_CANDIDATE',
      (m) => ({ ...m, votes: Object.fromEntries(Object.entries(m.votes).slice(1)) }),
    ],
    [
      'MINUTE.CANDIDATE_ABOVE_VALID',
      (m) => {
        const [first] = Object.keys(m.votes);
        return { ...m, votes: { ...m.votes, [first ?? '']: m.validBallots + 1 } };
      },
    ],
    [
      'MINUTE.VOTES_ABOVE_VALID_TIMES_SEATS',
      (m) => ({
        ...m,
        votes: Object.fromEntries(Object.keys(m.votes).map((id) => [id, m.validBallots])),
      }),
    ],
    [
      'MINUTE.COMPLAINTS_INCONSISTENT',
      (m) => ({ ...m, complaints: { received: 1, resolved: 1, forwarded: 1 } }),
    ],
  ];

  it.each(rules)(
    'refuses %s with its code and records the refused minute, nothing else',
    async (code, breakIt) => {
      const area = freshArea();
      const minute = breakIt(minuteFor(area, 'na'), area);
      const before = await h.head();
      const reply = await submit(area, 'na', minute);
      expect(reply.ok).toBe(false);
      expect(reply.error?.code).toBe(code);
      const violations = reply.error?.details?.['violations'] as { code: string }[];
      expect(violations[0]?.code).toBe(code);
      expect(reply.error?.details?.['position']).toBe(before + 1);
      const events = await streamEvents(`tally-${area.pollingAreaId}-na`);
      expect(events.map((e) => e.type)).toEqual(['CountingMinuteRefused']);
      expect(events[0]?.data).toMatchObject({ minute, sentWith: 'SubmitCountingMinute' });
      // The area still owes its minute: a consistent one is accepted as version 1.
      expect((await submit(area, 'na', minuteFor(area, 'na'))).ok).toBe(true);
    },
  );

  it('lists every violation of a minute that breaks several rules, the first as the code', async () => {
    const area = freshArea();
    const m = minuteFor(area, 'city');
    const reply = await submit(area, 'city', {
      ...m,
      ballotsIssued: m.ballotsReceived - 1,
      invalidBallots: m.invalidBallots + 1,
      complaints: { received: 0, resolved: 1, forwarded: 0 },
    });
    expect(reply.error?.code).toBe('MINUTE.RECEIVED_ABOVE_ISSUED');
    const violations = reply.error?.details?.['violations'] as { code: string }[];
    expect(violations.map((v) => v.code)).toEqual([
      'MINUTE.RECEIVED_ABOVE_ISSUED',
      'MINUTE.VALID_PLUS_INVALID_MISMATCH',
      'MINUTE.COMPLAINTS_INCONSISTENT',
    ]);
  });

  it('checks the list after transfers: transferred-in voters count on the NA list, not the commune one', async () => {
    const area = freshArea();
    const streamId = `turnout-${area.pollingAreaId}`;
    const metadata = { occurredAt: now.toISOString(), actor: admin, correlationId: 'transfer' };
    const appended = await h.ledger.append({
      streamId,
      expectedRevision: 'no_stream',
      events: [
        {
          eventId: '0190d5a0-0000-7000-8000-000000000001',
          type: 'PollingAreaRegistered',
          schemaVersion: 1,
          streamId,
          data: {
            pollingAreaId: area.pollingAreaId,
            votersOnList: area.votersOnList,
            electionDate: '2026-03-15',
          },
          metadata,
        },
        {
          eventId: '0190d5a0-0000-7000-8000-000000000002',
          type: 'VoterListAdjusted',
          schemaVersion: 1,
          streamId,
          data: {
            pollingAreaId: area.pollingAreaId,
            change: 'transferred_in',
            count: 3,
            votersOnList: area.votersOnList + 3,
          },
          metadata,
        },
      ],
    });
    expect(appended.ok).toBe(true);
    const withTransfers = area.votersOnList + 3;
    const na = consistentMinute(unitOf(area, 'na'), withTransfers);
    const commune = consistentMinute(unitOf(area, 'commune'), withTransfers);
    expect((await submit(area, 'na', minuteFor(area, 'na'))).error?.code).toBe(
      'MINUTE.LIST_MISMATCH',
    );
    expect((await submit(area, 'commune', commune)).error?.code).toBe('MINUTE.LIST_MISMATCH');
    expect((await submit(area, 'na', na)).ok).toBe(true);
    expect((await submit(area, 'commune', minuteFor(area, 'commune'))).ok).toBe(true);
  });

  it('refuses a second minute with MINUTE.ALREADY_SUBMITTED, even when both race', async () => {
    const area = freshArea();
    const minute = minuteFor(area, 'na');
    const replies = await Promise.all([submit(area, 'na', minute), submit(area, 'na', minute)]);
    expect(replies.filter((r) => r.ok)).toHaveLength(1);
    expect(replies.find((r) => !r.ok)?.error?.code).toBe('MINUTE.ALREADY_SUBMITTED');
    await appendsNothing(async () => {
      expect((await submit(area, 'na', minute)).error).toMatchObject({
        code: 'MINUTE.ALREADY_SUBMITTED',
        details: { currentVersion: 1 },
      });
    });
    expect(await streamEvents(`tally-${area.pollingAreaId}-na`)).toHaveLength(1);
  });

  it('answers POLLING.UNKNOWN_AREA for an area the reference data does not hold', async () => {
    await appendsNothing(async () => {
      const reply = await send(tallySubjects.submitMinute, {
        pollingAreaId: 'PA-99999-999',
        level: 'na',
        minute: minuteFor(h.areas[0] as RefArea, 'na'),
        ...sender(),
      });
      expect(reply.error).toMatchObject({
        code: 'POLLING.UNKNOWN_AREA',
        details: { pollingAreaId: 'PA-99999-999' },
      });
    });
  });
});

describe('tallies.correct-minute', () => {
  it('supersedes the minute with a reason as version 2, keeping version 1', async () => {
    const area = freshArea();
    const original = minuteFor(area, 'na');
    expect((await submit(area, 'na', original)).ok).toBe(true);
    const leader = unitOf(area, 'na').candidates[0]?.candidateId ?? '';
    const corrected = oneBallotInvalidated(original, leader);
    const reply = await correct(area, 'na', corrected, 'one ballot was marked twice');
    expect(reply.ok).toBe(true);
    const events = await streamEvents(`tally-${area.pollingAreaId}-na`);
    expect(events.map((e) => e.type)).toEqual([
      'CountingMinuteSubmitted',
      'CountingMinuteCorrected',
    ]);
    expect(events[0]?.data['minute']).toEqual(original);
    expect(events[1]?.data).toEqual({
      pollingAreaId: area.pollingAreaId,
      level: 'na',
      unitId: area.units.na,
      minute: corrected,
      by: actor.id,
      version: 2,
      supersedesVersion: 1,
      correctedAt: now.toISOString(),
      reason: 'one ballot was marked twice',
    });
    // A third version supersedes the second.
    const again = oneBallotInvalidated(corrected, leader);
    expect((await correct(area, 'na', again)).ok).toBe(true);
    const third = (await streamEvents(`tally-${area.pollingAreaId}-na`))[2];
    expect(third?.data).toMatchObject({ version: 3, supersedesVersion: 2 });
  });

  it('refuses a correction before any minute, one repeating the minute, and one breaking a rule', async () => {
    const area = freshArea();
    const minute = minuteFor(area, 'city');
    await appendsNothing(async () => {
      expect((await correct(area, 'city', minute)).error?.code).toBe('MINUTE.NOT_SUBMITTED');
    });
    expect((await submit(area, 'city', minute)).ok).toBe(true);
    await appendsNothing(async () => {
      expect((await correct(area, 'city', minute)).error?.code).toBe('MINUTE.CORRECTION_UNCHANGED');
    });
    // A correction breaking a rule is recorded as a refusal; version 1 stays in force.
    expect(
      (await correct(area, 'city', { ...minute, invalidBallots: minute.invalidBallots + 1 })).error
        ?.code,
    ).toBe('MINUTE.VALID_PLUS_INVALID_MISMATCH');
    expect((await streamEvents(`tally-${area.pollingAreaId}-city`)).map((e) => e.type)).toEqual([
      'CountingMinuteSubmitted',
      'CountingMinuteRefused',
    ]);
  });

  it('refuses a blank reason with VALIDATION_FAILED', async () => {
    const area = freshArea();
    await appendsNothing(async () => {
      expect((await correct(area, 'na', minuteFor(area, 'na'), '   ')).error?.code).toBe(
        'VALIDATION_FAILED',
      );
    });
  });
});

describe('tallies.declare-result', () => {
  /** Small commune-level units (2–3 areas), handed out one test at a time. */
  let smallUnits: RefUnit[] = [];
  beforeAll(() => {
    smallUnits = [...h.units.values()]
      .filter((u) => u.level === 'commune' && u.areas.length >= 2 && u.areas.length <= 3)
      .sort((a, b) => (a.unitId < b.unitId ? 1 : -1));
    expect(smallUnits.length).toBeGreaterThan(3);
  });
  const freshUnit = (): RefUnit => {
    const unit = smallUnits.shift();
    if (unit === undefined) throw new Error('out of small units');
    return unit;
  };

  it('refuses while an area is missing, then declares the result of the latest versions, once', async () => {
    const unit = freshUnit();
    const [first, ...rest] = unit.areas;
    if (first === undefined) throw new Error('a unit has areas');
    for (const area of rest)
      expect((await submit(area, 'commune', minuteFor(area, 'commune'))).ok).toBe(true);
    await appendsNothing(async () => {
      expect((await declare('commune', unit.unitId)).error).toMatchObject({
        code: 'RESULT.AREAS_MISSING',
        details: { missing: 1, areasReporting: rest.length, areasTotal: unit.areas.length },
      });
    });
    const original = minuteFor(first, 'commune');
    expect((await submit(first, 'commune', original)).ok).toBe(true);
    const leader = unit.candidates[0]?.candidateId ?? '';
    const corrected = oneBallotInvalidated(original, leader);
    expect((await correct(first, 'commune', corrected)).ok).toBe(true);

    const reply = await declare('commune', unit.unitId);
    expect(reply.ok).toBe(true);
    const events = await streamEvents(`election-result-commune-${unit.unitId}`);
    expect(events.map((e) => e.type)).toEqual(['UnitResultDeclared']);
    const data = events[0]?.data as {
      by: string;
      declaredAt: string;
      result: {
        areasReporting: number;
        areasTotal: number;
        validBallots: number;
        votersOnList: number;
        outcome: string;
        candidates: { candidateId: string; votes: number; elected: boolean }[];
      };
    };
    expect(data.by).toBe('admin');
    expect(data.declaredAt).toBe(now.toISOString());
    const minutes = [corrected, ...rest.map((a) => minuteFor(a, 'commune'))];
    const sum = (f: (m: CountingMinute) => number) => minutes.reduce((n, m) => n + f(m), 0);
    expect(data.result).toMatchObject({
      areasReporting: unit.areas.length,
      areasTotal: unit.areas.length,
      validBallots: sum((m) => m.validBallots),
      votersOnList: sum((m) => m.votersOnList),
      outcome: 'elected',
    });
    const leaderResult = data.result.candidates.find((c) => c.candidateId === leader);
    expect(leaderResult?.votes).toBe(sum((m) => m.votes[leader] ?? 0));
    expect(data.result.candidates.filter((c) => c.elected).map((c) => c.candidateId)).toEqual(
      unit.candidates.slice(0, unit.seats).map((c) => c.candidateId),
    );

    await appendsNothing(async () => {
      expect((await declare('commune', unit.unitId)).error?.code).toBe('RESULT.ALREADY_DECLARED');
      // The declared figures are locked: a correction would make them disagree with the minutes.
      expect((await correct(first, 'commune', original)).error).toMatchObject({
        code: 'MINUTE.RESULT_DECLARED',
        details: { unitId: unit.unitId, currentVersion: 2 },
      });
    });
  });

  it('answers RESULT.UNKNOWN_UNIT for an unknown unit or a unit of another level', async () => {
    const unit = freshUnit();
    await appendsNothing(async () => {
      expect((await declare('commune', 'C-00000-99')).error?.code).toBe('RESULT.UNKNOWN_UNIT');
      expect((await declare('na', unit.unitId)).error?.code).toBe('RESULT.UNKNOWN_UNIT');
    });
  });

  it.each([
    ['an unknown level', { level: 'province' }],
    ['a unit id with a dot', { unitId: 'C.1' }],
    ['a result sent in', { result: {} }],
    ['no unit', { unitId: undefined }],
  ])('refuses %s with VALIDATION_FAILED', async (_, patch) => {
    await appendsNothing(async () => {
      const reply = await send(tallySubjects.declareResult, {
        level: 'commune',
        unitId: 'C-1',
        ...sender(admin),
        ...patch,
      });
      expect(reply.error?.code).toBe('VALIDATION_FAILED');
    });
  });
});

describe('hostile minutes', () => {
  const base = () => {
    const area = h.areas[0] as RefArea;
    return { pollingAreaId: area.pollingAreaId, level: 'na', minute: minuteFor(area, 'na') };
  };
  const withMinute = (patch: Record<string, unknown>) => {
    const b = base();
    return { ...b, minute: { ...b.minute, ...patch } };
  };
  const manyCandidates = Object.fromEntries(Array.from({ length: 101 }, (_, i) => [`C${i}`, 0]));

  it.each([
    ['a negative count', () => withMinute({ validBallots: -1 })],
    ['a fractional count', () => withMinute({ ballotsIssued: 1.5 })],
    ['a count as a string', () => withMinute({ votersVoted: '5' })],
    ['a count above the cap', () => withMinute({ votersOnList: 10_000_001 })],
    ['a candidate id with a dot', () => withMinute({ votes: { 'a.b': 1 } })],
    ['a fractional vote', () => withMinute({ votes: { A: 0.5 } })],
    ['votes as an array', () => withMinute({ votes: [1, 2] })],
    ['101 candidates', () => withMinute({ votes: manyCandidates })],
    ['an extra minute field', () => withMinute({ turnout: 1 })],
    ['complaints missing a field', () => withMinute({ complaints: { received: 0, resolved: 0 } })],
    ['an extra field', () => ({ ...base(), unitId: 'NA-1' })],
    ['an unknown level', () => ({ ...base(), level: 'province' })],
    ['no minute', () => ({ ...base(), minute: undefined })],
  ])('refuses %s with VALIDATION_FAILED and appends nothing', async (_, body) => {
    await appendsNothing(async () => {
      const reply = await send(tallySubjects.submitMinute, { ...body(), ...sender() });
      expect(reply.error?.code).toBe('VALIDATION_FAILED');
    });
  });
});

describe('scale', () => {
  it('declares the largest National Assembly unit, reading every area’s stream', async () => {
    const largest = [...h.units.values()]
      .filter((u) => u.level === 'na')
      .sort((a, b) => b.areas.length - a.areas.length)[0];
    if (largest === undefined) throw new Error('NA units');
    const used = new Set(h.areas.slice(0, nextArea).map((a) => a.pollingAreaId));
    // Areas earlier tests gave an NA minute to keep theirs; the others get one now.
    const todo = largest.areas.filter((a) => !used.has(a.pollingAreaId));
    const started = performance.now();
    let next = 0;
    await Promise.all(
      Array.from({ length: 16 }, async () => {
        for (let area = todo[next++]; area !== undefined; area = todo[next++]) {
          const reply = await submit(area, 'na', minuteFor(area, 'na'));
          if (!reply.ok) expect(reply.error?.code).toBe('MINUTE.ALREADY_SUBMITTED');
        }
      }),
    );
    const submitSeconds = (performance.now() - started) / 1_000;
    const declareStarted = performance.now();
    const reply = await declare('na', largest.unitId);
    const declareMs = performance.now() - declareStarted;
    console.log(
      `[tallies] ${todo.length} minutes over NATS in ${submitSeconds.toFixed(2)} s ` +
        `(${Math.round(todo.length / submitSeconds)}/s, concurrency 16); declare ${largest.unitId} ` +
        `(${largest.areas.length} areas) in ${declareMs.toFixed(0)} ms`,
    );
    expect(reply.ok).toBe(true);
    const [event] = await streamEvents(`election-result-na-${largest.unitId}`);
    expect(event?.data['result']).toMatchObject({
      areasReporting: largest.areas.length,
      areasTotal: largest.areas.length,
    });
  }, 180_000);
});
