// Rough append and verify throughput of the PostgreSQL store, for a developer's machine; the
// official benchmark lives elsewhere. Run: npm run bench -w @hpe/ledger -- --url <admin URL>
import { parseArgs } from 'node:util';
import pg from 'pg';
import { verifyChain } from '../src/chain/verify-chain.js';
import { PostgresEventStore } from '../src/storage/postgres-event-store.js';
import { installLedgerSchema } from '../src/storage/schema.js';
import { newTestEvent, uniqueStreamId } from '../src/storage/test-events.test-support.js';

const { values } = parseArgs({
  options: {
    url: { type: 'string' },
    role: { type: 'string', default: 'ledger_writer' },
    seconds: { type: 'string', default: '10' },
    clients: { type: 'string', default: '256' },
    'events-per-append': { type: 'string', default: '1' },
    /** Every append opens a new stream (like voter check-ins), so no revision is cached. */
    'new-streams': { type: 'boolean', default: false },
  },
});
if (values.url === undefined)
  throw new Error('--url <PostgreSQL admin URL of an empty database> is required');
const adminUrl = values.url;
const seconds = Number(values.seconds);
const clients = Number(values.clients);
const perAppend = Number(values['events-per-append']);
const newStreams = values['new-streams'];

await installLedgerSchema(adminUrl, { ledgerRole: values.role });
const ledgerUrl = new URL(adminUrl);
ledgerUrl.username = values.role;
const store = new PostgresEventStore({ connectionString: ledgerUrl.toString() });

const settings = new pg.Client({ connectionString: adminUrl });
await settings.connect();
const { rows } = await settings.query<{ fsync: string }>(
  `SELECT current_setting('fsync') AS fsync`,
);
await settings.end();

const latencies: number[] = [];
let events = 0;
let failures = 0;
const deadline = performance.now() + seconds * 1_000;
const started = performance.now();
await Promise.all(
  Array.from({ length: clients }, async () => {
    let streamId = uniqueStreamId('turnout');
    let expected: number | 'no_stream' = 'no_stream';
    while (performance.now() < deadline) {
      if (newStreams) {
        streamId = uniqueStreamId('voter');
        expected = 'no_stream';
      }
      const batch = Array.from({ length: perAppend }, (_, i) =>
        newTestEvent(streamId, {
          pollingAreaId: '10507-001',
          round: 3,
          votersVoted: 640 + i,
          note: 'bench',
        }),
      );
      const t0 = performance.now();
      const result = await store.appendToStream({
        streamId,
        expectedRevision: expected,
        events: batch,
      });
      latencies.push(performance.now() - t0);
      if (result.ok) {
        events += perAppend;
        expected = result.value.nextRevision;
      } else {
        failures += 1;
      }
    }
  }),
);
const elapsed = (performance.now() - started) / 1_000;
latencies.sort((a, b) => a - b);
const pct = (p: number): string =>
  (latencies[Math.floor((latencies.length - 1) * p)] ?? 0).toFixed(1);

const head = await store.head();
const v0 = performance.now();
const verified = await verifyChain(store.pages({ pageSize: 5_000 }), { expectedHead: head });
const verifySeconds = (performance.now() - v0) / 1_000;
const all: Awaited<ReturnType<typeof store.readAll>> = [];
for await (const page of store.pages({ pageSize: 5_000 })) all.push(...page);
const m0 = performance.now();
const inMemory = await verifyChain(all, { expectedHead: head });
const memorySeconds = (performance.now() - m0) / 1_000;
await store.close();

console.log(
  JSON.stringify(
    {
      fsync: rows[0]?.fsync,
      clients,
      eventsPerAppend: perAppend,
      newStreams,
      seconds: Number(elapsed.toFixed(2)),
      events,
      failures,
      appendEventsPerSecond: Math.round(events / elapsed),
      latencyMs: { p50: pct(0.5), p99: pct(0.99), max: pct(1) },
      writer: store.stats,
      verifyFromDatabase: {
        ok: verified.ok,
        eventsPerSecond: Math.round(head.position / verifySeconds),
      },
      verifyInMemory: {
        ok: inMemory.ok,
        eventsPerSecond: Math.round(head.position / memorySeconds),
      },
    },
    null,
    2,
  ),
);
