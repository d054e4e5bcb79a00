// Verifies the ledger's log straight from PostgreSQL with worker threads, each reading and hashing
// one position range; the ranges are joined at their boundaries into the sequential verifier's result.
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import pg from 'pg';
import { GENESIS_HASH, isChainHash } from '../chain/chain-hash.js';
import {
  ChainVerifier,
  type VerifyChainOptions,
  type VerifyChainResult,
} from '../chain/verify-chain.js';
import type { RangeOutcome, RangeTask } from './range-task.js';
import { defaultRangePageSize, readChainRange, readLogHeadPosition } from './read-chain-range.js';

export interface VerifyLogParallelOptions extends VerifyChainOptions {
  /** A role that may SELECT ledger.events (the ledger's own role is enough). */
  readonly connectionString: string;
  /** Last position to check; by default the head when verification starts (later appends are not checked). */
  readonly toPosition?: number;
  /** Worker threads (each with its own connection); by default one per available core. */
  readonly workers?: number;
  /** Below this many events per worker the range is verified on the calling thread. */
  readonly minEventsPerWorker?: number;
  readonly pageSize?: number;
}

/**
 * The same result as `verifyChain` over the store's pages from `fromPosition` (same ok, checkedTo,
 * headHash, count, and on failure the same firstBadPosition, reason and detail).
 *
 * Why ranges verify independently: every event stores its own prevHash, so a range can be hashed
 * from its first event's stored prevHash without the ranges before it. What that skips is the one
 * link per boundary, which is checked here: range k must start with the hash range k−1 ends with.
 * When anything is off in a range (a failure inside, a broken boundary, missing rows) that range
 * and what follows are re-verified on this thread from the exact state the sequential verifier
 * would have there, so the failure is named exactly as it would name it.
 */
export async function verifyLogParallel(
  options: VerifyLogParallelOptions,
): Promise<VerifyChainResult> {
  const checkedFrom = options.fromPosition ?? 1;
  const expectedPrevHash = options.expectedPrevHash ?? GENESIS_HASH;
  if (!isChainHash(expectedPrevHash)) {
    throw new TypeError(`expectedPrevHash is not 64 lower-case hex: ${expectedPrevHash}`);
  }
  const pageSize = options.pageSize ?? defaultRangePageSize;
  const client = new pg.Client({ connectionString: options.connectionString });
  await client.connect();
  try {
    const toPosition = options.toPosition ?? (await readLogHeadPosition(client));
    const total = Math.max(0, toPosition - checkedFrom + 1);
    const workers = Math.max(
      1,
      Math.min(
        options.workers ?? availableParallelism(),
        Math.floor(total / (options.minEventsPerWorker ?? 20_000)),
      ),
    );
    const ranges = splitRange(checkedFrom, toPosition, workers);
    const outcomes =
      workers === 1
        ? []
        : await runRangeWorkers(
            ranges.map((range) => ({
              connectionString: options.connectionString,
              fromPosition: range.from,
              toPosition: range.to,
              pageSize,
            })),
          );

    let prevHash = expectedPrevHash;
    let count = 0;
    for (const [k, range] of ranges.entries()) {
      const outcome = outcomes[k];
      const result = outcome?.result;
      const clean =
        outcome?.first?.prevHash === prevHash &&
        result?.ok === true &&
        result.checkedTo === range.to;
      if (!clean) {
        // From here on the sequential verifier's state is known exactly: position range.from,
        // previous hash prevHash. Re-verify up to the end (a gap may reach past this range).
        const verifier = new ChainVerifier({
          fromPosition: range.from,
          expectedPrevHash: prevHash,
        });
        for await (const page of readChainRange(client, range.from, toPosition, pageSize)) {
          if (!verifier.pushAll(page)) break;
        }
        return withHeadCheck(verifier.result(), checkedFrom, count, options.expectedHead);
      }
      prevHash = result.headHash;
      count += result.count;
    }
    return withHeadCheck(
      {
        ok: true,
        checkedFrom: toPosition + 1,
        checkedTo: toPosition,
        headHash: prevHash,
        count: 0,
      },
      checkedFrom,
      count,
      options.expectedHead,
    );
  } finally {
    await client.end();
  }
}

interface PositionRange {
  readonly from: number;
  readonly to: number;
}

/** `parts` contiguous ranges covering from..to (one empty range when there is nothing to check). */
function splitRange(from: number, to: number, parts: number): PositionRange[] {
  const total = to - from + 1;
  if (total <= 0) return [{ from, to: from - 1 }];
  const size = Math.ceil(total / parts);
  const ranges: PositionRange[] = [];
  for (let start = from; start <= to; start += size) {
    ranges.push({ from: start, to: Math.min(to, start + size - 1) });
  }
  return ranges;
}

/**
 * Turns the result of the last stretch (which starts at some range boundary) into the result over
 * the whole range, then applies ChainVerifier's head rule with the whole range's start.
 */
function withHeadCheck(
  tail: VerifyChainResult,
  checkedFrom: number,
  countBefore: number,
  expectedHead: VerifyChainOptions['expectedHead'],
): VerifyChainResult {
  const range = {
    checkedFrom,
    checkedTo: tail.checkedTo,
    headHash: tail.headHash,
    count: countBefore + tail.count,
  };
  if (!tail.ok) {
    return {
      ...range,
      ok: false,
      firstBadPosition: tail.firstBadPosition,
      reason: tail.reason,
      detail: tail.detail,
    };
  }
  if (
    expectedHead !== undefined &&
    (expectedHead.position !== range.checkedTo || expectedHead.hash !== range.headHash)
  ) {
    // The same rule and wording as ChainVerifier.result(), which tests compare against.
    const sameLength = expectedHead.position === range.checkedTo;
    return {
      ...range,
      ok: false,
      firstBadPosition: sameLength
        ? range.checkedFrom
        : Math.min(range.checkedTo, expectedHead.position) + 1,
      reason: 'HEAD_MISMATCH',
      detail: `chain ends at ${range.checkedTo} (${range.headHash}), expected ${expectedHead.position} (${expectedHead.hash})${
        sameLength ? ': the range was re-hashed after a change' : ''
      }`,
    };
  }
  return { ...range, ok: true };
}

/** One worker per task; if one fails (a bug, a lost connection) the others are stopped too. */
async function runRangeWorkers(tasks: readonly RangeTask[]): Promise<RangeOutcome[]> {
  const workers: Worker[] = [];
  try {
    return await Promise.all(
      tasks.map(
        (task) =>
          new Promise<RangeOutcome>((resolve, reject) => {
            const worker = startWorker(task);
            workers.push(worker);
            let settled = false;
            worker.once('message', (outcome: RangeOutcome) => {
              settled = true;
              resolve(outcome);
            });
            worker.once('error', (error) => {
              settled = true;
              reject(error);
            });
            worker.once('exit', (code) => {
              if (!settled)
                reject(new Error(`verify worker exited with code ${code} before answering`));
            });
          }),
      ),
    );
  } catch (error) {
    await Promise.all(workers.map((worker) => worker.terminate()));
    throw error;
  }
}

/**
 * Built code runs the compiled worker file. From source (tsx, Vitest) the worker has no
 * TypeScript loader of its own, and `--import` in execArgv comes too late for the entry module,
 * so a small bootstrap registers tsx's loader before importing the worker module.
 */
function startWorker(task: RangeTask): Worker {
  const here = import.meta.url;
  if (!here.endsWith('.ts')) {
    return new Worker(new URL('./verify-range-worker.js', here), { workerData: task });
  }
  const target = new URL('./verify-range-worker.ts', here).href;
  // The ESM build of tsx's API: require.resolve would pick its CommonJS wrapper, which cannot
  // load from a worker's eval'd bootstrap.
  const tsxRoot = dirname(createRequire(here).resolve('tsx/package.json'));
  const tsxApi = pathToFileURL(join(tsxRoot, 'dist', 'esm', 'api', 'index.mjs')).href;
  const bootstrap = `import(${JSON.stringify(tsxApi)}).then((api) => { api.register(); return import(${JSON.stringify(target)}); });`;
  return new Worker(bootstrap, { eval: true, workerData: task });
}
