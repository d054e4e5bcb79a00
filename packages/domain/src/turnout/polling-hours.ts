// Polling hours in Vietnam time (UTC+07:00, no DST), measured in minutes from midnight of the
// area's own election day: a time on any other day falls outside every window by construction.
import { assert } from '../assert.js';

export const VIETNAM_OFFSET = '+07:00';

/** 05:00: a team may open early, never earlier than this. */
export const EARLIEST_OPENING_MINUTE = 5 * 60;
/** 07:00–19:00: the regular polling hours of the law. */
export const REGULAR_OPENING_MINUTE = 7 * 60;
export const REGULAR_CLOSING_MINUTE = 19 * 60;
/** 21:00: a team may close late, never later than this. */
export const LATEST_CLOSING_MINUTE = 21 * 60;

/**
 * Minutes from 00:00 Vietnam time on `electionDate` to the instant `at`; negative before that day,
 * above 1,440 after it. Computed from the instants, so the machine's time zone never matters.
 */
export function minutesIntoElectionDay(at: string, electionDate: string): number {
  const midnight = Date.parse(`${electionDate}T00:00:00${VIETNAM_OFFSET}`);
  const instant = Date.parse(at);
  // Both come through zod schemas first: an unparsable one here is a bug, not bad input.
  assert(Number.isFinite(midnight), `election date ${electionDate} is not a date`);
  assert(Number.isFinite(instant), `time ${at} is not an instant`);
  return (instant - midnight) / 60_000;
}

/** The wall-clock time `minute` on the area's election day, as an ISO string for error details. */
export function electionDayTime(electionDate: string, minute: number): string {
  assert(Number.isInteger(minute) && minute >= 0 && minute < 24 * 60, `minute ${minute} of a day`);
  const hh = String(Math.floor(minute / 60)).padStart(2, '0');
  const mm = String(minute % 60).padStart(2, '0');
  return `${electionDate}T${hh}:${mm}:00${VIETNAM_OFFSET}`;
}
