import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InvariantError } from '../assert.js';
import { checkCountingMinute, CountingMinute, sameMinute } from './counting-minute.js';
import type { MinuteCode } from './counting-minute.js';
import { MAX_COUNT } from './ids.js';
import { consistentMinute } from './minute-arbitraries.test-support.js';

const seats = 3;
const candidateIds = ['NA-1-01', 'NA-1-02', 'NA-1-03', 'NA-1-04'];
const context = { seats, candidateIds };

const good: CountingMinute = {
  votersOnList: 1_000,
  votersVoted: 990,
  ballotsIssued: 990,
  ballotsReceived: 985,
  validBallots: 970,
  invalidBallots: 15,
  votes: { 'NA-1-01': 800, 'NA-1-02': 700, 'NA-1-03': 600, 'NA-1-04': 300 },
  complaints: { received: 3, resolved: 2, forwarded: 1 },
};

function rejectedCode(minute: CountingMinute, ctx: Parameters<typeof checkCountingMinute>[1]) {
  const result = checkCountingMinute(minute, ctx);
  return result.ok ? undefined : result.error.code;
}

describe('counting minute consistency (one minute per polling area per level)', () => {
  it('a consistent minute is accepted as it is', () => {
    expect(checkCountingMinute(good, context)).toEqual({ ok: true, value: good });
  });

  it('voters who voted ≤ voters on the list', () => {
    expect(rejectedCode({ ...good, votersVoted: 1_001 }, context)).toBe('MINUTE.VOTED_ABOVE_LIST');
    expect(rejectedCode({ ...good, votersVoted: 1_000 }, context)).toBeUndefined();
  });

  it('ballots received ≤ ballots issued', () => {
    expect(rejectedCode({ ...good, ballotsIssued: 984 }, context)).toBe(
      'MINUTE.RECEIVED_ABOVE_ISSUED',
    );
  });

  it('valid + invalid = ballots received', () => {
    expect(rejectedCode({ ...good, invalidBallots: 14 }, context)).toBe(
      'MINUTE.VALID_PLUS_INVALID_MISMATCH',
    );
    expect(rejectedCode({ ...good, invalidBallots: 16 }, context)).toBe(
      'MINUTE.VALID_PLUS_INVALID_MISMATCH',
    );
  });

  it("each candidate's votes ≤ valid ballots", () => {
    const votes = { ...good.votes, 'NA-1-04': 971 };
    const result = checkCountingMinute({ ...good, votes }, context);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error.code).toBe('MINUTE.CANDIDATE_ABOVE_VALID');
      expect(result.error.message).toContain('NA-1-04');
    }
  });

  it('the sum of candidate votes ≤ valid ballots × seats of the unit', () => {
    const votes = { 'NA-1-01': 970, 'NA-1-02': 970, 'NA-1-03': 970, 'NA-1-04': 1 };
    expect(rejectedCode({ ...good, votes }, context)).toBe('MINUTE.VOTES_ABOVE_VALID_TIMES_SEATS');
    expect(rejectedCode({ ...good, votes: { ...votes, 'NA-1-04': 0 } }, context)).toBeUndefined();
  });

  it('votes are only for candidates of the unit', () => {
    const votes = { ...good.votes, 'CITY-01-01': 5 };
    expect(rejectedCode({ ...good, votes }, context)).toBe('MINUTE.UNKNOWN_CANDIDATE');
  });

  it('every candidate of the unit has a line, 0 included', () => {
    const { 'NA-1-04': _dropped, ...votes } = good.votes;
    expect(rejectedCode({ ...good, votes }, context)).toBe('MINUTE.MISSING_CANDIDATE');
    expect(
      rejectedCode({ ...good, votes: { ...good.votes, 'NA-1-04': 0 } }, context),
    ).toBeUndefined();
  });

  it('complaints resolved + forwarded ≤ complaints received', () => {
    const complaints = { received: 3, resolved: 2, forwarded: 2 };
    expect(rejectedCode({ ...good, complaints }, context)).toBe('MINUTE.COMPLAINTS_INCONSISTENT');
  });

  it("voters on the list match the area's list when the service knows it", () => {
    expect(rejectedCode(good, { ...context, votersOnList: 1_002 })).toBe('MINUTE.LIST_MISMATCH');
    expect(rejectedCode(good, { ...context, votersOnList: 1_000 })).toBeUndefined();
  });

  it('every rule broken is listed; the code is the first one', () => {
    const bad: CountingMinute = {
      ...good,
      votersVoted: 2_000,
      invalidBallots: 0,
      complaints: { received: 0, resolved: 1, forwarded: 0 },
    };
    const result = checkCountingMinute(bad, context);
    expect(result).toMatchObject({
      ok: false,
      error: {
        code: 'MINUTE.VOTED_ABOVE_LIST',
        details: {
          violations: [
            { code: 'MINUTE.VOTED_ABOVE_LIST' },
            { code: 'MINUTE.VALID_PLUS_INVALID_MISMATCH' },
            { code: 'MINUTE.COMPLAINTS_INCONSISTENT' },
          ],
        },
      },
    });
  });

  it('a unit without seats in the reference data is a bug, not a rejection', () => {
    expect(() => checkCountingMinute(good, { ...context, seats: 0 })).toThrow(InvariantError);
  });

  it('the same minute is the same whatever the order of its candidates', () => {
    const reordered = { ...good, votes: Object.fromEntries(Object.entries(good.votes).reverse()) };
    expect(sameMinute(good, reordered)).toBe(true);
    expect(sameMinute(good, { ...good, votes: { ...good.votes, 'NA-1-01': 799 } })).toBe(false);
    const { 'NA-1-04': _dropped, ...fewer } = good.votes;
    expect(sameMinute(good, { ...good, votes: { ...fewer, 'NA-1-05': 300 } })).toBe(false);
  });
});

describe('counting minute schema refuses hostile input', () => {
  it.each([
    ['a negative count', { validBallots: -1 }],
    ['a fractional count', { votersVoted: 990.5 }],
    ['a count beyond the sane maximum', { votersOnList: MAX_COUNT + 1 }],
    ['a count beyond 2^53', { ballotsIssued: 2 ** 53 + 2 }],
    ['a count given as a string', { validBallots: '970' }],
    ['NaN', { invalidBallots: Number.NaN }],
    ['Infinity', { ballotsReceived: Number.POSITIVE_INFINITY }],
    ['an unknown extra field', { turnoutPct: 99 }],
    ['an extra field among complaints', { complaints: { ...good.complaints, lost: 1 } }],
    ['negative votes for a candidate', { votes: { ...good.votes, 'NA-1-01': -5 } }],
    ['a candidate id with a dot', { votes: { 'NA.1': 1 } }],
    ['a candidate id with a space', { votes: { 'NA 1': 1 } }],
    ['an empty candidate id', { votes: { '': 1 } }],
    [
      'too many candidates',
      { votes: Object.fromEntries(Array.from({ length: 101 }, (_, i) => [`C-${i}`, 0])) },
    ],
  ])('refuses %s', (_, patch) => {
    expect(CountingMinute.safeParse({ ...good, ...patch }).success).toBe(false);
  });

  it('a `__proto__` key smuggled through JSON never reaches the votes', () => {
    const hostile: unknown = JSON.parse(
      '{"votersOnList":1,"votersVoted":1,"ballotsIssued":1,"ballotsReceived":1,"validBallots":1,' +
        '"invalidBallots":0,"votes":{"__proto__":1},"complaints":{"received":0,"resolved":0,"forwarded":0}}',
    );
    const parsed = CountingMinute.safeParse(hostile);
    // zod drops the key: the votes stay a plain object, and the missing line is then refused.
    if (parsed.success) {
      expect(Object.getPrototypeOf(parsed.data.votes)).toBe(Object.prototype);
      expect(Object.keys(parsed.data.votes)).toEqual([]);
      expect(rejectedCode(parsed.data, { seats: 1, candidateIds: ['NA-1-01'] })).toBe(
        'MINUTE.MISSING_CANDIDATE',
      );
    }
  });

  it('refuses a minute with a field missing', () => {
    const { validBallots: _missing, ...rest } = good;
    expect(CountingMinute.safeParse(rest).success).toBe(false);
  });

  it('accepts the largest allowed count', () => {
    expect(CountingMinute.safeParse({ ...good, votersOnList: MAX_COUNT }).success).toBe(true);
  });
});

describe('minute arithmetic, for any figures (properties)', () => {
  const minutes = consistentMinute(seats, candidateIds);

  it('any minute built consistently passes every rule', () => {
    fc.assert(
      fc.property(minutes, (minute) => {
        expect(CountingMinute.safeParse(minute).success).toBe(true);
        expect(checkCountingMinute(minute, context).ok).toBe(true);
        expect(
          checkCountingMinute(minute, { ...context, votersOnList: minute.votersOnList }).ok,
        ).toBe(true);
      }),
    );
  });

  const breakings: readonly [
    MinuteCode,
    (m: CountingMinute, k: number) => CountingMinute | undefined,
  ][] = [
    ['MINUTE.VOTED_ABOVE_LIST', (m, k) => ({ ...m, votersVoted: m.votersOnList + k })],
    [
      'MINUTE.RECEIVED_ABOVE_ISSUED',
      // More ballots received than issued, the extra ones valid so the other equations hold.
      (m, k) => ({
        ...m,
        ballotsReceived: m.ballotsIssued + k,
        validBallots: m.validBallots + (m.ballotsIssued + k - m.ballotsReceived),
      }),
    ],
    [
      'MINUTE.VALID_PLUS_INVALID_MISMATCH',
      (m, k) => ({ ...m, invalidBallots: m.invalidBallots + k }),
    ],
    [
      'MINUTE.CANDIDATE_ABOVE_VALID',
      (m, k) => ({ ...m, votes: { ...m.votes, 'NA-1-02': m.validBallots + k } }),
    ],
    [
      'MINUTE.VOTES_ABOVE_VALID_TIMES_SEATS',
      (m) =>
        m.validBallots === 0
          ? undefined
          : {
              ...m,
              votes: Object.fromEntries(candidateIds.map((id) => [id, m.validBallots])),
            },
    ],
    ['MINUTE.UNKNOWN_CANDIDATE', (m, k) => ({ ...m, votes: { ...m.votes, [`X-${k}`]: 0 } })],
    [
      'MINUTE.MISSING_CANDIDATE',
      (m) => ({
        ...m,
        votes: Object.fromEntries(Object.entries(m.votes).filter(([id]) => id !== 'NA-1-03')),
      }),
    ],
    [
      'MINUTE.COMPLAINTS_INCONSISTENT',
      (m, k) => ({ ...m, complaints: { ...m.complaints, resolved: m.complaints.received + k } }),
    ],
  ];

  it.each(breakings)('breaking one equation fails with its code: %s', (code, breakIt) => {
    fc.assert(
      fc.property(minutes, fc.integer({ min: 1, max: 1_000 }), (minute, k) => {
        const broken = breakIt(minute, k);
        fc.pre(broken !== undefined);
        const result = checkCountingMinute(broken, context);
        expect(result.ok).toBe(false);
        if (!result.ok) {
          expect(result.error.code).toBe(code);
          expect(result.error.details?.['violations']).toContainEqual(
            expect.objectContaining({ code }),
          );
        }
      }),
    );
  });

  it("a different list from the area's reference fails with MINUTE.LIST_MISMATCH", () => {
    fc.assert(
      fc.property(minutes, fc.integer({ min: 1, max: 1_000 }), (minute, k) => {
        const result = checkCountingMinute(minute, {
          ...context,
          votersOnList: minute.votersOnList + k,
        });
        expect(result.ok ? undefined : result.error.code).toBe('MINUTE.LIST_MISMATCH');
      }),
    );
  });
});
