// The auditor's check of the stored log behind GET /api/v1/ledger/verify: the ledger's own verifier
// (`verifyLedger`: hash chain on worker threads, every signed checkpoint) run on the ledger's
// database, one verification at a time so a burst of requests cannot take every core.
import type { KeyObject } from 'node:crypto';
import { ConfigError } from '@hpe/config';
import { loadPublicKey, verifyLedger } from '@hpe/ledger';
import type { VerifyLedgerResult } from '@hpe/ledger';
import type { GatewaySettings } from '../settings.js';

export interface LedgerVerification {
  readonly ok: boolean;
  readonly checkedFrom: number;
  /** Last position verified; checkedFrom − 1 when none was (an empty range, or the log's end). */
  readonly checkedTo: number;
  /** The hash at checkedTo. */
  readonly headHash: string;
  /** Events verified. */
  readonly count: number;
  readonly checkpoints: {
    /** `verified` with the configured public key; `not_checked` without one (chain only). */
    readonly signatures: 'verified' | 'not_checked';
    /** Checkpoints whose signature and head verified. */
    readonly verified: number;
    /** Fingerprints of the keys that signed them. */
    readonly fingerprints: readonly string[];
    /** The newest verified checkpoint's signed head: what the log is proven up to. */
    readonly lastSignedHead?: { readonly position: number; readonly hash: string };
  };
  readonly firstBadPosition?: number;
  readonly reason?: string;
  readonly detail?: string;
}

/** The public key named by LEDGER_PUBLIC_KEY_FILE, read once at start; none when unset. */
export function loadLedgerPublicKeys(settings: GatewaySettings): KeyObject[] {
  const path = settings.LEDGER_PUBLIC_KEY_FILE;
  if (path === undefined) return [];
  try {
    return [loadPublicKey(path)];
  } catch (error) {
    throw new ConfigError('gateway', [
      {
        variable: 'LEDGER_PUBLIC_KEY_FILE',
        message: `cannot read an Ed25519 public key (SPKI PEM) from ${path}: ${
          error instanceof Error ? error.message : String(error)
        }`,
      },
    ]);
  }
}

export interface VerifyRange {
  readonly fromPosition?: number | undefined;
  readonly toPosition?: number | undefined;
}

export class LedgerVerifier {
  private running: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly databaseUrl: string,
    private readonly publicKeys: readonly KeyObject[],
  ) {}

  /** Throws when the ledger's database cannot be read (the caller answers 503). */
  verify(range: VerifyRange): Promise<LedgerVerification> {
    const run = this.running.then(
      () => this.run(range),
      () => this.run(range),
    );
    this.running = run.catch(() => undefined);
    return run;
  }

  private async run(range: VerifyRange): Promise<LedgerVerification> {
    const withKey = this.publicKeys.length > 0;
    const result: VerifyLedgerResult = await verifyLedger({
      databaseUrl: this.databaseUrl,
      publicKeys: this.publicKeys,
      checkpoints: withKey ? 'verify' : 'skip',
      ...(range.fromPosition === undefined ? {} : { fromPosition: range.fromPosition }),
      ...(range.toPosition === undefined ? {} : { toPosition: range.toPosition }),
    });
    const last = result.lastCheckpoint;
    return {
      ok: result.ok,
      checkedFrom: result.checkedFrom,
      checkedTo: result.checkedTo,
      headHash: result.headHash,
      count: result.count,
      checkpoints: {
        signatures: withKey ? 'verified' : 'not_checked',
        verified: result.checkpoints,
        fingerprints: result.fingerprints,
        ...(last === undefined
          ? {}
          : { lastSignedHead: { position: last.headPosition, hash: last.headHash } }),
      },
      ...(result.ok
        ? {}
        : {
            firstBadPosition: result.firstBadPosition,
            reason: result.reason,
            detail: result.detail,
          }),
    };
  }
}
