// Worker thread body of verifyLogParallel: reads one position range over its own connection and
// verifies it as a chain that starts at whatever prevHash its first event carries.
import { parentPort, workerData } from 'node:worker_threads';
import pg from 'pg';
import { ChainVerifier } from '../chain/verify-chain.js';
import { readChainRange } from './read-chain-range.js';
import type { RangeTask, RangeOutcome } from './range-task.js';

// The range's link to the one before it is the main thread's to check (it alone knows the hash
// the previous range ends with), so the range is verified from its own first prevHash.
async function verifyRange(task: RangeTask): Promise<RangeOutcome> {
  const client = new pg.Client({ connectionString: task.connectionString });
  await client.connect();
  try {
    let verifier: ChainVerifier | undefined;
    let first: RangeOutcome['first'];
    for await (const page of readChainRange(
      client,
      task.fromPosition,
      task.toPosition,
      task.pageSize,
    )) {
      if (verifier === undefined) {
        const head = page[0];
        // readChainRange never yields an empty page.
        if (head === undefined) throw new Error('readChainRange yielded an empty page');
        first = { position: head.position, prevHash: head.prevHash };
        verifier = new ChainVerifier({
          fromPosition: task.fromPosition,
          expectedPrevHash: head.prevHash,
        });
      }
      if (!verifier.pushAll(page)) break;
    }
    return { first, result: verifier?.result() };
  } finally {
    await client.end();
  }
}

const port = parentPort;
if (port === null) throw new Error('verify-range-worker must run as a worker thread');
port.postMessage(await verifyRange(workerData as RangeTask));
