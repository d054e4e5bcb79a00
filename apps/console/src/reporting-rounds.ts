// The reporting rounds of the day and which one a screen is chasing now. The rounds are a copy of
// the domain's default schedule (packages/domain/src/anomalies/schedule.ts; the console does not
// bundle the domain package): reporting-rounds.unit.test.ts fails if the two drift apart.
import { cityTimeZone } from './format.js';

export const reportingRounds = ['09:00', '11:00', '14:00', '16:00', '19:00'] as const;
export type ReportingRound = (typeof reportingRounds)[number];

/** The city's calendar date (YYYY-MM-DD) of an instant. */
export function cityDate(instant: number): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: cityTimeZone }).format(new Date(instant));
}

/** A round's instant on an election day (Vietnam keeps UTC+7 all year). */
export function roundInstant(electionDate: string, round: string): number {
  return Date.parse(`${electionDate}T${round}:00+07:00`);
}

/**
 * The round now running: the latest one whose time has come. "Now" is the wall clock while it is
 * on the day of the latest figure; on any other day (a replay, a rehearsal, a demo after the
 * election) it is the latest figure's time, so the console judges the data it has rather than the
 * calendar. Before any figure, and before the first round, there is none.
 */
export function currentRound(
  wallClock: number,
  latestFigureAt: string | undefined,
): ReportingRound | null {
  if (latestFigureAt === undefined) return null;
  const figure = Date.parse(latestFigureAt);
  if (Number.isNaN(figure)) return null;
  const day = cityDate(figure);
  const now = cityDate(wallClock) === day ? Math.max(wallClock, figure) : figure;
  let current: ReportingRound | null = null;
  for (const round of reportingRounds) if (roundInstant(day, round) <= now) current = round;
  return current;
}
