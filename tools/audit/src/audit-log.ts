// The audit itself: runs the hash-chain verifier and the checkpoint verifier side by side over
// pages of events, from the database or an exported file, and names the first bad position.
import type { KeyObject } from 'node:crypto';
import {
  ChainVerifier,
  CheckpointVerifier,
  GENESIS_HASH,
  type ChainEvent,
  type ChainFailureReason,
  type CheckpointFailureReason,
  type CheckpointSummary,
} from '@hpe/ledger';

export interface AuditOptions {
  readonly publicKeys: readonly KeyObject[];
  /**
   * Where verification starts. Absent: at position 1 from the genesis hash. `trustLink`: the first
   * event's stored prevHash is taken as the link into the range (nothing before it is read).
   * `position` absent: whatever position the first event has (an exported file that starts late).
   */
  readonly start?: { readonly position?: number; readonly trustLink: true };
  /**
   * A head the auditor holds from outside the database (a copy of a signed checkpoint's head,
   * a published hash): the log must reach this position with this hash. Only this catches a
   * removed tail, since what remains of a cut log is a valid, shorter chain.
   */
  readonly expectHead?: { readonly position: number; readonly hash: string };
  /** Called after each page with the number of events verified so far. */
  readonly onProgress?: (verified: number) => void;
}

export type AuditFailureReason = ChainFailureReason | CheckpointFailureReason;

interface AuditRange extends CheckpointSummary {
  readonly from: number;
  /** Last position verified; from − 1 when none was. */
  readonly to: number;
  readonly headHash: string;
  readonly count: number;
}

export type AuditResult =
  | (AuditRange & { readonly ok: true })
  | (AuditRange & {
      readonly ok: false;
      readonly firstBadPosition: number;
      readonly reason: AuditFailureReason;
      readonly detail: string;
    });

export async function auditEvents(
  pages: AsyncIterable<readonly ChainEvent[]>,
  options: AuditOptions,
): Promise<AuditResult> {
  let chain: ChainVerifier | undefined;
  let checkpoints: CheckpointVerifier | undefined;
  let from = options.start?.position ?? 1;

  function begin(first: ChainEvent | undefined): [ChainVerifier, CheckpointVerifier] {
    if (options.start === undefined || first === undefined) {
      return [
        new ChainVerifier({ fromPosition: from }),
        new CheckpointVerifier({ publicKeys: options.publicKeys }),
      ];
    }
    from = options.start.position ?? first.position;
    // A malformed stored prevHash is the first event's fault: verify from genesis-shaped input
    // so the verifier names it (BROKEN_LINK) instead of throwing.
    const link = /^[0-9a-f]{64}$/.test(first.prevHash) ? first.prevHash : GENESIS_HASH;
    return [
      new ChainVerifier({ fromPosition: from, expectedPrevHash: link }),
      new CheckpointVerifier({
        publicKeys: options.publicKeys,
        before: { position: from - 1, hash: link },
      }),
    ];
  }

  let verified = 0;
  let expectedHeadSeen: string | undefined;
  const expectHead = options.expectHead;
  for await (const page of pages) {
    if (chain === undefined || checkpoints === undefined) [chain, checkpoints] = begin(page[0]);
    const before = chain.result().count;
    chain.pushAll(page);
    const accepted = chain.result().count - before;
    // Only events the chain accepted are checked for checkpoints: their hashes are proven.
    const proven = accepted === page.length ? page : page.slice(0, accepted);
    checkpoints.pushAll(proven);
    if (expectHead !== undefined && expectedHeadSeen === undefined) {
      expectedHeadSeen = proven.find((e) => e.position === expectHead.position)?.hash;
    }
    verified += accepted;
    options.onProgress?.(verified);
    if (chain.failed || checkpoints.failed) break;
  }
  [chain, checkpoints] =
    chain !== undefined && checkpoints !== undefined ? [chain, checkpoints] : begin(undefined);

  const c = chain.result();
  const k = checkpoints.result();
  const { ok: _kOk, ...summary } = k;
  const range = {
    from,
    to: c.checkedTo,
    headHash: c.headHash,
    count: c.count,
    checkpoints: summary.checkpoints,
    fingerprints: summary.fingerprints,
    unanchored: summary.unanchored,
    ...(summary.lastCheckpoint === undefined ? {} : { lastCheckpoint: summary.lastCheckpoint }),
  };
  // Checkpoint failures lie on accepted events, so before any chain failure: they come first.
  if (!k.ok) {
    return {
      ...range,
      ok: false,
      firstBadPosition: k.firstBadPosition,
      reason: k.reason,
      detail: k.detail,
    };
  }
  if (!c.ok) {
    return {
      ...range,
      ok: false,
      firstBadPosition: c.firstBadPosition,
      reason: c.reason,
      detail: c.detail,
    };
  }
  if (expectHead !== undefined && expectedHeadSeen !== expectHead.hash) {
    const missing = expectedHeadSeen === undefined;
    return {
      ...range,
      ok: false,
      // A log that stops short is bad from the first missing position on.
      firstBadPosition: missing ? Math.max(range.to + 1, range.from) : expectHead.position,
      reason: 'HEAD_MISMATCH',
      detail: missing
        ? `the log ends at ${range.to}, before the expected head ${expectHead.position}: its tail was removed, or the range does not reach it`
        : `position ${expectHead.position} has hash ${expectedHeadSeen}, the expected head is ${expectHead.hash}`,
    };
  }
  return { ...range, ok: true };
}
