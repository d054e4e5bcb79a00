// The detector's thresholds, in configuration with defaults tuned to Vietnamese turnout (~99% final,
// over 70% by 11:20, 80.6% at 14:15 nationally on 15 March 2026): 100% at 15:00 is normal, 100% at
// 08:00 is not.
import { z } from 'zod';
import { levels, Level } from '../levels.js';
import { LocalTimeOfDay } from './anomaly-values.js';

const Pct = z.number().min(0).max(100);

export const AnomalyThresholds = z.strictObject({
  /**
   * (c) a snapshot taken before `before` (local time) above `maxPct` of the list is "very high very
   * early". Polls open at 07:00 (05:00 at the earliest); a good morning reaches ~30% by 08:00.
   */
  earlyTurnoutCeilings: z
    .array(z.strictObject({ before: LocalTimeOfDay, maxPct: Pct }))
    .max(24)
    .default([
      { before: '08:00', maxPct: 35 },
      { before: '09:00', maxPct: 60 },
      { before: '10:00', maxPct: 85 },
    ]),
  /**
   * (c) between two snapshots of one area: a rise of at least `minJumpPctPoints` of the list at
   * more than `maxPctPointsPerHour` is implausible (the busiest hour of a busy area is ~30 points).
   */
  minJumpPctPoints: Pct.default(25),
  maxPctPointsPerHour: z.number().positive().default(40),
  /** Rate and share rules skip areas this small (a hospital's 30 voters jump by nature). */
  minVotersOnListForRates: z.int().min(0).default(50),
  /**
   * (d) reported turnout and the check-ins recorded at the area may differ by this share of the list
   * (scanners sync late) or this many voters, whichever is larger. Areas with no check-in at all
   * are not checked (the area does not scan cards).
   */
  checkInTolerancePct: Pct.default(5),
  checkInToleranceVoters: z.int().min(0).default(10),
  /** (g) one candidate's votes above this share of the area's valid ballots. */
  dominantCandidatePct: Pct.default(95),
  /** (g) share rules need at least this many valid (resp. received) ballots at the area. */
  minBallotsForShares: z.int().min(0).default(50),
  /** (g) invalid share farther than this (percentage points) from the commune's median… */
  invalidShareDeviationPctPoints: Pct.default(8),
  /** …computed over at least this many other areas of the commune at that level. */
  invalidShareMinPeers: z.int().min(1).default(4),
  /** (f) the levels whose minutes every opened area owes by the deadline. */
  expectedMinuteLevels: z
    .array(Level)
    .min(1)
    .max(3)
    .default([...levels]),
});
export type AnomalyThresholds = z.infer<typeof AnomalyThresholds>;

export const defaultAnomalyThresholds: AnomalyThresholds = AnomalyThresholds.parse({});
