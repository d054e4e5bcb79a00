// The counting minute (biên bản kết quả kiểm phiếu) of one polling area at one ballot level, and
// the consistency rules every minute must pass before it is recorded.
import { z } from 'zod';
import { assert } from '../assert.js';
import { codedError, err, ok } from '../result.js';
import type { CodedError, Result } from '../result.js';
import { CandidateId, Count, MAX_SEATS } from './ids.js';

/** A polling area has a few dozen candidates at most across a unit; 100 refuses flooding. */
export const MAX_CANDIDATES_PER_MINUTE = 100;

export const CountingMinute = z.strictObject({
  votersOnList: Count,
  votersVoted: Count,
  ballotsIssued: Count,
  ballotsReceived: Count,
  validBallots: Count,
  invalidBallots: Count,
  votes: z
    .record(CandidateId, Count)
    .refine(
      (votes) => Object.keys(votes).length <= MAX_CANDIDATES_PER_MINUTE,
      `at most ${MAX_CANDIDATES_PER_MINUTE} candidates`,
    ),
  complaints: z.strictObject({ received: Count, resolved: Count, forwarded: Count }),
});
export type CountingMinute = z.infer<typeof CountingMinute>;

/** What the reference data says about the area's unit; the service looks it up. */
export interface MinuteContext {
  readonly seats: number;
  /** Every candidate on the unit's list. */
  readonly candidateIds: readonly string[];
  /** The area's list for this level (after transfers), when the service knows it. */
  readonly votersOnList?: number;
}

/** In the order they are checked: the first one broken is the error's code. */
export const minuteCodes = [
  'MINUTE.LIST_MISMATCH',
  'MINUTE.VOTED_ABOVE_LIST',
  'MINUTE.RECEIVED_ABOVE_ISSUED',
  'MINUTE.VALID_PLUS_INVALID_MISMATCH',
  'MINUTE.UNKNOWN_CANDIDATE',
  'MINUTE.MISSING_CANDIDATE',
  'MINUTE.CANDIDATE_ABOVE_VALID',
  'MINUTE.VOTES_ABOVE_VALID_TIMES_SEATS',
  'MINUTE.COMPLAINTS_INCONSISTENT',
] as const;
export type MinuteCode = (typeof minuteCodes)[number];

export interface MinuteViolation {
  readonly code: MinuteCode;
  readonly message: string;
}

/**
 * Every rule a minute breaks, in check order (empty when it is consistent). All of them, not just
 * the first, so an election team fixes its form in one round.
 */
export function minuteViolations(
  minute: CountingMinute,
  context: MinuteContext,
): readonly MinuteViolation[] {
  const found: MinuteViolation[] = [];
  const add = (code: MinuteCode, message: string): void => {
    found.push({ code, message });
  };
  const m = minute;

  if (context.votersOnList !== undefined && m.votersOnList !== context.votersOnList)
    add(
      'MINUTE.LIST_MISMATCH',
      `voters on the list ${m.votersOnList} differ from the area's list ${context.votersOnList}`,
    );
  if (m.votersVoted > m.votersOnList)
    add(
      'MINUTE.VOTED_ABOVE_LIST',
      `voters who voted ${m.votersVoted} exceed voters on the list ${m.votersOnList}`,
    );
  if (m.ballotsReceived > m.ballotsIssued)
    add(
      'MINUTE.RECEIVED_ABOVE_ISSUED',
      `ballots received ${m.ballotsReceived} exceed ballots issued ${m.ballotsIssued}`,
    );
  if (m.validBallots + m.invalidBallots !== m.ballotsReceived)
    add(
      'MINUTE.VALID_PLUS_INVALID_MISMATCH',
      `valid ${m.validBallots} + invalid ${m.invalidBallots} ≠ ballots received ${m.ballotsReceived}`,
    );

  const onList = new Set(context.candidateIds);
  const listed = Object.keys(m.votes);
  const unknown = listed.filter((id) => !onList.has(id));
  if (unknown.length > 0)
    add('MINUTE.UNKNOWN_CANDIDATE', `not candidates of this unit: ${unknown.join(', ')}`);
  // Every candidate has a line on the form, 0 included: a missing line could be 0 or forgotten.
  const missing = context.candidateIds.filter((id) => !Object.hasOwn(m.votes, id));
  if (missing.length > 0)
    add('MINUTE.MISSING_CANDIDATE', `no votes given for: ${missing.join(', ')}`);

  const above = Object.entries(m.votes).filter(([, votes]) => votes > m.validBallots);
  if (above.length > 0)
    add(
      'MINUTE.CANDIDATE_ABOVE_VALID',
      `votes above valid ballots ${m.validBallots} for: ${above.map(([id]) => id).join(', ')}`,
    );
  const sum = Object.values(m.votes).reduce((total, votes) => total + votes, 0);
  if (sum > m.validBallots * context.seats)
    add(
      'MINUTE.VOTES_ABOVE_VALID_TIMES_SEATS',
      `candidate votes ${sum} exceed valid ballots ${m.validBallots} × seats ${context.seats}`,
    );

  const { received, resolved, forwarded } = m.complaints;
  if (resolved + forwarded > received)
    add(
      'MINUTE.COMPLAINTS_INCONSISTENT',
      `complaints resolved ${resolved} + forwarded ${forwarded} exceed received ${received}`,
    );
  return found;
}

/**
 * Checks a minute against the law's arithmetic. The error's code is the first rule broken; its
 * details list every violation.
 */
export function checkCountingMinute(
  minute: CountingMinute,
  context: MinuteContext,
): Result<CountingMinute, CodedError<MinuteCode>> {
  // A context from reference data that breaks these is a setup bug, not the team's mistake.
  assert(
    Number.isInteger(context.seats) && context.seats >= 1 && context.seats <= MAX_SEATS,
    `a unit has 1..${MAX_SEATS} seats, got ${context.seats}`,
  );
  const violations = minuteViolations(minute, context);
  const first = violations[0];
  if (first === undefined) return ok(minute);
  return err(
    codedError(first.code, first.message, {
      violations: violations.map((v) => ({ code: v.code, message: v.message })),
    }),
  );
}

/** Same figures, whatever the order of the candidates' keys. */
export function sameMinute(a: CountingMinute, b: CountingMinute): boolean {
  const aIds = Object.keys(a.votes);
  return (
    a.votersOnList === b.votersOnList &&
    a.votersVoted === b.votersVoted &&
    a.ballotsIssued === b.ballotsIssued &&
    a.ballotsReceived === b.ballotsReceived &&
    a.validBallots === b.validBallots &&
    a.invalidBallots === b.invalidBallots &&
    a.complaints.received === b.complaints.received &&
    a.complaints.resolved === b.complaints.resolved &&
    a.complaints.forwarded === b.complaints.forwarded &&
    aIds.length === Object.keys(b.votes).length &&
    aIds.every((id) => Object.hasOwn(b.votes, id) && b.votes[id] === a.votes[id])
  );
}
