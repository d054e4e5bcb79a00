// Deterministic event ids for what the detector and the schedule write: the same rule, subject and
// triggering event always give the same id, so a re-run is a duplicate the ledger answers in place.
// SHA-256 comes from @noble/hashes: pure JavaScript, so the domain stays free of node:crypto.
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js';

/**
 * A UUIDv7-shaped id (the ledger accepts only lower-case UUIDv7 event ids) derived from
 * SHA-256(parts joined by `|`): the first 16 bytes of the digest with the version nibble set to 7
 * and the variant bits to 10. Unlike a real v7 its first 48 bits are not a timestamp, so these ids
 * do not sort by time; nothing here relies on that (the log orders by position).
 */
export function deterministicUuidV7(parts: readonly string[]): string {
  const bytes = sha256(utf8ToBytes(parts.join('|'))).slice(0, 16);
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x70;
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
  const hex = bytesToHex(bytes);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
