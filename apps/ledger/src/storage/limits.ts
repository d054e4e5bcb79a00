// The ledger's size limits and batching bounds in one place, with defaults that fit NATS payloads
// and a 2-core machine; the app's config may override each one.

export interface LedgerLimits {
  /** Most bytes of canonical JSON data + metadata in one event. */
  readonly maxEventBytes: number;
  /** Most events in one append request. */
  readonly maxEventsPerAppend: number;
  /** Most canonical bytes (data + metadata of all events) in one append request. */
  readonly maxAppendBytes: number;
  /** Deepest nesting of arrays/objects inside data or metadata. */
  readonly maxJsonDepth: number;
  /** Group commit: most events written in one transaction (one request is never split). */
  readonly maxBatchEvents: number;
  /** Group commit: most canonical bytes written in one transaction. */
  readonly maxBatchBytes: number;
  /** Back-pressure: most events waiting for a commit before new appends are refused. */
  readonly maxQueuedEvents: number;
}

export const defaultLedgerLimits: LedgerLimits = Object.freeze({
  maxEventBytes: 64 * 1024,
  maxEventsPerAppend: 1_000,
  maxAppendBytes: 8 * 1024 * 1024,
  maxJsonDepth: 32,
  maxBatchEvents: 5_000,
  maxBatchBytes: 16 * 1024 * 1024,
  maxQueuedEvents: 200_000,
});

export function resolveLimits(overrides: Partial<LedgerLimits> = {}): LedgerLimits {
  const limits = { ...defaultLedgerLimits, ...overrides };
  for (const [name, value] of Object.entries(limits)) {
    // A zero or fractional limit is a configuration bug: fail at start, not on election day.
    if (!Number.isSafeInteger(value) || value < 1) {
      throw new RangeError(`ledger limit ${name} must be a positive integer, got ${String(value)}`);
    }
  }
  return Object.freeze(limits);
}
