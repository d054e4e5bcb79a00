// The ledger's official benchmark (issue #3): append throughput and latency at several
// concurrencies, a fixed-rate run, Emmett on the same PostgreSQL, and chain verification rate.
//
// Run: npm run bench -w @hpe/ledger [-- --seconds 8 --database-url postgresql://postgres@host/db]
// Without --database-url it starts its own durable PostgreSQL 15 (fsync and synchronous_commit on)
// in a temporary folder and removes it afterwards.
import { getPostgreSQLEventStore } from '@event-driven-io/emmett-postgresql';
import { STREAM_DOES_NOT_EXIST } from '@event-driven-io/emmett';
import { freePort, startPostgres, type RunningPostgres } from '@hpe/embedded';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import type { RecordedEvent } from '@hpe/domain';
import { verifyChain } from '../src/chain/verify-chain.js';
import { PostgresEventStore } from '../src/storage/postgres-event-store.js';
import { installLedgerSchema } from '../src/storage/schema.js';
import { newTestEvent, uniqueStreamId } from '../src/storage/test-events.test-support.js';
import { verifyLogParallel } from '../src/verify/verify-log-parallel.js';

const { values } = parseArgs({
  options: {
    'database-url': { type: 'string' },
    /** Seconds per closed-loop step (each concurrency, each store). */
    seconds: { type: 'string', default: '8' },
    /** Seconds of the fixed-rate step. */
    'rate-seconds': { type: 'string', default: '10' },
    rate: { type: 'string', default: '5000' },
    'emmett-pool': { type: 'string', default: '32' },
    /** Largest number of events loaded into memory for the in-memory verification figure. */
    'memory-events': { type: 'string', default: '300000' },
    'skip-emmett': { type: 'boolean', default: false },
    /** Closed-loop concurrencies to run, comma-separated (e.g. `--concurrency 1,16`). */
    concurrency: { type: 'string', default: '1,16,64,256' },
    /** Skip the 10-events-per-append step, the fixed-rate step, the verification figures. */
    'skip-batched': { type: 'boolean', default: false },
    'skip-rate': { type: 'boolean', default: false },
    'skip-verify': { type: 'boolean', default: false },
  },
});
const stepSeconds = Number(values.seconds);
const rateSeconds = Number(values['rate-seconds']);
const targetRate = Number(values.rate);
const emmettPool = Number(values['emmett-pool']);
const memoryEvents = Number(values['memory-events']);
const concurrencies = values.concurrency.split(',').map((c) => {
  const n = Number(c);
  if (!Number.isSafeInteger(n) || n < 1)
    throw new Error(`--concurrency: not a positive integer: ${c}`);
  return n;
});
const ledgerRole = 'ledger_writer';

const log = (line: string): void => {
  process.stderr.write(`[${new Date().toISOString().slice(11, 19)}] ${line}\n`);
};

// ---------------------------------------------------------------------------------------------
// PostgreSQL: our own durable cluster unless one is given.

let cluster: RunningPostgres | undefined;
let clusterDir: string | undefined;
// Set by openServer() before anything else runs.
let adminUrl = '';

/** Our own durable cluster in a temporary folder, unless --database-url names a server. */
async function openServer(): Promise<void> {
  const given = values['database-url'];
  if (given !== undefined) {
    adminUrl = given;
    return;
  }
  clusterDir = mkdtempSync(join(tmpdir(), 'hpe-ledger-bench-'));
  // mkdtemp makes the folder private; PostgreSQL's system user must be able to enter it.
  chmodSync(clusterDir, 0o755);
  const port = await freePort();
  log(`starting a durable PostgreSQL in ${clusterDir} on port ${port}`);
  cluster = await startPostgres({
    dataDir: join(clusterDir, 'pg'),
    logFile: join(clusterDir, 'postgres.log'),
    port,
    database: 'postgres',
    durable: true,
  });
  adminUrl = cluster.adminUrl;
}

const stamp = Date.now().toString(36);
const ledgerDb = `ledger_bench_${stamp}`;
const emmettDb = `emmett_bench_${stamp}`;

interface StepFigures {
  readonly label: string;
  readonly concurrency: number;
  readonly eventsPerAppend: number;
  readonly seconds: number;
  readonly appends: number;
  readonly events: number;
  readonly failures: number;
  readonly latency: Percentiles;
}

interface Percentiles {
  readonly p50: number;
  readonly p95: number;
  readonly p99: number;
  readonly max: number;
}

interface RateFigures {
  readonly target: number;
  readonly seconds: number;
  readonly sent: number;
  readonly completed: number;
  readonly failures: number;
  /** Sends not issued because every stream still had an append in flight. */
  readonly dropped: number;
  /** Sends issued more than 5 ms after their scheduled time (event-loop lag). */
  readonly late: number;
  readonly achievedRate: number;
  /** Measured from each send's scheduled time, so lag in sending counts against it. */
  readonly latency: Percentiles;
}

/** What a store must offer the workloads: one append with an exact expected revision. */
interface BenchStore {
  readonly name: string;
  /** Appends `count` events to a stream; resolves to whether it succeeded. */
  append(stream: BenchStream, count: number): Promise<boolean>;
  close(): Promise<void>;
}

interface BenchStream {
  readonly id: string;
  /** Events the stream holds: the next append expects exactly this many. */
  length: number;
}

const payload = (i: number): Record<string, unknown> => ({
  pollingAreaId: '10507-001',
  round: 3,
  votersVoted: 640 + i,
  note: 'bench',
});

function percentiles(samples: number[]): Percentiles {
  samples.sort((a, b) => a - b);
  const at = (p: number): number =>
    Number((samples[Math.floor((samples.length - 1) * p)] ?? 0).toFixed(2));
  return { p50: at(0.5), p95: at(0.95), p99: at(0.99), max: at(1) };
}

/** Closed loop: `concurrency` writers, each on its own stream, each waiting for its last append. */
async function closedLoop(
  store: BenchStore,
  concurrency: number,
  eventsPerAppend: number,
  seconds: number,
): Promise<StepFigures> {
  const latencies: number[] = [];
  let appends = 0;
  let failures = 0;
  const started = performance.now();
  const deadline = started + seconds * 1_000;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      const stream: BenchStream = { id: uniqueStreamId('turnout'), length: 0 };
      while (performance.now() < deadline) {
        const t0 = performance.now();
        const done = await store.append(stream, eventsPerAppend);
        latencies.push(performance.now() - t0);
        if (done) appends += 1;
        else failures += 1;
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1_000;
  return {
    label: `${store.name} c=${concurrency} x${eventsPerAppend}`,
    concurrency,
    eventsPerAppend,
    seconds: elapsed,
    appends,
    events: appends * eventsPerAppend,
    failures,
    latency: percentiles(latencies),
  };
}

/**
 * Open loop: sends are scheduled at a fixed rate on a 1 ms timer, independent of completions, so
 * a slow store cannot slow the arrivals down (no coordinated omission). Each send goes to a free
 * stream from a pool (exact expected revisions allow one append in flight per stream).
 */
async function fixedRate(store: BenchStore, rate: number, seconds: number): Promise<RateFigures> {
  const streams: BenchStream[] = Array.from({ length: 2_048 }, () => ({
    id: uniqueStreamId('turnout'),
    length: 0,
  }));
  const free = [...streams];
  const latencies: number[] = [];
  const inFlight = new Set<Promise<void>>();
  let sent = 0;
  let completed = 0;
  let failures = 0;
  let dropped = 0;
  let late = 0;
  let scheduled = 0;
  const total = Math.round(rate * seconds);
  const started = performance.now();
  const interval = 1_000 / rate;
  await new Promise<void>((resolve) => {
    const timer = setInterval(() => {
      const now = performance.now();
      while (scheduled < total && started + scheduled * interval <= now) {
        const due = started + scheduled * interval;
        scheduled += 1;
        if (now - due > 5) late += 1;
        const stream = free.pop();
        if (stream === undefined) {
          dropped += 1;
          continue;
        }
        sent += 1;
        const send = store.append(stream, 1).then((done) => {
          latencies.push(performance.now() - due);
          if (done) completed += 1;
          else failures += 1;
          free.push(stream);
          inFlight.delete(send);
        });
        inFlight.add(send);
      }
      if (scheduled >= total) {
        clearInterval(timer);
        resolve();
      }
    }, 1);
  });
  await Promise.all(inFlight);
  const elapsed = (performance.now() - started) / 1_000;
  return {
    target: rate,
    seconds: elapsed,
    sent,
    completed,
    failures,
    dropped,
    late,
    achievedRate: completed / elapsed,
    latency: percentiles(latencies),
  };
}

// ---------------------------------------------------------------------------------------------
// The two stores behind the same interface.

async function openLedger(databaseUrl: string): Promise<{ store: BenchStore; url: string }> {
  await installLedgerSchema(databaseUrl, { ledgerRole });
  const url = new URL(databaseUrl);
  url.username = ledgerRole;
  const ledger = new PostgresEventStore({ connectionString: url.toString() });
  const store: BenchStore = {
    name: 'ledger',
    async append(stream, count) {
      const events = Array.from({ length: count }, (_, i) =>
        newTestEvent(stream.id, payload(stream.length + i), { type: 'TurnoutReported' }),
      );
      const result = await ledger.appendToStream({
        streamId: stream.id,
        expectedRevision: stream.length === 0 ? 'no_stream' : stream.length - 1,
        events,
      });
      if (!result.ok) {
        showFailure('ledger', `${result.error.code}: ${result.error.message}`);
        return false;
      }
      stream.length += count;
      return true;
    },
    close: () => ledger.close(),
  };
  return { store, url: url.toString() };
}

async function openEmmett(databaseUrl: string): Promise<BenchStore> {
  const pool = new pg.Pool({ connectionString: databaseUrl, max: emmettPool });
  const emmett = getPostgreSQLEventStore(databaseUrl, {
    connectionOptions: { pool, pooled: true },
  });
  await emmett.schema.migrate();
  return {
    name: 'emmett',
    async append(stream, count) {
      const events = Array.from({ length: count }, (_, i) => ({
        type: 'TurnoutReported',
        data: payload(stream.length + i),
        metadata: {
          occurredAt: '2026-03-15T09:30:00+07:00',
          actor: { id: 'reporter-7', role: 'reporter' },
          correlationId: 'corr-1',
        },
      }));
      try {
        await emmett.appendToStream(stream.id, events, {
          expectedStreamVersion:
            stream.length === 0 ? STREAM_DOES_NOT_EXIST : BigInt(stream.length),
        });
        stream.length += count;
        return true;
      } catch (error) {
        showFailure('emmett', error instanceof Error ? error.message : String(error));
        return false;
      }
    },
    async close() {
      await emmett.close();
      await pool.end();
    },
  };
}

// Failures are counted in the figures; the first few are shown so a broken run is obvious.
let failuresShown = 0;
function showFailure(store: string, text: string): void {
  if (failuresShown >= 5) return;
  failuresShown += 1;
  log(`${store} append failed: ${text}`);
}

// ---------------------------------------------------------------------------------------------

async function facts(): Promise<Record<string, string>> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ version: string; fsync: string; sync: string }>(
      `SELECT version() AS version, current_setting('fsync') AS fsync,
              current_setting('synchronous_commit') AS sync`,
    );
    const row = rows[0];
    return {
      cpus: `${availableParallelism()} × ${cpus()[0]?.model ?? 'unknown'}`,
      memory: `${(totalmem() / 2 ** 30).toFixed(1)} GiB`,
      node: process.version,
      postgres: row?.version.split(' on ')[0] ?? 'unknown',
      fsync: row?.fsync ?? 'unknown',
      synchronousCommit: row?.sync ?? 'unknown',
      database: cluster === undefined ? 'given with --database-url' : 'own cluster (temporary)',
    };
  } finally {
    await client.end();
  }
}

async function createDatabases(): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(`CREATE DATABASE ${ledgerDb}`);
    await client.query(`CREATE DATABASE ${emmettDb}`);
  } finally {
    await client.end();
  }
}

function databaseUrl(name: string): string {
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

const fmt = (n: number): string => Math.round(n).toLocaleString('en-US');

function describeStep(step: StepFigures): string {
  return (
    `${step.label}: ${fmt(step.events / step.seconds)} events/s, ${fmt(step.appends / step.seconds)} appends/s, ` +
    `p50 ${step.latency.p50} ms, p95 ${step.latency.p95} ms, p99 ${step.latency.p99} ms, ` +
    `failures ${step.failures}`
  );
}

async function runWorkloads(
  store: BenchStore,
): Promise<{ steps: StepFigures[]; rate: RateFigures | undefined }> {
  // Warm-up: connections, prepared plans, caches.
  await closedLoop(store, 16, 1, 1);
  const steps: StepFigures[] = [];
  for (const concurrency of concurrencies) {
    const step = await closedLoop(store, concurrency, 1, stepSeconds);
    log(describeStep(step));
    steps.push(step);
  }
  if (!values['skip-batched']) {
    const batched = await closedLoop(store, 64, 10, stepSeconds);
    log(describeStep(batched));
    steps.push(batched);
  }
  if (values['skip-rate']) return { steps, rate: undefined };
  log(`${store.name}: fixed rate ${fmt(targetRate)} events/s for ${rateSeconds} s`);
  const rate = await fixedRate(store, targetRate, rateSeconds);
  log(
    `${store.name} fixed rate: achieved ${fmt(rate.achievedRate)} events/s, p50 ${rate.latency.p50} ms, ` +
      `p99 ${rate.latency.p99} ms, dropped ${rate.dropped}, late ${rate.late}, failures ${rate.failures}`,
  );
  return { steps, rate };
}

interface VerifyFigures {
  readonly name: string;
  readonly events: number;
  readonly seconds: number;
  readonly ok: boolean;
}

async function measureVerification(ledgerUrl: string): Promise<VerifyFigures[]> {
  const figures: VerifyFigures[] = [];
  const store = new PostgresEventStore({ connectionString: ledgerUrl });
  try {
    const head = await store.head();
    log(`verifying ${fmt(head.position)} events`);
    const timed = async (
      name: string,
      events: number,
      run: () => Promise<{ ok: boolean; count: number }>,
    ): Promise<void> => {
      const t0 = performance.now();
      const result = await run();
      const seconds = (performance.now() - t0) / 1_000;
      if (result.count !== events)
        throw new Error(`${name} checked ${result.count} of ${events}: ${JSON.stringify(result)}`);
      figures.push({ name, events, seconds, ok: result.ok });
      log(`${name}: ${fmt(events / seconds)} events/s (ok: ${String(result.ok)})`);
    };
    await timed('read + verify from the database, sequential (store.pages)', head.position, () =>
      verifyChain(store.pages({ pageSize: 5_000 }), { expectedHead: head }),
    );
    for (const workers of [1, availableParallelism()]) {
      await timed(
        workers === 1
          ? 'read + verify from the database, verifyLogParallel, calling thread only'
          : `read + verify from the database, verifyLogParallel, ${workers} worker threads`,
        head.position,
        () =>
          verifyLogParallel({
            connectionString: ledgerUrl,
            toPosition: head.position,
            expectedHead: head,
            workers,
            minEventsPerWorker: 1,
          }),
      );
    }
    const loaded: RecordedEvent[] = [];
    for await (const page of store.pages({ pageSize: 5_000 })) {
      loaded.push(...page);
      if (loaded.length >= memoryEvents) break;
    }
    const inMemory = loaded.slice(0, memoryEvents);
    await timed(`verify in memory (verifyChain over an array)`, inMemory.length, () =>
      verifyChain(inMemory),
    );
  } finally {
    await store.close();
  }
  return figures;
}

// ---------------------------------------------------------------------------------------------

let exitCode = 0;
try {
  await openServer();
  const machine = await facts();
  log(`machine: ${JSON.stringify(machine)}`);
  if (machine.fsync !== 'on') log('WARNING: fsync is off: figures are not durable ones');
  await createDatabases();

  const ledger = await openLedger(databaseUrl(ledgerDb));
  log('ledger workloads');
  const ledgerFigures = await runWorkloads(ledger.store).finally(() => ledger.store.close());

  let emmettFigures: { steps: StepFigures[]; rate: RateFigures | undefined } | undefined;
  if (!values['skip-emmett']) {
    log('emmett workloads');
    const emmett = await openEmmett(databaseUrl(emmettDb));
    emmettFigures = await runWorkloads(emmett).finally(() => emmett.close());
  }

  const verification = values['skip-verify'] ? [] : await measureVerification(ledger.url);

  const lines: string[] = [];
  lines.push(
    '',
    `Machine: ${Object.entries(machine)
      .map(([k, v]) => `${k} ${v}`)
      .join('; ')}`,
    '',
  );
  lines.push(
    '| workload | store | events/s | appends/s | p50 ms | p95 ms | p99 ms | failures | ledger ÷ Emmett |',
    '|---|---|---:|---:|---:|---:|---:|---:|---:|',
  );
  for (const [i, step] of ledgerFigures.steps.entries()) {
    const other = emmettFigures?.steps[i];
    const rows = other === undefined ? [step] : [step, other];
    for (const row of rows) {
      const ratio =
        row === step && other !== undefined
          ? `${(step.events / step.seconds / (other.events / other.seconds)).toFixed(2)}×`
          : '';
      lines.push(
        `| c=${row.concurrency}, ${row.eventsPerAppend} event${row.eventsPerAppend === 1 ? '' : 's'}/append | ${row.label.split(' ')[0] ?? ''} | ` +
          `${fmt(row.events / row.seconds)} | ${fmt(row.appends / row.seconds)} | ${row.latency.p50} | ` +
          `${row.latency.p95} | ${row.latency.p99} | ${row.failures} | ${ratio} |`,
      );
    }
  }
  lines.push(
    '',
    '| fixed rate (open loop) | store | target/s | achieved/s | p50 ms | p99 ms | dropped | late | failures |',
    '|---|---|---:|---:|---:|---:|---:|---:|---:|',
  );
  const rateRows: [string, RateFigures][] = [];
  if (ledgerFigures.rate !== undefined) rateRows.push(['ledger', ledgerFigures.rate]);
  if (emmettFigures?.rate !== undefined) rateRows.push(['emmett', emmettFigures.rate]);
  for (const [name, rate] of rateRows) {
    lines.push(
      `| ${fmt(rate.target)} events/s, ${rate.seconds.toFixed(1)} s | ${name} | ${fmt(rate.target)} | ${fmt(rate.achievedRate)} | ` +
        `${rate.latency.p50} | ${rate.latency.p99} | ${rate.dropped} | ${rate.late} | ${rate.failures} |`,
    );
  }
  lines.push('', '| verification | events | seconds | events/s | ok |', '|---|---:|---:|---:|---|');
  for (const v of verification) {
    lines.push(
      `| ${v.name} | ${fmt(v.events)} | ${v.seconds.toFixed(2)} | ${fmt(v.events / v.seconds)} | ${String(v.ok)} |`,
    );
  }
  console.log(lines.join('\n'));
} catch (error) {
  exitCode = 1;
  console.error(error);
} finally {
  if (cluster !== undefined) {
    log('stopping PostgreSQL');
    await cluster.stop('fast');
  }
  if (clusterDir !== undefined) rmSync(clusterDir, { recursive: true, force: true });
}
process.exit(exitCode);
