// The auditor's replay benchmark: fills a ledger with an election day of at least --events events
// (check-ins of the whole city's voters dominate, with registrations, openings, four turnout
// rounds, refused check-ins, incidents and their triage, closings, counting minutes, a correction
// and a declared result: all valid events the projections read), written through the ledger's own
// PostgresEventStore in large group commits, with recordedAt following the simulated day. Then it
// runs the built `hpe-audit replay` over it as an auditor would, in a process of its own, and
// prints events/s, the CPU time and the peak RSS of that process.
//
// Run (after `npm run build`): npm run bench:replay -w @hpe/audit --
//        [--events 3200000] [--database-url postgresql://postgres@host/postgres] [--keep]
// Without --database-url it starts its own durable PostgreSQL in a temporary folder (the full size
// needs about 4 GB of disk there), stopped at the end. The log is filled with synchronous_commit
// off (throw-away data). --keep leaves the database (and that folder) in place for more runs.
import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { freePort, startPostgres, type RunningPostgres } from '@hpe/embedded';
import { installLedgerSchema, PostgresEventStore } from '@hpe/ledger';
import { applyMigrations, loadReferenceModel, seedReferenceData } from '@hpe/read-models';
import pg from 'pg';
import { v7 as uuidv7 } from 'uuid';
import {
  electionDay,
  electionDaySize,
  type DayAppend,
  type ElectionDayOptions,
} from '../src/election-day.test-support.js';

const { values } = parseArgs({
  options: {
    'database-url': { type: 'string' },
    events: { type: 'string', default: '3200000' },
    keep: { type: 'boolean', default: false },
  },
});
const wanted = Number(values.events);
if (!Number.isSafeInteger(wanted) || wanted < 20_000) {
  throw new Error(`--events must be a whole number of at least 20,000, got ${values.events}`);
}
const cliPath = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
const log = (line: string): void => {
  process.stderr.write(`[${new Date().toISOString().slice(11, 19)}] ${line}\n`);
};

/** Appends the day through the store, many appends in flight; a stream's appends keep order. */
async function fill(
  store: PostgresEventStore,
  day: Iterable<DayAppend>,
  onAt: (at: string) => void,
) {
  const inFlight = new Map<string, Promise<void>>();
  const maxInFlight = 4_000;
  let appended = 0;
  let failure: Error | undefined;
  const started = performance.now();
  let lastLog = started;
  for (const a of day) {
    if (failure !== undefined) throw failure;
    // Same stream: wait for its earlier append (a refused check-in follows its check-in).
    await inFlight.get(a.streamId);
    while (inFlight.size >= maxInFlight) await Promise.race(inFlight.values());
    onAt(a.at);
    const done = store
      .appendToStream({
        streamId: a.streamId,
        expectedRevision: 'any',
        events: a.events.map((e) => ({
          eventId: uuidv7(),
          schemaVersion: 1,
          streamId: a.streamId,
          type: e.type,
          data: e.data,
          metadata: {
            occurredAt: a.at,
            actor: { id: 'replay-bench', role: 'reporter' },
            correlationId: 'replay-bench',
          },
        })),
      })
      .then((result) => {
        if (!result.ok) failure ??= new Error(`${result.error.code}: ${result.error.message}`);
        appended += a.events.length;
      })
      .finally(() => {
        if (inFlight.get(a.streamId) === done) inFlight.delete(a.streamId);
      });
    inFlight.set(a.streamId, done);
    const now = performance.now();
    if (now - lastLog > 5_000) {
      lastLog = now;
      log(
        `  filled ${appended.toLocaleString('en-US')} events (${Math.round(appended / ((now - started) / 1000)).toLocaleString('en-US')}/s)`,
      );
    }
  }
  await Promise.all(inFlight.values());
  if (failure !== undefined) throw failure;
  return appended;
}

interface ChildFigures {
  code: number;
  stdout: string;
  stderr: string;
  wallSeconds: number;
  peakRssMiB: number;
  cpuSeconds: number;
}

/** Runs the built CLI, sampling its peak RSS (VmHWM) and CPU time from /proc while it runs. */
function runCli(args: readonly string[]): Promise<ChildFigures> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, ['--max-semi-space-size=64', cliPath, ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      process.stderr.write(chunk);
    });
    let peakKiB = 0;
    let cpuTicks = 0;
    const sample = (): void => {
      try {
        const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
        const hwm = /VmHWM:\s+(\d+) kB/.exec(status);
        if (hwm?.[1] !== undefined) peakKiB = Math.max(peakKiB, Number(hwm[1]));
        // Fields 14 and 15 (utime, stime) after the command name in parentheses.
        const stat = readFileSync(`/proc/${child.pid}/stat`, 'utf8');
        const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        cpuTicks = Number(fields[11]) + Number(fields[12]);
      } catch {
        // The process has just exited: keep the last sample.
      }
    };
    const timer = setInterval(sample, 100);
    child.once('error', reject);
    child.once('exit', (code) => {
      clearInterval(timer);
      resolve({
        code: code ?? -1,
        stdout,
        stderr,
        wallSeconds: (performance.now() - started) / 1000,
        peakRssMiB: Math.round(peakKiB / 1024),
        // USER_HZ is 100 on Linux.
        cpuSeconds: cpuTicks / 100,
      });
    });
  });
}

async function main(): Promise<void> {
  if (!existsSync(cliPath)) throw new Error(`${cliPath} is missing: run npm run build first`);
  let cluster: RunningPostgres | undefined;
  let dir: string | undefined;
  let adminUrl = values['database-url'];
  if (adminUrl === undefined) {
    dir = mkdtempSync(join(tmpdir(), 'hpe-replay-bench-'));
    chmodSync(dir, 0o755);
    const port = await freePort();
    log(`starting a durable PostgreSQL in ${dir} on port ${port}`);
    cluster = await startPostgres({
      dataDir: join(dir, 'pg'),
      logFile: join(dir, 'postgres.log'),
      port,
      database: 'postgres',
      durable: true,
    });
    adminUrl = cluster.adminUrl;
  }
  const dbName = `replay_bench_${Date.now().toString(36)}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${dbName}`);
  const url = new URL(adminUrl);
  url.pathname = `/${dbName}`;
  const dbUrl = url.toString();
  try {
    await applyMigrations(dbUrl);
    await seedReferenceData(dbUrl, { seed: 'haiphong-2026' });
    await installLedgerSchema(dbUrl, { ledgerRole: 'ledger_writer' });
    const writerUrl = new URL(dbUrl);
    writerUrl.username = 'ledger_writer';
    writerUrl.password = '';
    const client = new pg.Client({ connectionString: dbUrl });
    await client.connect();
    const reference = await loadReferenceModel(client);
    await client.end();

    // The whole city votes; turnout is what brings the day to the size asked for (99% at most).
    const areaIds = [...reference.areas.keys()];
    const voters = [...reference.areas.values()].reduce((n, a) => n + a.votersOnList, 0);
    const base: ElectionDayOptions = { areaIds, turnout: 0, incidents: 400 };
    const overhead = electionDaySize(reference, base);
    const turnout = Math.min(0.99, (wanted - overhead) / voters + 0.0005);
    const declareUnitId = [...reference.units.values()].find(
      (u) => u.level === 'commune' && u.candidates.length > 0 && u.areaIds.size > 0,
    )?.unitId;
    const options: ElectionDayOptions = {
      ...base,
      turnout,
      ...(declareUnitId === undefined ? {} : { declareUnitId }),
    };
    log(
      `filling ${dbName}: ${areaIds.length} areas, ${voters.toLocaleString('en-US')} voters, turnout ${(turnout * 100).toFixed(1)}%, about ${electionDaySize(reference, options).toLocaleString('en-US')} events`,
    );
    let fieldTime = Date.parse('2026-03-14T08:00:00+07:00');
    const store = new PostgresEventStore({
      connectionString: writerUrl.toString(),
      durable: false,
      // recordedAt follows the simulated day (the store keeps it from going backwards).
      clock: () => new Date(fieldTime),
    });
    const fillStarted = performance.now();
    let filled: number;
    try {
      filled = await fill(store, electionDay(reference, options), (at) => {
        fieldTime = Math.max(fieldTime, Date.parse(at));
      });
    } finally {
      await store.close();
    }
    const fillSeconds = (performance.now() - fillStarted) / 1000;
    log(`filled ${filled.toLocaleString('en-US')} events in ${fillSeconds.toFixed(0)} s`);
    const check = new pg.Client({ connectionString: dbUrl });
    await check.connect();
    await check.query('VACUUM ANALYZE ledger.events');
    const { rows } = await check.query<{ events: string; check_ins: string; size: string }>(
      `SELECT count(*)::text AS events,
              count(*) FILTER (WHERE type = 'VoterCheckedIn')::text AS check_ins,
              pg_size_pretty(pg_total_relation_size('ledger.events')) AS size FROM ledger.events`,
    );
    const stats = rows[0];
    log(`ledger.events: ${stats?.events} events (${stats?.check_ins} check-ins), ${stats?.size}`);

    log('replaying with the built hpe-audit replay');
    const replay = await runCli([
      'replay',
      '--database-url',
      dbUrl,
      '--schema',
      'replay_bench',
      '--json',
    ]);
    if (replay.code !== 0)
      throw new Error(`hpe-audit replay exited ${replay.code}: ${replay.stdout}`);
    const result = JSON.parse(replay.stdout) as {
      position: number;
      events: number;
      seconds: number;
      eventsPerSecond: number;
      tables: { table: string; rows: number }[];
    };
    // The figures must be right, not only fast: every check-in counted once.
    const counted = await check.query<{ check_ins: number }>(
      'SELECT check_ins FROM replay_bench.city_overview WHERE id = 1',
    );
    await check.end();
    if (counted.rows[0]?.check_ins !== Number(stats?.check_ins)) {
      throw new Error(
        `the replay counted ${counted.rows[0]?.check_ins} check-ins; the log holds ${stats?.check_ins}`,
      );
    }
    console.log(
      JSON.stringify(
        {
          events: result.events,
          checkIns: Number(stats?.check_ins),
          ledgerSize: stats?.size,
          replay: {
            seconds: result.seconds,
            eventsPerSecond: result.eventsPerSecond,
            processWallSeconds: Math.round(replay.wallSeconds * 10) / 10,
            processCpuSeconds: replay.cpuSeconds,
            eventsPerCpuSecond: Math.round(result.events / Math.max(replay.cpuSeconds, 0.01)),
            peakRssMiB: replay.peakRssMiB,
          },
          rows: Object.fromEntries(result.tables.map((t) => [t.table, t.rows])),
          fill: {
            seconds: Math.round(fillSeconds),
            eventsPerSecond: Math.round(filled / fillSeconds),
          },
          cpus: cpus().length,
          cpu: cpus()[0]?.model,
          loadAverage1m: Math.round((loadavg()[0] ?? 0) * 10) / 10,
        },
        null,
        2,
      ),
    );
  } finally {
    if (values.keep) log(`kept database ${dbName}${dir === undefined ? '' : ` in ${dir}`}`);
    else await admin.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`).catch(() => undefined);
    await admin.end();
    await cluster?.stop();
    if (dir !== undefined && !values.keep) rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
