// Checks every signed checkpoint in a run of events: a valid Ed25519 signature by a known key,
// and a head hash equal to the hash the chain holds at the signed position.
import type { KeyObject } from 'node:crypto';
import type { ChainEvent } from '../chain/verify-chain.js';
import {
  checkpointEventType,
  checkpointSignatureValid,
  parseCheckpointData,
} from './checkpoint-event.js';
import { publicKeyFingerprint } from './signing-key.js';

export type CheckpointFailureReason =
  /** The signature does not verify under the key its fingerprint names. */
  | 'BAD_SIGNATURE'
  /** The checkpoint names a key that is not among the auditor's public keys. */
  | 'UNKNOWN_KEY'
  /** The signed head hash is not the chain's hash at the signed position (or that position is not before the checkpoint). */
  | 'CHECKPOINT_MISMATCH'
  /** The event has the checkpoint type but not the checkpoint data shape. */
  | 'MALFORMED_CHECKPOINT'
  /** The signed position lies further back than the verifier keeps hashes for (see windowSize). */
  | 'CHECKPOINT_OUT_OF_REACH';

/** An event as the checkpoint verifier needs it: chain fields plus its type and data. */
export type CheckpointCandidate = Pick<ChainEvent, 'position' | 'hash' | 'type' | 'data'>;

export interface CheckpointSummary {
  /** Checkpoints whose signature (and, when anchored, head) verified. */
  readonly checkpoints: number;
  /** Fingerprints of the keys that signed them, in order of first use. */
  readonly fingerprints: readonly string[];
  /** The last verified checkpoint. */
  readonly lastCheckpoint?: {
    readonly position: number;
    readonly headPosition: number;
    readonly headHash: string;
  };
  /**
   * Checkpoints whose signed position lies before the verified range (verification started past
   * position 1): their signature was checked, their head could not be.
   */
  readonly unanchored: number;
}

export type VerifyCheckpointsResult =
  | (CheckpointSummary & { readonly ok: true })
  | (CheckpointSummary & {
      readonly ok: false;
      readonly firstBadPosition: number;
      readonly reason: CheckpointFailureReason;
      readonly detail: string;
    });

export interface CheckpointVerifierOptions {
  /** The published keys checkpoints may be signed with. */
  readonly publicKeys: readonly KeyObject[];
  /**
   * The hash before the first pushed event (position fromPosition − 1), when known; a checkpoint
   * that signs exactly that position is then checked against it.
   */
  readonly before?: { readonly position: number; readonly hash: string };
  /**
   * How many recent hashes are kept to check heads against (32 bytes each). A checkpoint signs
   * the head it read just before appending, so only the appends queued ahead of it lie in
   * between: at most the writer's maxQueuedEvents (200,000) plus one batch by default.
   */
  readonly windowSize?: number;
}

/**
 * Incremental: push events in position order, after the chain verifier accepted them (the hashes
 * pushed here are trusted to be the chain's). Stops at the first failure.
 */
export class CheckpointVerifier {
  private readonly keys = new Map<string, KeyObject>();
  private readonly window: Buffer;
  private readonly windowSize: number;
  /** Lowest position whose hash is (or was) in the window; positions below are "before the range". */
  private firstKnown: number | undefined;
  private lastPushed: number | undefined;
  private checkpoints = 0;
  private unanchored = 0;
  private readonly fingerprints: string[] = [];
  private lastCheckpoint: CheckpointSummary['lastCheckpoint'];
  private failure:
    { position: number; reason: CheckpointFailureReason; detail: string } | undefined;

  constructor(options: CheckpointVerifierOptions) {
    for (const key of options.publicKeys) this.keys.set(publicKeyFingerprint(key), key);
    this.windowSize = options.windowSize ?? 262_144;
    if (!Number.isSafeInteger(this.windowSize) || this.windowSize < 1) {
      throw new RangeError(`windowSize must be a positive integer, got ${String(this.windowSize)}`);
    }
    this.window = Buffer.alloc(this.windowSize * 32);
    if (options.before !== undefined && options.before.position >= 1) {
      this.remember(options.before.position, options.before.hash);
    }
  }

  get failed(): boolean {
    return this.failure !== undefined;
  }

  push(event: CheckpointCandidate): boolean {
    if (this.failure !== undefined) return false;
    if (event.type === checkpointEventType) this.check(event);
    if (this.failure !== undefined) return false;
    this.remember(event.position, event.hash);
    return true;
  }

  pushAll(events: Iterable<CheckpointCandidate>): boolean {
    for (const event of events) if (!this.push(event)) return false;
    return true;
  }

  result(): VerifyCheckpointsResult {
    const summary: CheckpointSummary = {
      checkpoints: this.checkpoints,
      fingerprints: [...this.fingerprints],
      unanchored: this.unanchored,
      ...(this.lastCheckpoint === undefined ? {} : { lastCheckpoint: this.lastCheckpoint }),
    };
    if (this.failure === undefined) return { ...summary, ok: true };
    return {
      ...summary,
      ok: false,
      firstBadPosition: this.failure.position,
      reason: this.failure.reason,
      detail: this.failure.detail,
    };
  }

  private check(event: CheckpointCandidate): void {
    const data = parseCheckpointData(event.data);
    if (data === undefined) {
      this.fail(event.position, 'MALFORMED_CHECKPOINT', 'checkpoint data has the wrong shape');
      return;
    }
    const key = this.keys.get(data.keyFingerprint);
    if (key === undefined) {
      this.fail(event.position, 'UNKNOWN_KEY', `signed by unknown key ${data.keyFingerprint}`);
      return;
    }
    if (!checkpointSignatureValid(data, key)) {
      this.fail(
        event.position,
        'BAD_SIGNATURE',
        `signature does not verify under key ${data.keyFingerprint}`,
      );
      return;
    }
    if (data.headPosition >= event.position) {
      this.fail(
        event.position,
        'CHECKPOINT_MISMATCH',
        `signs position ${data.headPosition}, which is not before the checkpoint`,
      );
      return;
    }
    if (this.firstKnown === undefined || data.headPosition < this.firstKnown) {
      this.unanchored += 1;
    } else {
      const held = this.recall(data.headPosition);
      if (held === undefined) {
        this.fail(
          event.position,
          'CHECKPOINT_OUT_OF_REACH',
          `signs position ${data.headPosition}, more than ${this.windowSize} events back`,
        );
        return;
      }
      if (held !== data.headHash) {
        this.fail(
          event.position,
          'CHECKPOINT_MISMATCH',
          `signed head ${data.headPosition} is ${data.headHash}, the chain holds ${held}`,
        );
        return;
      }
    }
    this.checkpoints += 1;
    if (!this.fingerprints.includes(data.keyFingerprint))
      this.fingerprints.push(data.keyFingerprint);
    this.lastCheckpoint = {
      position: event.position,
      headPosition: data.headPosition,
      headHash: data.headHash,
    };
  }

  private remember(position: number, hash: string): void {
    this.firstKnown ??= position;
    this.lastPushed = position;
    this.window.write(hash, (position % this.windowSize) * 32, 32, 'hex');
  }

  private recall(position: number): string | undefined {
    if (this.lastPushed === undefined || this.firstKnown === undefined) return undefined;
    if (position > this.lastPushed || position <= this.lastPushed - this.windowSize) {
      return undefined;
    }
    const offset = (position % this.windowSize) * 32;
    return this.window.toString('hex', offset, offset + 32);
  }

  private fail(position: number, reason: CheckpointFailureReason, detail: string): void {
    this.failure = { position, reason, detail };
  }
}

/**
 * Checks every `LedgerCheckpointSigned` in `events` (position order, already chain-verified)
 * against `publicKeys`. Names the first bad checkpoint's position.
 */
export function verifyCheckpoints(
  events: Iterable<CheckpointCandidate>,
  publicKeys: readonly KeyObject[],
  options: Omit<CheckpointVerifierOptions, 'publicKeys'> = {},
): VerifyCheckpointsResult {
  const verifier = new CheckpointVerifier({ ...options, publicKeys });
  verifier.pushAll(events);
  return verifier.result();
}
