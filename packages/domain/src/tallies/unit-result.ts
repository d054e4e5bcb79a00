// The result of an electoral unit at one level, computed by one pure function from the current
// minute of each reporting area: re-vote, winners by majority and rank, additional vote.
import { z } from 'zod';
import { assert, assertNever } from '../assert.js';
import { Level } from '../levels.js';
import type { CountingMinute } from './counting-minute.js';
import { BirthDate, CandidateId, ElectoralUnitId, MAX_SEATS, Seats } from './ids.js';

/** Unit totals add many areas' counts, so they are not capped like one minute's figures. */
const Total = z.int().min(0);

export const unitOutcomes = [
  'counting',
  'elected',
  'revote_required',
  'additional_vote_required',
] as const;
export const UnitOutcome = z.enum(unitOutcomes);
export type UnitOutcome = z.infer<typeof UnitOutcome>;

export const CandidateResult = z.strictObject({
  candidateId: CandidateId,
  birthDate: BirthDate,
  votes: Total,
  /** Share of the unit's valid ballots, in percent rounded to 2 decimals: for display only. */
  pctOfValid: z.number().min(0).max(100),
  elected: z.boolean(),
});
export type CandidateResult = z.infer<typeof CandidateResult>;

export const UnitResult = z.strictObject({
  unitId: ElectoralUnitId,
  level: Level,
  seats: Seats,
  votersOnList: Total,
  votersVoted: Total,
  validBallots: Total,
  invalidBallots: Total,
  areasReporting: Total,
  areasTotal: z.int().min(1),
  /** Ranked: most votes first, then the older, then by id so the order is stable. */
  candidates: z.array(CandidateResult),
  outcome: UnitOutcome,
  /**
   * Candidates tied at the last seat on votes and on birth date, which the law does not settle:
   * none of them takes the seat (see decideUnitResult). Empty in every ordinary count.
   */
  tiedAtLastSeat: z.array(CandidateId),
});
export type UnitResult = z.infer<typeof UnitResult>;

export interface UnitResultInput {
  readonly unitId: string;
  readonly level: Level;
  readonly seats: number;
  /** The unit's listed voters from reference data: the re-vote test is on this figure. */
  readonly votersOnList: number;
  readonly candidates: readonly { readonly candidateId: string; readonly birthDate: string }[];
  /** The current (latest) minute of each area that has reported, one per area. */
  readonly minutes: readonly { readonly pollingAreaId: string; readonly minute: CountingMinute }[];
  readonly areasTotal: number;
}

/** National Assembly: every seat must be filled; People's Council: at least two thirds. */
export function needsAdditionalVote(level: Level, seats: number, winners: number): boolean {
  switch (level) {
    case 'na':
      return winners < seats;
    case 'city':
    case 'commune':
      // winners < ⅔ × seats, in integers so that 4 of 6 is exactly enough.
      return winners * 3 < seats * 2;
    default:
      return assertNever(level, 'level');
  }
}

const byRank = (
  a: { votes: number; birthDate: string; candidateId: string },
  b: { votes: number; birthDate: string; candidateId: string },
): number =>
  b.votes - a.votes ||
  // ISO dates compare as strings; the earlier date is the older candidate.
  a.birthDate.localeCompare(b.birthDate) ||
  (a.candidateId < b.candidateId ? -1 : a.candidateId > b.candidateId ? 1 : 0);

const percent = (votes: number, valid: number): number =>
  valid === 0 ? 0 : Math.round((votes * 10_000) / valid) / 100;

/**
 * Decides an electoral unit's result on valid ballots (Law on Election, as amended 2025):
 * - `counting` while some area has no minute yet: figures are running totals, nobody is marked
 *   elected (a provisional mark would read as a result);
 * - `revote_required` when no more than half of the unit's listed voters voted;
 * - otherwise a winner needs more than half of the valid ballots, the highest win up to the
 *   seats, and a tie at the last seat goes to the older candidate; if the tied candidates were
 *   also born the same day the law has no rule, so none of those tied takes a seat and the
 *   additional-vote test decides whether the seats left are filled by an additional vote;
 * - `additional_vote_required` when too few won for the level, else `elected`.
 * The majority tests use exact integers (votes × 2 > valid), never fractions.
 */
export function decideUnitResult(input: UnitResultInput): UnitResult {
  const { seats, areasTotal } = input;
  // Inputs come from reference data and recorded minutes: anything off here is a bug upstream.
  assert(Number.isInteger(seats) && seats >= 1 && seats <= MAX_SEATS, `bad seats ${seats}`);
  assert(Number.isInteger(areasTotal) && areasTotal >= 1, `bad areasTotal ${areasTotal}`);
  assert(
    input.minutes.length <= areasTotal,
    `${input.minutes.length} minutes for ${areasTotal} areas`,
  );
  const areaIds = new Set(input.minutes.map((m) => m.pollingAreaId));
  assert(areaIds.size === input.minutes.length, 'one current minute per area');
  const votes = new Map<string, number>();
  for (const c of input.candidates) {
    assert(!votes.has(c.candidateId), `candidate ${c.candidateId} listed twice`);
    votes.set(c.candidateId, 0);
  }

  let votersVoted = 0;
  let validBallots = 0;
  let invalidBallots = 0;
  for (const { pollingAreaId, minute } of input.minutes) {
    votersVoted += minute.votersVoted;
    validBallots += minute.validBallots;
    invalidBallots += minute.invalidBallots;
    for (const [candidateId, n] of Object.entries(minute.votes)) {
      const sofar = votes.get(candidateId);
      assert(sofar !== undefined, `${pollingAreaId} counts ${candidateId}, not in the unit`);
      votes.set(candidateId, sofar + n);
    }
  }

  const ranked = input.candidates
    .map((c) => ({
      candidateId: c.candidateId,
      birthDate: c.birthDate,
      votes: votes.get(c.candidateId) ?? 0,
    }))
    .sort(byRank);

  const areasReporting = input.minutes.length;
  const base = {
    unitId: input.unitId,
    level: input.level,
    seats,
    votersOnList: input.votersOnList,
    votersVoted,
    validBallots,
    invalidBallots,
    areasReporting,
    areasTotal,
  };
  const withMarks = (elected: ReadonlySet<string>): CandidateResult[] =>
    ranked.map((c) => ({
      ...c,
      pctOfValid: percent(c.votes, validBallots),
      elected: elected.has(c.candidateId),
    }));

  if (areasReporting < areasTotal)
    return { ...base, candidates: withMarks(new Set()), outcome: 'counting', tiedAtLastSeat: [] };
  if (votersVoted * 2 <= input.votersOnList)
    return {
      ...base,
      candidates: withMarks(new Set()),
      outcome: 'revote_required',
      tiedAtLastSeat: [],
    };

  const majority = ranked.filter((c) => c.votes * 2 > validBallots);
  let winners = majority.slice(0, seats);
  let tiedAtLastSeat: string[] = [];
  const last = majority[seats - 1];
  const firstOut = majority[seats];
  if (
    last !== undefined &&
    firstOut !== undefined &&
    last.votes === firstOut.votes &&
    last.birthDate === firstOut.birthDate
  ) {
    const tied = (c: { votes: number; birthDate: string }): boolean =>
      c.votes === last.votes && c.birthDate === last.birthDate;
    tiedAtLastSeat = majority.filter(tied).map((c) => c.candidateId);
    winners = winners.filter((c) => !tied(c));
  }
  const elected = new Set(winners.map((c) => c.candidateId));
  return {
    ...base,
    candidates: withMarks(elected),
    outcome: needsAdditionalVote(input.level, seats, elected.size)
      ? 'additional_vote_required'
      : 'elected',
    tiedAtLastSeat,
  };
}
