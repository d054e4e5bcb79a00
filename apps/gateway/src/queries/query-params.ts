// What every query accepts besides its own filters: `minPosition` (read your own writes).
import { z } from 'zod';

/**
 * A log position in a query string: decimal digits only. `z.coerce.number()` would take a blank
 * value as 0, `0x10` as 16 and ` 5` as 5; a client sending those has a bug worth a 400.
 */
export const positionParam = z
  .string()
  .regex(/^\d{1,16}$/, 'must be a whole number of decimal digits')
  .transform(Number)
  .pipe(z.number().int().min(0).max(Number.MAX_SAFE_INTEGER));

export const minPositionParam = {
  minPosition: positionParam.optional(),
};

/** A percentage with two decimals; 0 for an empty list. */
export function pct(part: number, whole: number): number {
  return whole === 0 ? 0 : Math.round((part / whole) * 10_000) / 100;
}
