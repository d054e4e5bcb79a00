// The values an anomaly carries: its deterministic id, its kind (one per rule of design/domain.md
// "Anomalies worth flagging"), its severity, what it is about and the facts that raised it.
import { z } from 'zod';
import { Level } from '../levels.js';
import { SafeId } from '../ids.js';

/** Lower-case UUIDv7 shape: anomaly ids are event-id-shaped (see deterministic-id.ts). */
export const AnomalyId = z
  .string()
  .regex(
    /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    'must be a lower-case UUIDv7-shaped id',
  );
export type AnomalyId = z.infer<typeof AnomalyId>;

export const anomalyKinds = [
  /** (a) a counting minute's arithmetic breaks a consistency rule */
  'minute_inconsistent',
  /** (b) a turnout figure above the area's list */
  'turnout_above_list',
  /** (b) a turnout figure lower than an earlier one */
  'turnout_decreased',
  /** (c) an implausible jump between two snapshots */
  'turnout_jump',
  /** (c) very high turnout very early */
  'turnout_early_high',
  /** (d) reported turnout disagrees with the check-ins counted at the area */
  'turnout_checkin_mismatch',
  /** (e) a second check-in with the same card */
  'card_reused',
  /** (e) a check-in with a struck-off card */
  'struck_card_checkin',
  /** (f) an opened area sent no report in a reporting round */
  'reporting_round_missed',
  /** (f) minutes not in by the minutes deadline */
  'minutes_missing',
  /** (g) one candidate above 95% of the valid ballots at an area */
  'dominant_candidate',
  /** (g) invalid-ballot share far from the commune's median */
  'invalid_share_outlier',
] as const;
export const AnomalyKind = z.enum(anomalyKinds);
export type AnomalyKind = z.infer<typeof AnomalyKind>;

export const AnomalySeverity = z.enum(['low', 'medium', 'high']);
export type AnomalySeverity = z.infer<typeof AnomalySeverity>;

/** `HH:MM`, local (Vietnam) time of the election day. */
export const LocalTimeOfDay = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be HH:MM');

export const AnomalySubject = z.strictObject({
  pollingAreaId: SafeId.optional(),
  communeId: SafeId.optional(),
  level: Level.optional(),
  unitId: SafeId.optional(),
  cardNumber: SafeId.optional(),
  candidateId: SafeId.optional(),
  round: LocalTimeOfDay.optional(),
});
export type AnomalySubject = z.infer<typeof AnomalySubject>;

/** Figures behind the anomaly, flat so the console can show them as a table. */
export const AnomalyFacts = z.record(
  z.string().max(100),
  z.union([z.number(), z.string().max(500), z.boolean(), z.null(), z.array(z.string().max(200))]),
);
export type AnomalyFacts = z.infer<typeof AnomalyFacts>;

/** An operator's note or reason: said in words, never blank. */
export const AnomalyText = z.string().trim().min(1).max(1000);
