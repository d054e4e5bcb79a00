// An in-process, fixed-window limiter of login attempts per client address and username. Good
// enough for one gateway process; several gateways would each allow the limit (documented in ADR).
export type LimitDecision =
  { readonly allowed: true } | { readonly allowed: false; readonly retryAfterSeconds: number };

interface Window {
  readonly startedAt: number;
  count: number;
}

export class LoginRateLimiter {
  private readonly windows = new Map<string, Window>();

  constructor(
    private readonly limit: number,
    private readonly windowMs = 60_000,
    private readonly now: () => number = Date.now,
    /** Keys kept at most; the oldest windows go first, so a flood of names cannot exhaust memory. */
    private readonly maxKeys = 100_000,
  ) {}

  /** Counts one attempt for `key` and says whether it may go ahead. */
  attempt(key: string): LimitDecision {
    const now = this.now();
    const current = this.windows.get(key);
    if (current === undefined || now - current.startedAt >= this.windowMs) {
      this.windows.delete(key);
      this.evict(now);
      this.windows.set(key, { startedAt: now, count: 1 });
      return { allowed: true };
    }
    if (current.count >= this.limit) {
      const retryAfterSeconds = Math.max(
        1,
        Math.ceil((current.startedAt + this.windowMs - now) / 1_000),
      );
      return { allowed: false, retryAfterSeconds };
    }
    current.count += 1;
    return { allowed: true };
  }

  get size(): number {
    return this.windows.size;
  }

  /** Drops expired windows from the front (oldest first), and the oldest when over `maxKeys`. */
  private evict(now: number): void {
    for (const [key, window] of this.windows) {
      if (now - window.startedAt < this.windowMs && this.windows.size < this.maxKeys) break;
      this.windows.delete(key);
    }
  }
}
