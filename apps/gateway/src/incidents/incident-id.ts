// New incident ids: UUIDv7 (RFC 9562, from the uuid library), minted by the gateway so a replayed
// Idempotency-Key answers the id of the first request, and time-ordered so newer ids sort later.
import { v7 as uuidv7 } from 'uuid';

export function newIncidentId(): string {
  return uuidv7();
}
