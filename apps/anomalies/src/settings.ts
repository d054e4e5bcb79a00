// The anomalies service's settings, read and checked once at start: the command service's, plus the
// detector's thresholds and the schedule the detector's time-based rules fire on.
import { loadConfig } from '@hpe/config';
import { AnomalyThresholds, ElectionDate, ScheduleConfig } from '@hpe/domain';
import { commandServiceSettings } from '@hpe/service-kit';
import { z } from 'zod';

/** Health endpoints of the embedded stack's anomalies service. */
export const defaultAnomaliesHttpPort = 8097;

const flag = z.enum(['true', 'false']).transform((value) => value === 'true');

/** A JSON object in one variable, checked by `schema` (its defaults fill what is left out). */
function jsonSetting<T extends z.ZodType>(schema: T) {
  return z
    .string()
    .default('{}')
    .transform((text, ctx) => {
      try {
        return JSON.parse(text) as unknown;
      } catch {
        ctx.addIssue({ code: 'custom', message: 'must be a JSON object' });
        return z.NEVER;
      }
    })
    .pipe(schema);
}

export const anomaliesSettings = {
  ...commandServiceSettings(defaultAnomaliesHttpPort),
  /** Run the detector in this process (one instance of the stack does; replicas may not). */
  ANOMALY_DETECTOR_ENABLED: flag.default(true),
  /** Thresholds as JSON, e.g. `{"dominantCandidatePct":97}`; see AnomalyThresholds for defaults. */
  ANOMALY_THRESHOLDS: jsonSetting(AnomalyThresholds),
  /** Append the election day's schedule events as the clock reaches them. */
  ANOMALY_SCHEDULE_ENABLED: flag.default(true),
  /** The election dates whose schedule is appended (Bạch Long Vĩ votes a day early). */
  ANOMALY_ELECTION_DATES: z
    .string()
    .default('2026-03-14,2026-03-15')
    .transform((s) => s.split(',').map((d) => d.trim()))
    .pipe(z.array(ElectionDate).min(1).max(10)),
  /** Reporting rounds and minutes deadline as JSON, e.g. `{"reportingRounds":["09:00","11:00"]}`. */
  ANOMALY_SCHEDULE: jsonSetting(ScheduleConfig),
  /** How often the schedule checks its clock, in milliseconds. */
  ANOMALY_SCHEDULE_POLL_MS: z.coerce.number().int().min(10).max(60_000).default(1_000),
};

export type AnomaliesSettings = ReturnType<typeof loadAnomaliesSettings>;

export function loadAnomaliesSettings(env?: Readonly<Record<string, string | undefined>>) {
  return loadConfig('anomalies', anomaliesSettings, env);
}
