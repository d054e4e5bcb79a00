// The messages between verifyLogParallel and its worker threads: one position range out, one
// summary back (never the events, which would cost more to copy than to verify).
import type { VerifyChainResult } from '../chain/verify-chain.js';

export interface RangeTask {
  readonly connectionString: string;
  readonly fromPosition: number;
  readonly toPosition: number;
  readonly pageSize: number;
}

export interface RangeOutcome {
  /** The range's first row as stored; undefined when the range holds no rows at all. */
  readonly first: { readonly position: number; readonly prevHash: string } | undefined;
  /** The range verified from its first row's prevHash; undefined when it holds no rows. */
  readonly result: VerifyChainResult | undefined;
}
