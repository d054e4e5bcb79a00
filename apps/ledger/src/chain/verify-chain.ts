// Checks a run of recorded events against the hash chain and names the first position where it
// breaks: content edited (hash mismatch), link cut (prevHash), events removed or moved (position).
import { canonicalEventJson, type HashedEventFields } from './canonical-event.js';
import { ChainHasher, GENESIS_HASH, isChainHash } from './chain-hash.js';

export interface ChainEvent extends HashedEventFields {
  readonly prevHash: string;
  readonly hash: string;
}

export interface VerifyChainOptions {
  /** What the first event must link to: the genesis value from position 1, else a checkpoint's hash. */
  readonly expectedPrevHash?: string;
  /** Position of the first event; 1 unless verifying from a checkpoint. */
  readonly fromPosition?: number;
  /**
   * Where the chain must end (a signed checkpoint, the head the store reports). Without it a
   * removed tail is invisible: what remains is a valid, shorter chain.
   */
  readonly expectedHead?: { readonly position: number; readonly hash: string };
}

export type ChainFailureReason =
  /** The event's recomputed hash differs from its stored hash: its content was changed. */
  | 'HASH_MISMATCH'
  /** The event's prevHash is not the previous event's hash. */
  | 'BROKEN_LINK'
  /** The position is not the previous one + 1: an event was removed, moved or duplicated. */
  | 'POSITION_MISMATCH'
  /** The event's fields cannot be canonicalised (not JSON), so it cannot be the one hashed. */
  | 'UNHASHABLE'
  /** The chain verified but does not end at the expected head: truncated or extended. */
  | 'HEAD_MISMATCH';

interface VerifiedRange {
  /** First position checked (the expected one, even when nothing was checked). */
  readonly checkedFrom: number;
  /** Last position that verified; checkedFrom − 1 when none did. */
  readonly checkedTo: number;
  /** Hash of the last event that verified (the expected prevHash when none did). */
  readonly headHash: string;
  readonly count: number;
}

export type VerifyChainResult =
  | (VerifiedRange & { readonly ok: true })
  | (VerifiedRange & {
      readonly ok: false;
      readonly firstBadPosition: number;
      readonly reason: ChainFailureReason;
      readonly detail: string;
    });

/**
 * Incremental verifier: feed events in position order, stop at the first failure. Kept as a class
 * so a paged reader can push pages as they arrive without building one large array.
 */
export class ChainVerifier {
  private readonly checkedFrom: number;
  private expectedPosition: number;
  private prevHex: string;
  private readonly hasher = new ChainHasher();
  private count = 0;
  private failure: { position: number; reason: ChainFailureReason; detail: string } | undefined;

  constructor(private readonly options: VerifyChainOptions = {}) {
    const expectedPrevHash = options.expectedPrevHash ?? GENESIS_HASH;
    if (!isChainHash(expectedPrevHash)) {
      throw new TypeError(`expectedPrevHash is not 64 lower-case hex: ${expectedPrevHash}`);
    }
    this.checkedFrom = options.fromPosition ?? 1;
    this.expectedPosition = this.checkedFrom;
    this.prevHex = expectedPrevHash;
  }

  get failed(): boolean {
    return this.failure !== undefined;
  }

  /** Checks one event; false once the chain has failed (further events are ignored). */
  push(event: ChainEvent): boolean {
    if (this.failure !== undefined) return false;
    const expected = this.expectedPosition;
    if (event.position !== expected) {
      // Name the slot where the log stops being what it should be: the missing position for a
      // removed event, the first displaced slot for a reorder.
      return this.fail(
        expected,
        'POSITION_MISMATCH',
        `expected position ${expected}, found ${String(event.position)}`,
      );
    }
    if (event.prevHash !== this.prevHex) {
      return this.fail(
        expected,
        'BROKEN_LINK',
        `prevHash ${String(event.prevHash)} is not the previous hash ${this.prevHex}`,
      );
    }
    let hex: string;
    try {
      // prevHex is the checked starting hash or a hash we computed: always 64 hex digits.
      hex = this.hasher.link(this.prevHex, canonicalEventJson(event));
    } catch (error) {
      return this.fail(
        expected,
        'UNHASHABLE',
        error instanceof Error ? error.message : String(error),
      );
    }
    if (hex !== event.hash) {
      return this.fail(
        expected,
        'HASH_MISMATCH',
        `stored hash ${String(event.hash)}, recomputed ${hex}: the event's content was changed`,
      );
    }
    this.prevHex = hex;
    this.expectedPosition = expected + 1;
    this.count += 1;
    return true;
  }

  pushAll(events: readonly ChainEvent[]): boolean {
    for (const event of events) if (!this.push(event)) return false;
    return true;
  }

  result(): VerifyChainResult {
    const range: VerifiedRange = {
      checkedFrom: this.checkedFrom,
      checkedTo: this.expectedPosition - 1,
      headHash: this.prevHex,
      count: this.count,
    };
    if (this.failure !== undefined) {
      return {
        ...range,
        ok: false,
        firstBadPosition: this.failure.position,
        reason: this.failure.reason,
        detail: this.failure.detail,
      };
    }
    const head = this.options.expectedHead;
    if (head !== undefined && (head.position !== range.checkedTo || head.hash !== range.headHash)) {
      const sameLength = head.position === range.checkedTo;
      return {
        ...range,
        ok: false,
        // A shorter or longer chain breaks right after the shorter end. The same length with
        // another head hash means the whole range was rewritten and re-hashed: the change can be
        // anywhere in it, so name its start (intermediate checkpoints narrow this down).
        firstBadPosition: sameLength
          ? range.checkedFrom
          : Math.min(range.checkedTo, head.position) + 1,
        reason: 'HEAD_MISMATCH',
        detail: `chain ends at ${range.checkedTo} (${range.headHash}), expected ${head.position} (${head.hash})${
          sameLength ? ': the range was re-hashed after a change' : ''
        }`,
      };
    }
    return { ...range, ok: true };
  }

  private fail(position: number, reason: ChainFailureReason, detail: string): false {
    this.failure = { position, reason, detail };
    return false;
  }
}

/**
 * Verifies events in position order. A synchronous iterable is walked without awaiting per event;
 * an asynchronous one may yield single events or whole pages (arrays), which is how the store's
 * reader keeps the per-event overhead low. Stops reading at the first failure.
 */
export async function verifyChain(
  source: Iterable<ChainEvent> | AsyncIterable<ChainEvent | readonly ChainEvent[]>,
  options: VerifyChainOptions = {},
): Promise<VerifyChainResult> {
  const verifier = new ChainVerifier(options);
  if (Symbol.iterator in source) {
    for (const event of source) if (!verifier.push(event)) break;
    return verifier.result();
  }
  for await (const item of source) {
    const going = isPage(item) ? verifier.pushAll(item) : verifier.push(item);
    if (!going) break;
  }
  return verifier.result();
}

function isPage(item: ChainEvent | readonly ChainEvent[]): item is readonly ChainEvent[] {
  return Array.isArray(item);
}
