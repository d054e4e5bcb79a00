// Remembers passwords that scrypt has already verified against a stored hash, so a shift change
// (thousands of field accounts signing in within minutes) does not cost ~100 ms of CPU each. Only
// successes are kept, under an HMAC with a key that lives and dies with the process: a wrong
// password always pays the full scrypt price, and the cache never holds a password itself.
import { createHmac, randomBytes } from 'node:crypto';
import { LRUCache } from 'lru-cache';

export class VerifiedPasswords {
  private readonly key = randomBytes(32);
  private readonly verified: LRUCache<string, true>;

  constructor(maxEntries = 20_000, ttlMs = 15 * 60_000) {
    this.verified = new LRUCache({ max: maxEntries, ttl: ttlMs });
  }

  /** Whether `password` was verified against `storedHash` recently. */
  has(storedHash: string, password: string): boolean {
    return this.verified.has(this.fingerprint(storedHash, password));
  }

  remember(storedHash: string, password: string): void {
    this.verified.set(this.fingerprint(storedHash, password), true);
  }

  private fingerprint(storedHash: string, password: string): string {
    return createHmac('sha256', this.key)
      .update(storedHash)
      .update('\u0000')
      .update(password)
      .digest('base64url');
  }
}
