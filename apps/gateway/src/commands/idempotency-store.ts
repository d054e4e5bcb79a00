// Answers kept by Idempotency-Key: the same key and body get the first answer again, another body
// a 409; concurrent duplicates share the first request's promise. In memory, bounded, 24 h TTL.
// This is the first step: a deployment with several gateways needs a shared store (a table keyed
// by user, route and key) so that a retry reaching another instance is answered the same way.

export interface IdempotentOutcome<T> {
  /** Whether the answer came from the store (or a request under way) rather than `run`. */
  readonly replayed: boolean;
  readonly value: T;
}

interface Entry {
  readonly fingerprint: string;
  readonly expiresAt: number;
  readonly answer: Promise<unknown>;
}

export class IdempotencyKeyReused extends Error {
  constructor() {
    super('the Idempotency-Key was used with another request body');
    this.name = 'IdempotencyKeyReused';
  }
}

export class IdempotencyStore {
  // A Map iterates in insertion order: re-inserting on use makes the first key the least recent.
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly maxEntries = 100_000,
    private readonly ttlMs = 24 * 3_600_000,
    private readonly now: () => number = () => Date.now(),
  ) {}

  get size(): number {
    return this.entries.size;
  }

  /**
   * Runs `run` once per key. An answer `keep` refuses (a failure worth retrying) is forgotten when
   * it settles, so the retry runs again.
   */
  async once<T>(
    key: string,
    fingerprint: string,
    run: () => Promise<T>,
    keep: (outcome: { ok: true; value: T } | { ok: false; error: unknown }) => boolean,
  ): Promise<IdempotentOutcome<T>> {
    const existing = this.entries.get(key);
    if (existing !== undefined && existing.expiresAt > this.now()) {
      if (existing.fingerprint !== fingerprint) throw new IdempotencyKeyReused();
      this.entries.delete(key);
      this.entries.set(key, existing);
      return { replayed: true, value: (await existing.answer) as T };
    }
    const answer = run();
    const entry: Entry = { fingerprint, expiresAt: this.now() + this.ttlMs, answer };
    this.entries.delete(key);
    this.entries.set(key, entry);
    this.evict();
    const forget = (): void => {
      if (this.entries.get(key) === entry) this.entries.delete(key);
    };
    answer.then(
      (value) => {
        if (!keep({ ok: true, value })) forget();
      },
      (error: unknown) => {
        if (!keep({ ok: false, error })) forget();
      },
    );
    return { replayed: false, value: await answer };
  }

  private evict(): void {
    const now = this.now();
    for (const [key, entry] of this.entries) {
      if (this.entries.size <= this.maxEntries && entry.expiresAt > now) break;
      this.entries.delete(key);
    }
  }
}
