// Values every aggregate shares: ids safe inside stream ids and NATS subjects, bounded counts, and
// field times with their offset. One definition each, so the aggregates cannot drift apart.
import { z } from 'zod';

/**
 * Letters, digits, `_` and `-`, starting with a letter or digit: safe inside a stream id such as
 * `turnout-<pollingAreaId>` and a NATS subject (no dot, no space), and never a key like `__proto__`.
 */
export const SafeId = z
  .string()
  .min(1)
  .max(100)
  .regex(/^[A-Za-z0-9][A-Za-z0-9_-]*$/, 'must be letters, digits, _ or - (no dot, no space)');

/** A polling area's id (the reference data's are `PA-<commune>-<nnn>`); services check it exists. */
export const PollingAreaId = SafeId;
export type PollingAreaId = z.infer<typeof PollingAreaId>;

/**
 * The largest count a report or minute may carry. The whole city lists 3.2 million voters, so ten
 * million refuses typos and hostile figures while every sum (× seats ≤ 10) stays far below 2^53.
 */
export const MAX_COUNT = 10_000_000;
export const Count = z.int().min(0).max(MAX_COUNT);

/** A time as the field reports it: ISO 8601 with its offset, never a bare local time. */
export const FieldTime = z.iso.datetime({ offset: true });
