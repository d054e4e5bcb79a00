// Identifiers and counts as they reach the tallies: ids safe in stream ids and NATS subjects,
// counts bounded so that sums and products stay exact integers.
import { z } from 'zod';
import { Count, FieldTime, MAX_COUNT, PollingAreaId, SafeId } from '../ids.js';

export { PollingAreaId };
export const ElectoralUnitId = SafeId;
export const CandidateId = SafeId;
export type CandidateId = z.infer<typeof CandidateId>;

export { Count, MAX_COUNT };

/** An electoral unit elects at most 5 (HĐND) or 3 (National Assembly); 10 leaves room. */
export const MAX_SEATS = 10;
export const Seats = z.int().min(1).max(MAX_SEATS);

export const Instant = FieldTime;
export const BirthDate = z.iso.date();

/** Who acted, as the service knows it from the token: the read side shows it on each version. */
export const ActorId = z.string().min(1).max(200);

/** Why a minute was corrected or a declaration reverted: said in words, never blank. */
export const Reason = z.string().trim().min(1).max(1000);
