// The whole audit of the stored log as one library call: the hash chain with verifyLogParallel
// (worker threads) and every signed checkpoint, with the sequential auditor's exact result.
import type { KeyObject } from 'node:crypto';
import pg from 'pg';
import { GENESIS_HASH, isChainHash } from '../chain/chain-hash.js';
import type { ChainFailureReason, VerifyChainResult } from '../chain/verify-chain.js';
import { checkpointEventType } from '../checkpoints/checkpoint-event.js';
import {
  CheckpointVerifier,
  type CheckpointFailureReason,
  type CheckpointSummary,
  type VerifyCheckpointsResult,
} from '../checkpoints/verify-checkpoints.js';
import { readLogHeadPosition } from './read-chain-range.js';
import { verifyLogParallel } from './verify-log-parallel.js';

export interface VerifyLedgerOptions {
  /** A role that may SELECT ledger.events; each worker thread opens its own connection with it. */
  readonly databaseUrl: string;
  /**
   * First position to verify; 1 by default. Past 1, the first stored event's prevHash is taken
   * as the link into the range (nothing before it is read), as `hpe-audit verify --from` does.
   */
  readonly fromPosition?: number;
  /** Last position to verify; the head when verification starts by default. */
  readonly toPosition?: number;
  /** The published keys checkpoints may be signed with; none means any checkpoint fails. */
  readonly publicKeys: readonly KeyObject[];
  /**
   * `skip`: the chain only, for a caller that holds no public key (the gateway without one
   * configured); checkpoints are hashed as events but their signatures and heads are not checked,
   * and the result counts none. `verify` by default.
   */
  readonly checkpoints?: 'verify' | 'skip';
  /**
   * A head held from outside the database (a copy of a signed checkpoint's head): the log must
   * reach this position with this hash. Only this catches a removed tail.
   */
  readonly expectHead?: { readonly position: number; readonly hash: string };
  /** Worker threads for the chain; one per core by default (1 verifies on the calling thread). */
  readonly workers?: number;
  /** Below this many events per worker the chain is verified on the calling thread (20,000). */
  readonly minEventsPerWorker?: number;
}

export type VerifyLedgerFailureReason = ChainFailureReason | CheckpointFailureReason;

interface VerifiedLedgerRange extends CheckpointSummary {
  readonly checkedFrom: number;
  /** Last position verified; checkedFrom − 1 when none was. */
  readonly checkedTo: number;
  /** Hash at checkedTo (the link into the range when nothing was verified). */
  readonly headHash: string;
  readonly count: number;
}

export type VerifyLedgerResult =
  | (VerifiedLedgerRange & { readonly ok: true })
  | (VerifiedLedgerRange & {
      readonly ok: false;
      readonly firstBadPosition: number;
      readonly reason: VerifyLedgerFailureReason;
      readonly detail: string;
    });

/**
 * Verifies positions fromPosition..toPosition of ledger.events: chain first (in parallel), then
 * the checkpoints over the events the chain accepted. Results, failures included, are those of
 * `auditEvents` over the same rows read sequentially (tools/audit's tests compare them).
 * Throws when the database cannot be read.
 */
export async function verifyLedger(options: VerifyLedgerOptions): Promise<VerifyLedgerResult> {
  const client = new pg.Client({ connectionString: options.databaseUrl });
  client.on('error', () => undefined);
  await client.connect();
  try {
    const head = await readLogHeadPosition(client);
    const from = options.fromPosition ?? 1;
    // Nothing exists past the head; clamping keeps the range finite for the readers.
    const to = Math.min(options.toPosition ?? head, head);
    const start = from > 1 ? await firstStoredLink(client, from, to) : undefined;
    // A malformed stored prevHash is the first event's fault: start from genesis-shaped input so
    // the chain verifier names it (BROKEN_LINK) instead of throwing.
    const link = start === undefined ? GENESIS_HASH : isChainHash(start) ? start : GENESIS_HASH;
    const checkpointOptions = {
      from,
      publicKeys: options.publicKeys,
      skip: options.checkpoints === 'skip',
      ...(start === undefined ? {} : { before: { position: from - 1, hash: link } }),
      ...(options.expectHead === undefined ? {} : { watch: options.expectHead.position }),
    };
    if (to < from) {
      const empty: VerifyChainResult = {
        ok: true,
        checkedFrom: from,
        checkedTo: from - 1,
        headHash: link,
        count: 0,
      };
      const none = await verifyCheckpointRange(client, { ...checkpointOptions, to: from - 1 });
      return combine(from, empty, none, options.expectHead);
    }
    // The checkpoints are read on this thread while the workers hash the chain: in the usual
    // case (the chain verifies to the end) every hash it used is proven and its result stands.
    // The chain runs on other connections, so this one is free for it.
    const ahead = verifyCheckpointRange(client, { ...checkpointOptions, to });
    // Settled either way before this function returns, so no rejection goes unobserved.
    ahead.catch(() => undefined);
    let chain: VerifyChainResult;
    try {
      chain = await verifyLogParallel({
        connectionString: options.databaseUrl,
        fromPosition: from,
        expectedPrevHash: link,
        toPosition: to,
        ...(options.workers === undefined ? {} : { workers: options.workers }),
        ...(options.minEventsPerWorker === undefined
          ? {}
          : { minEventsPerWorker: options.minEventsPerWorker }),
      });
    } finally {
      await ahead.catch(() => undefined);
    }
    // The chain broke at some position: only the events before it count for the checkpoints
    // (their hashes are the proven ones), so those are checked again, alone.
    const checkpoints =
      chain.ok && chain.checkedTo === to
        ? await ahead
        : await verifyCheckpointRange(client, { ...checkpointOptions, to: chain.checkedTo });
    return combine(from, chain, checkpoints, options.expectHead);
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** The stored prevHash of the first event in from..to; undefined when the range holds none. */
async function firstStoredLink(
  client: pg.Client,
  from: number,
  to: number,
): Promise<string | undefined> {
  const { rows } = await client.query<[string]>({
    text: `SELECT encode(prev_hash, 'hex') FROM ledger.events
      WHERE position >= $1 AND position <= $2 ORDER BY position LIMIT 1`,
    values: [from, to],
    rowMode: 'array',
  });
  return rows[0]?.[0];
}

interface CheckpointPass {
  readonly result: VerifyCheckpointsResult;
  /** The hash at the watched position (expectHead), when it was among the events read. */
  readonly watchedHash: string | undefined;
}

const checkpointsSql = `SELECT position::text AS pos, data::text FROM ledger.events
  WHERE type = '${checkpointEventType}' AND position >= $1 AND position <= $2 ORDER BY position`;

const hashesSql = `SELECT position::text AS pos, encode(hash, 'hex') FROM ledger.events
  WHERE position = ANY($1::bigint[]) ORDER BY position`;

/**
 * Checkpoints over from..to, events the chain has accepted (so their hashes are proven), with the
 * CheckpointVerifier's exact outcome but without reading every row. The verifier, fed the whole
 * range, decides each checkpoint at c from: the first position it holds (from, or from − 1 with
 * `before`), the last one (c − 1), and the hash at the signed head h (kept if h > c − 1 − window;
 * any later position sharing h's slot lies at or past h + window, which makes h out of reach
 * anyway). So it is fed, in position order, only: from, every checkpoint, the position before
 * each, every signed head in the range, and the watched position. Same state at every check,
 * same result.
 */
async function verifyCheckpointRange(
  client: pg.Client,
  range: {
    readonly from: number;
    readonly to: number;
    readonly publicKeys: readonly KeyObject[];
    readonly before?: { readonly position: number; readonly hash: string };
    readonly watch?: number;
    /** Chain-only mode: no checkpoint is read, only the watched position's hash. */
    readonly skip: boolean;
  },
): Promise<CheckpointPass> {
  const verifier = new CheckpointVerifier({
    publicKeys: range.publicKeys,
    ...(range.before === undefined ? {} : { before: range.before }),
  });
  if (range.to < range.from) return { result: verifier.result(), watchedHash: undefined };
  const { rows: checkpointRows } = range.skip
    ? { rows: [] }
    : await client.query<[string, string]>({
        text: checkpointsSql,
        values: [range.from, range.to],
        rowMode: 'array',
      });
  const checkpoints = new Map<number, unknown>();
  const inRange = (p: number): boolean =>
    Number.isSafeInteger(p) && p >= range.from && p <= range.to;
  const needed = new Set<number>([range.from]);
  if (range.watch !== undefined && inRange(range.watch)) needed.add(range.watch);
  for (const [pos, dataText] of checkpointRows) {
    const position = Number(pos);
    const data = JSON.parse(dataText) as unknown;
    checkpoints.set(position, data);
    needed.add(position);
    if (inRange(position - 1)) needed.add(position - 1);
    const head = signedHead(data);
    if (head !== undefined && inRange(head)) needed.add(head);
  }
  const positions = [...needed].sort((a, b) => a - b);
  const { rows: hashRows } = await client.query<[string, string]>({
    text: hashesSql,
    values: [positions],
    rowMode: 'array',
  });
  let watchedHash: string | undefined;
  for (const [pos, hash] of hashRows) {
    const position = Number(pos);
    if (position === range.watch) watchedHash = hash;
    const data = checkpoints.get(position);
    const event =
      data === undefined
        ? { position, hash, type: '', data: undefined }
        : { position, hash, type: checkpointEventType, data };
    if (!verifier.push(event)) break;
  }
  return { result: verifier.result(), watchedHash };
}

/** The head position a checkpoint's data names, if it names one at all. */
function signedHead(data: unknown): number | undefined {
  if (typeof data !== 'object' || data === null || !('headPosition' in data)) return undefined;
  const head = data.headPosition;
  return typeof head === 'number' ? head : undefined;
}

/** The same precedence as auditEvents: checkpoint failures, then the chain's, then the head. */
function combine(
  from: number,
  chain: VerifyChainResult,
  checkpoints: CheckpointPass,
  expectHead: VerifyLedgerOptions['expectHead'],
): VerifyLedgerResult {
  const k = checkpoints.result;
  const range: VerifiedLedgerRange = {
    checkedFrom: from,
    checkedTo: chain.checkedTo,
    headHash: chain.headHash,
    count: chain.count,
    checkpoints: k.checkpoints,
    fingerprints: k.fingerprints,
    unanchored: k.unanchored,
    ...(k.lastCheckpoint === undefined ? {} : { lastCheckpoint: k.lastCheckpoint }),
  };
  if (!k.ok) {
    const { firstBadPosition, reason, detail } = k;
    return { ...range, ok: false, firstBadPosition, reason, detail };
  }
  if (!chain.ok) {
    const { firstBadPosition, reason, detail } = chain;
    return { ...range, ok: false, firstBadPosition, reason, detail };
  }
  const seen = checkpoints.watchedHash;
  if (expectHead !== undefined && seen !== expectHead.hash) {
    const missing = seen === undefined;
    return {
      ...range,
      ok: false,
      // A log that stops short is bad from the first missing position on.
      firstBadPosition: missing ? Math.max(range.checkedTo + 1, from) : expectHead.position,
      reason: 'HEAD_MISMATCH',
      detail: missing
        ? `the log ends at ${range.checkedTo}, before the expected head ${expectHead.position}: its tail was removed, or the range does not reach it`
        : `position ${expectHead.position} has hash ${seen}, the expected head is ${expectHead.hash}`,
    };
  }
  return { ...range, ok: true };
}
