// The voterKey: HMAC-SHA-256 of the citizen ID under the service's secret, in lower-case hex. The
// only form in which a citizen ID leaves this function; the ID itself is never stored or logged.
import { createHmac } from 'node:crypto';

export type VoterKeyOf = (citizenId: string) => string;

export function voterKeyHasher(secret: string): VoterKeyOf {
  return (citizenId) => createHmac('sha256', secret).update(citizenId, 'utf8').digest('hex');
}

export const voterStreamId = (voterKey: string): string => `voter-${voterKey}`;
