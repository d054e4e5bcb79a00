// The election day's schedule as recorded events (stream `schedule-<electionDate>`): reporting
// rounds closing and the minutes deadline passing. Time-based anomaly rules fire on these, never on
// a clock, so a replay of the same log raises the same anomalies.
import { z } from 'zod';
import { ElectionDate, FieldTime } from '../turnout/turnout-values.js';
import { VIETNAM_OFFSET } from '../turnout/polling-hours.js';
import { deterministicUuidV7 } from './deterministic-id.js';
import { LocalTimeOfDay } from './anomaly-values.js';

export const ReportingRoundClosed = z.strictObject({
  type: z.literal('ReportingRoundClosed'),
  data: z.strictObject({ electionDate: ElectionDate, round: LocalTimeOfDay, at: FieldTime }),
});
export type ReportingRoundClosed = z.infer<typeof ReportingRoundClosed>;

export const MinutesDeadlinePassed = z.strictObject({
  type: z.literal('MinutesDeadlinePassed'),
  data: z.strictObject({ electionDate: ElectionDate, deadline: LocalTimeOfDay, at: FieldTime }),
});
export type MinutesDeadlinePassed = z.infer<typeof MinutesDeadlinePassed>;

export const ScheduleEvent = z.discriminatedUnion('type', [
  ReportingRoundClosed,
  MinutesDeadlinePassed,
]);
export type ScheduleEvent = z.infer<typeof ScheduleEvent>;

export const scheduleStreamId = (electionDate: string): string => `schedule-${electionDate}`;

const ascending = (times: readonly string[]): boolean =>
  times.every((time, i) => i === 0 || (times[i - 1] ?? '') < time);

/**
 * The rounds the operations centre collects turnout in (the national figures of 15 March 2026 came
 * at about 09:00, 11:20, 14:15, 16:00 and 19:00) and how long after the 19:00 close minutes may
 * take: counting three ballots by hand runs late into the evening, so 23:00 is "long after 19:00".
 */
export const ScheduleConfig = z.strictObject({
  reportingRounds: z
    .array(LocalTimeOfDay)
    .min(1)
    .max(24)
    .refine(ascending, 'rounds must be in ascending order, each once')
    .default(['09:00', '11:00', '14:00', '16:00', '19:00']),
  minutesDeadline: LocalTimeOfDay.default('23:00'),
});
export type ScheduleConfig = z.infer<typeof ScheduleConfig>;

export interface ScheduledEvent {
  /** When it falls due, as an instant in Vietnam time. */
  readonly at: string;
  /** Deterministic: two schedulers, or a restarted one, write the same event once. */
  readonly eventId: string;
  readonly streamId: string;
  readonly event: ScheduleEvent;
}

/** Every schedule event of one election date, in time order. */
export function electionSchedule(electionDate: string, config: ScheduleConfig): ScheduledEvent[] {
  const instant = (time: string): string => `${electionDate}T${time}:00${VIETNAM_OFFSET}`;
  const streamId = scheduleStreamId(electionDate);
  const rounds: ScheduledEvent[] = config.reportingRounds.map((round) => ({
    at: instant(round),
    eventId: deterministicUuidV7(['schedule', electionDate, 'ReportingRoundClosed', round]),
    streamId,
    event: { type: 'ReportingRoundClosed', data: { electionDate, round, at: instant(round) } },
  }));
  const deadline = config.minutesDeadline;
  const deadlinePassed: ScheduledEvent = {
    at: instant(deadline),
    eventId: deterministicUuidV7(['schedule', electionDate, 'MinutesDeadlinePassed', deadline]),
    streamId,
    event: {
      type: 'MinutesDeadlinePassed',
      data: { electionDate, deadline, at: instant(deadline) },
    },
  };
  return [...rounds, deadlinePassed].sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
}
