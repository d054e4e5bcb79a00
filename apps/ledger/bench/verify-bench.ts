// Verification benchmark: fills a ledger log to at least --events events (batched appends through
// the real store) and times each way of verifying it from the database.
//
// Run: npm run bench:verify -w @hpe/ledger -- --database-url postgresql://postgres@host/db
//        [--events 1000000] [--repeat 2] [--only sequential,parallel-1,parallel]
import { parseArgs } from 'node:util';
import { verifyChain } from '../src/chain/verify-chain.js';
import { PostgresEventStore } from '../src/storage/postgres-event-store.js';
import { installLedgerSchema } from '../src/storage/schema.js';
import { newTestEvent, uniqueStreamId } from '../src/storage/test-events.test-support.js';
import { verifyLogParallel } from '../src/verify/verify-log-parallel.js';

const { values } = parseArgs({
  options: {
    'database-url': { type: 'string' },
    events: { type: 'string', default: '1000000' },
    repeat: { type: 'string', default: '1' },
    only: { type: 'string', default: 'sequential,parallel-1,parallel' },
  },
});
const adminUrl = values['database-url'];
if (adminUrl === undefined) throw new Error('give --database-url (an administrator URL)');
const wanted = Number(values.events);
const ledgerRole = 'ledger_writer';

const log = (line: string): void => {
  process.stderr.write(`[${new Date().toISOString().slice(11, 19)}] ${line}\n`);
};

async function fill(url: string): Promise<number> {
  const store = new PostgresEventStore({ connectionString: url });
  try {
    let have = (await store.head()).position;
    log(`log holds ${have} events; filling to ${wanted}`);
    // 32 writers × 100 events an append: the quickest way through the real writer.
    const writer = async (): Promise<void> => {
      const streamId = uniqueStreamId('turnout');
      let revision = -1;
      while (have < wanted) {
        const events = Array.from({ length: 100 }, (_, i) =>
          newTestEvent(streamId, {
            areaId: `PA-${revision + i + 2}`,
            count: revision + i + 2,
            closed: false,
          }),
        );
        const result = await store.appendToStream({
          streamId,
          expectedRevision: revision < 0 ? 'no_stream' : revision,
          events,
        });
        if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`);
        revision += 100;
        have += 100;
        if (have % 100_000 < 100) log(`  ${have}`);
      }
    };
    await Promise.all(Array.from({ length: 32 }, writer));
    return (await store.head()).position;
  } finally {
    await store.close();
  }
}

async function timed(
  name: string,
  run: () => Promise<{ ok: boolean; count: number }>,
): Promise<void> {
  const started = performance.now();
  const result = await run();
  const seconds = (performance.now() - started) / 1000;
  const rate = Math.round(result.count / seconds).toLocaleString('en-US');
  log(
    `${name}: ${result.count} events in ${seconds.toFixed(2)} s = ${rate} events/s, ok ${result.ok}`,
  );
  console.log(`| ${name} | ${result.count} | ${seconds.toFixed(2)} | ${rate} | ${result.ok} |`);
}

await installLedgerSchema(adminUrl, { ledgerRole });
const url = new URL(adminUrl);
url.username = ledgerRole;
const ledgerUrl = url.toString();
const head = await fill(ledgerUrl);
log(`head ${head}`);
const only = new Set(values.only.split(','));
for (let r = 0; r < Number(values.repeat); r += 1) {
  if (only.has('sequential')) {
    const store = new PostgresEventStore({ connectionString: ledgerUrl });
    await timed('sequential, verifyChain over store.pages()', () =>
      verifyChain(store.pages({ pageSize: 5_000 })),
    ).finally(() => store.close());
  }
  if (only.has('parallel-1')) {
    await timed('verifyLogParallel, calling thread only', () =>
      verifyLogParallel({ connectionString: ledgerUrl, workers: 1 }),
    );
  }
  if (only.has('parallel')) {
    await timed('verifyLogParallel, one worker per core', () =>
      verifyLogParallel({ connectionString: ledgerUrl }),
    );
  }
}
