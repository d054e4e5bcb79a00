// What every query accepts besides its own filters: `minPosition` (read your own writes).
import { z } from 'zod';

export const minPositionParam = {
  minPosition: z.coerce.number().int().min(0).max(Number.MAX_SAFE_INTEGER).optional(),
};

/** A percentage with two decimals; 0 for an empty list. */
export function pct(part: number, whole: number): number {
  return whole === 0 ? 0 : Math.round((part / whole) * 10_000) / 100;
}
