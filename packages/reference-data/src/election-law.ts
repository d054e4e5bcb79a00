// The rules of the Law on Election of Deputies (85/2015/QH13, as amended by 83/2025/QH15) that
// shape reference data: how many seats a unit may elect, how long its list must be, who may stand.
import type { ElectoralLevel } from './schema.js';

/** Art. 10: a National Assembly unit elects at most 3 deputies, a People's Council unit at most 5. */
export const maxSeatsPerUnit: Record<ElectoralLevel, number> = { na: 3, city: 5, commune: 5 };

/**
 * Art. 57(6) and 58(3): a National Assembly list has at least 2 names more than seats; a People's
 * Council list at least 1 more for 1–2 seats, 2 more for 3 seats, 3 more for 4 or more seats.
 */
export function minCandidates(level: ElectoralLevel, seats: number): number {
  if (level === 'na') return seats + 2;
  if (seats >= 4) return seats + 3;
  if (seats === 3) return seats + 2;
  return seats + 1;
}

/** Art. 2: a citizen may stand from 21 and vote from 18, counted on election day. */
export const minCandidateAge = 21;
export const minVoterAge = 18;
