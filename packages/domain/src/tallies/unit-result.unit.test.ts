import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InvariantError } from '../assert.js';
import type { CountingMinute } from './counting-minute.js';
import { unitScenario } from './minute-arbitraries.test-support.js';
import type { UnitScenario } from './minute-arbitraries.test-support.js';
import { decideUnitResult, needsAdditionalVote, UnitResult } from './unit-result.js';
import type { UnitResultInput } from './unit-result.js';

const candidates = [
  { candidateId: 'NA-1-01', birthDate: '1965-04-02' },
  { candidateId: 'NA-1-02', birthDate: '1972-11-20' },
  { candidateId: 'NA-1-03', birthDate: '1980-01-15' },
  { candidateId: 'NA-1-04', birthDate: '1958-07-30' },
  { candidateId: 'NA-1-05', birthDate: '1990-05-05' },
];

/** One area of 1,000 listed voters holding the given votes; valid ballots default to 1,000. */
function area(
  pollingAreaId: string,
  votes: readonly number[],
  valid = 1_000,
  voted = valid,
): { pollingAreaId: string; minute: CountingMinute } {
  return {
    pollingAreaId,
    minute: {
      votersOnList: 1_000,
      votersVoted: voted,
      ballotsIssued: voted,
      ballotsReceived: voted,
      validBallots: valid,
      invalidBallots: voted - valid,
      votes: Object.fromEntries(candidates.map((c, i) => [c.candidateId, votes[i] ?? 0])),
      complaints: { received: 0, resolved: 0, forwarded: 0 },
    },
  };
}

function unit(
  minutes: UnitResultInput['minutes'],
  patch: Partial<UnitResultInput> = {},
): UnitResultInput {
  return {
    unitId: 'NA-1',
    level: 'na',
    seats: 3,
    votersOnList: 1_000 * minutes.length,
    candidates,
    minutes,
    areasTotal: minutes.length,
    ...patch,
  };
}

const electedIds = (input: UnitResultInput): string[] =>
  decideUnitResult(input)
    .candidates.filter((c) => c.elected)
    .map((c) => c.candidateId);

describe('result of an electoral unit, on valid ballots', () => {
  it("a winner needs more than half of the unit's valid ballots", () => {
    // 501 of 1,000 is more than half; 500 is exactly half and is not.
    const result = decideUnitResult(unit([area('PA-1', [900, 501, 500, 400, 10])]));
    expect(result.candidates.map((c) => [c.candidateId, c.elected])).toEqual([
      ['NA-1-01', true],
      ['NA-1-02', true],
      ['NA-1-03', false],
      ['NA-1-04', false],
      ['NA-1-05', false],
    ]);
    expect(result.outcome).toBe('additional_vote_required');
  });

  it('among those, the highest vote counts win, up to the number of seats', () => {
    const input = unit([area('PA-1', [600, 900, 700, 800, 650])]);
    expect(electedIds(input)).toEqual(['NA-1-02', 'NA-1-04', 'NA-1-03']);
    expect(decideUnitResult(input).outcome).toBe('elected');
  });

  it('votes and ballots add up across the areas of the unit', () => {
    const result = decideUnitResult(
      unit([
        area('PA-1', [300, 200, 100, 0, 0], 400, 450),
        area('PA-2', [400, 500, 350, 0, 0], 600, 600),
      ]),
    );
    expect(result).toMatchObject({
      votersOnList: 2_000,
      votersVoted: 1_050,
      validBallots: 1_000,
      invalidBallots: 50,
      areasReporting: 2,
      areasTotal: 2,
    });
    expect(
      result.candidates.slice(0, 3).map((c) => [c.candidateId, c.votes, c.pctOfValid]),
    ).toEqual([
      // Equal votes are listed older first: NA-1-01 was born in 1965, NA-1-02 in 1972.
      ['NA-1-01', 700, 70],
      ['NA-1-02', 700, 70],
      ['NA-1-03', 450, 45],
    ]);
  });

  it('a tie at the last seat goes to the older candidate', () => {
    // NA-1-04 (born 1958) and NA-1-02 (born 1972) tie for the third seat.
    const input = unit([area('PA-1', [900, 700, 800, 700, 100])]);
    expect(electedIds(input)).toEqual(['NA-1-01', 'NA-1-03', 'NA-1-04']);
    expect(decideUnitResult(input).tiedAtLastSeat).toEqual([]);
  });

  it('a tie that does not reach past the last seat elects them all', () => {
    const input = unit([area('PA-1', [900, 700, 100, 700, 100])]);
    expect(electedIds(input)).toEqual(['NA-1-01', 'NA-1-04', 'NA-1-02']);
  });

  it('a tie at the last seat between candidates born the same day gives the seat to neither', () => {
    const twins = candidates.map((c) =>
      c.candidateId === 'NA-1-02' || c.candidateId === 'NA-1-03'
        ? { ...c, birthDate: '1975-09-02' }
        : c,
    );
    const na = unit([area('PA-1', [900, 700, 700, 800, 100])], { candidates: twins });
    const result = decideUnitResult(na);
    expect(result.tiedAtLastSeat).toEqual(['NA-1-02', 'NA-1-03']);
    expect(electedIds(na)).toEqual(['NA-1-01', 'NA-1-04']);
    expect(result.outcome).toBe('additional_vote_required');
    // A People's Council unit of 3 with 2 winners already has two thirds: no additional vote.
    expect(decideUnitResult({ ...na, level: 'commune' }).outcome).toBe('elected');
  });

  it('a re-vote is required when no more than half the listed voters voted', () => {
    const half = unit([area('PA-1', [900, 800, 700, 0, 0], 500, 500)]);
    const result = decideUnitResult(half);
    expect(result.outcome).toBe('revote_required');
    expect(result.candidates.every((c) => !c.elected)).toBe(true);
    const moreThanHalf = unit([area('PA-1', [400, 300, 301, 0, 0], 501, 501)]);
    expect(decideUnitResult(moreThanHalf).outcome).not.toBe('revote_required');
  });

  it("the re-vote test is on the unit's listed voters from the reference data", () => {
    const input = unit([area('PA-1', [900, 800, 700, 0, 0])], { votersOnList: 2_000 });
    expect(decideUnitResult(input).outcome).toBe('revote_required');
  });

  it('National Assembly: additional vote when winners < seats', () => {
    expect(decideUnitResult(unit([area('PA-1', [900, 800, 100, 100, 100])])).outcome).toBe(
      'additional_vote_required',
    );
    expect(decideUnitResult(unit([area('PA-1', [900, 800, 600, 100, 100])])).outcome).toBe(
      'elected',
    );
    expect([needsAdditionalVote('na', 2, 1), needsAdditionalVote('na', 2, 2)]).toEqual([
      true,
      false,
    ]);
  });

  it("People's Council: additional vote when winners < two thirds of seats", () => {
    // 5 seats: two thirds is 3⅓, so 3 winners are too few and 4 are enough.
    const city = (votes: number[]) =>
      decideUnitResult(unit([area('PA-1', votes)], { level: 'city', seats: 5 })).outcome;
    expect(city([900, 800, 700, 100, 100])).toBe('additional_vote_required');
    expect(city([900, 800, 700, 600, 100])).toBe('elected');
    // 3 seats: 2 winners are exactly two thirds, enough; 1 is not.
    expect([needsAdditionalVote('commune', 3, 1), needsAdditionalVote('commune', 3, 2)]).toEqual([
      true,
      false,
    ]);
    // 6 seats: 4 of 6 is exactly two thirds.
    expect([needsAdditionalVote('city', 6, 3), needsAdditionalVote('city', 6, 4)]).toEqual([
      true,
      false,
    ]);
  });

  it('while some area has no minute the unit is counting and nobody is marked elected', () => {
    const result = decideUnitResult(unit([area('PA-1', [900, 800, 700, 0, 0])], { areasTotal: 3 }));
    expect(result).toMatchObject({ outcome: 'counting', areasReporting: 1, areasTotal: 3 });
    expect(result.candidates.every((c) => !c.elected)).toBe(true);
    expect(result.candidates[0]).toMatchObject({
      candidateId: 'NA-1-01',
      votes: 900,
      pctOfValid: 90,
    });
  });

  it('shares of valid ballots are rounded for display; no valid ballots gives 0', () => {
    const third = decideUnitResult(
      unit([area('PA-1', [1, 2, 0, 0, 0], 3, 3)], { votersOnList: 3 }),
    );
    expect(third.candidates.map((c) => c.pctOfValid)).toEqual([66.67, 33.33, 0, 0, 0]);
    const none = decideUnitResult(unit([area('PA-1', [0, 0, 0, 0, 0], 0, 900)]));
    expect(none.candidates.every((c) => c.pctOfValid === 0 && !c.elected)).toBe(true);
    expect(none.outcome).toBe('additional_vote_required');
  });

  it('the result matches its schema', () => {
    expect(
      UnitResult.safeParse(decideUnitResult(unit([area('PA-1', [900, 800, 700])]))).success,
    ).toBe(true);
  });

  it('inconsistent inputs are bugs upstream and throw', () => {
    const one = area('PA-1', [900, 800, 700]);
    expect(() => decideUnitResult(unit([one, one]))).toThrow(InvariantError);
    expect(() => decideUnitResult(unit([one], { areasTotal: 0 }))).toThrow(InvariantError);
    expect(() => decideUnitResult(unit([one, area('PA-2', [])], { areasTotal: 1 }))).toThrow(
      InvariantError,
    );
    expect(() => decideUnitResult(unit([one], { seats: 0 }))).toThrow(InvariantError);
    expect(() => decideUnitResult(unit([one], { candidates: candidates.slice(1) }))).toThrow(
      InvariantError,
    );
  });
});

const inputOf = (s: UnitScenario, votersOnList?: number): UnitResultInput => ({
  unitId: 'U-1',
  level: s.level,
  seats: s.seats,
  votersOnList: votersOnList ?? s.minutes.reduce((sum, m) => sum + m.minute.votersOnList, 0),
  candidates: s.candidates,
  minutes: s.minutes,
  areasTotal: s.minutes.length,
});

describe('result of an electoral unit, for any count (properties)', () => {
  it('adding valid ballots for an elected leader never un-elects them', () => {
    fc.assert(
      fc.property(
        unitScenario,
        fc.nat(),
        fc.nat(),
        fc.integer({ min: 1, max: 1_000 }),
        (s, pickWinner, pickArea, extra) => {
          const before = decideUnitResult(inputOf(s));
          const winners = before.candidates.filter((c) => c.elected);
          fc.pre(winners.length > 0);
          const leader = winners[pickWinner % winners.length];
          const target = s.minutes[pickArea % s.minutes.length];
          if (leader === undefined || target === undefined) throw new Error('picked from empty');
          // Extra voters come onto the list and vote for the leader: every minute stays consistent.
          const m = target.minute;
          const boosted: CountingMinute = {
            ...m,
            votersOnList: m.votersOnList + extra,
            votersVoted: m.votersVoted + extra,
            ballotsIssued: m.ballotsIssued + extra,
            ballotsReceived: m.ballotsReceived + extra,
            validBallots: m.validBallots + extra,
            votes: { ...m.votes, [leader.candidateId]: (m.votes[leader.candidateId] ?? 0) + extra },
          };
          const after = decideUnitResult({
            ...inputOf(s),
            votersOnList: before.votersOnList + extra,
            minutes: s.minutes.map((a) => (a === target ? { ...a, minute: boosted } : a)),
          });
          expect(after.candidates.find((c) => c.candidateId === leader.candidateId)?.elected).toBe(
            true,
          );
        },
      ),
    );
  });

  it('the outcome is never elected when no more than half the listed voters voted', () => {
    fc.assert(
      fc.property(unitScenario, (s) => {
        const voted = s.minutes.reduce((sum, m) => sum + m.minute.votersVoted, 0);
        const result = decideUnitResult(inputOf(s));
        if (voted * 2 <= result.votersOnList) {
          expect(result.outcome).toBe('revote_required');
          expect(result.candidates.some((c) => c.elected)).toBe(false);
        } else expect(result.outcome).not.toBe('revote_required');
      }),
    );
  });

  it('no more are elected than there are seats, and each has more than half the valid ballots', () => {
    fc.assert(
      fc.property(unitScenario, (s) => {
        const result = decideUnitResult(inputOf(s));
        const elected = result.candidates.filter((c) => c.elected);
        expect(elected.length).toBeLessThanOrEqual(s.seats);
        for (const c of elected) expect(c.votes * 2).toBeGreaterThan(result.validBallots);
        const losers = result.candidates.filter((c) => !c.elected);
        if (result.outcome === 'elected' || result.outcome === 'additional_vote_required')
          for (const w of elected)
            for (const l of losers) expect(w.votes).toBeGreaterThanOrEqual(l.votes);
        expect(result.outcome === 'elected').toBe(
          result.outcome !== 'revote_required' &&
            !needsAdditionalVote(s.level, s.seats, elected.length),
        );
      }),
    );
  });

  it('the order in which areas report does not change the result', () => {
    fc.assert(
      fc.property(unitScenario, (s) => {
        const reversed = { ...s, minutes: [...s.minutes].reverse() };
        expect(decideUnitResult(inputOf(reversed))).toEqual(decideUnitResult(inputOf(s)));
      }),
    );
  });

  it('every result matches its schema', () => {
    fc.assert(
      fc.property(unitScenario, (s) => {
        expect(UnitResult.safeParse(decideUnitResult(inputOf(s))).success).toBe(true);
      }),
    );
  });
});
