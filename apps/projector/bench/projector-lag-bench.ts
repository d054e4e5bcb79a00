// Live projection lag under a steady check-in load: a ledger and the projector (both in this
// process), a durable PostgreSQL and a nats-server of the benchmark's own; check-ins appended
// one per request at a fixed rate, as the voter-cards service does. The lag of an event is the
// time from its append being acknowledged (committed in the ledger) to the read models having it.
//
// Run: npm run bench:lag -w @hpe/projector [-- --rate 3000 --seconds 20]
// (3,189,339 check-ins in 20 minutes, the services issue's target, is 2,660 per second.)
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { freePort, startNats, startPostgres } from '@hpe/embedded';
import { LedgerClient } from '@hpe/ledger-client';
import { startLedgerService } from '@hpe/ledger/service';
import { ledgerSettings } from '@hpe/ledger/testing';
import { closeNats, connectNats } from '@hpe/messaging';
import { applyMigrations, seedReferenceData } from '@hpe/read-models';
import pg from 'pg';
import { v7 as uuidv7 } from 'uuid';
import { startProjector } from '../src/projector.js';
import { loadProjectorSettings } from '../src/settings.js';

const { values } = parseArgs({
  options: {
    rate: { type: 'string', default: '3000' },
    seconds: { type: 'string', default: '20' },
  },
});
const rate = Number(values.rate);
const seconds = Number(values.seconds);
const log = (line: string): void => {
  process.stderr.write(`[${new Date().toISOString().slice(11, 19)}] ${line}\n`);
};

const percentile = (sorted: readonly number[], p: number): number =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'hpe-projector-lag-'));
  chmodSync(dir, 0o755);
  const postgres = await startPostgres({
    dataDir: join(dir, 'pg'),
    logFile: join(dir, 'postgres.log'),
    port: await freePort(),
    database: 'postgres',
    durable: true,
  });
  const nats = await startNats({
    storeDir: join(dir, 'js'),
    port: await freePort(),
    monitorPort: await freePort(),
    logFile: join(dir, 'nats.log'),
    pidFile: join(dir, 'nats.pid'),
    detached: false,
  });
  const admin = new pg.Client({ connectionString: postgres.adminUrl });
  await admin.connect();
  const urlOf = (db: string): string => {
    const url = new URL(postgres.adminUrl);
    url.pathname = `/${db}`;
    return url.toString();
  };
  await admin.query('CREATE DATABASE lag_ledger');
  await admin.query('CREATE DATABASE lag_read');
  await applyMigrations(urlOf('lag_read'));
  await seedReferenceData(urlOf('lag_read'), { seed: 'haiphong-2026' });
  const read = new pg.Client({ connectionString: urlOf('lag_read') });
  await read.connect();
  const areas = (
    await read.query<{ id: string }>('SELECT polling_area_id AS id FROM polling_area')
  ).rows.map((r) => r.id);

  const ledgerService = await startLedgerService(
    await ledgerSettings(urlOf('lag_ledger'), nats.url),
  );
  const projector = await startProjector(
    loadProjectorSettings({
      DATABASE_URL: urlOf('lag_read'),
      NATS_URL: nats.url,
      HTTP_PORT: String(await freePort()),
      LOG_LEVEL: 'warn',
      OTEL_SERVICE_NAME: 'ledger',
    }),
  );
  const nc = await connectNats({ servers: [nats.url], name: 'lag-bench' });
  const ledger = new LedgerClient(nc);

  // When each position became visible in the read models (polled every 2 ms).
  const appliedAt = new Map<number, number>();
  let seen = projector.status().position;
  const poll = setInterval(() => {
    const now = performance.now();
    const position = projector.status().position;
    for (let p = seen + 1; p <= position; p++) appliedAt.set(p, now);
    seen = Math.max(seen, position);
  }, 2);

  const committed: { position: number; at: number }[] = [];
  let failures = 0;
  const appendOne = async (n: number): Promise<void> => {
    const area = areas[n % areas.length] ?? '';
    const streamId = `voter-${n.toString(16).padStart(64, '0')}`;
    const result = await ledger.append({
      streamId,
      expectedRevision: 'any',
      events: [
        {
          eventId: uuidv7(),
          type: 'VoterCheckedIn',
          schemaVersion: 1,
          streamId,
          data: {
            cardNumber: `${area}-${String(Math.floor(n / areas.length)).padStart(4, '0')}`,
            pollingAreaId: area,
            at: '2026-03-15T09:00:00+07:00',
            ballots: ['na', 'city', 'commune'],
          },
          metadata: {
            occurredAt: '2026-03-15T09:00:00+07:00',
            actor: { id: 'bench', role: 'reporter' },
            correlationId: 'lag-bench',
          },
        },
      ],
    });
    if (result.ok) committed.push({ position: result.value.positions[1], at: performance.now() });
    else failures += 1;
  };

  log(`appending ${rate} check-ins/s for ${seconds} s`);
  const inFlight: Promise<void>[] = [];
  const started = performance.now();
  const tickMs = 10;
  let sent = 0;
  while (performance.now() - started < seconds * 1000) {
    const due = Math.floor(((performance.now() - started) / 1000) * rate);
    while (sent < due) inFlight.push(appendOne(sent++));
    await new Promise((resolve) => setTimeout(resolve, tickMs));
  }
  await Promise.all(inFlight);
  const last = Math.max(...committed.map((c) => c.position));
  await projector.waitFor(last, 60_000);
  await new Promise((resolve) => setTimeout(resolve, 20));
  clearInterval(poll);

  const lags = committed
    .map((c) => (appliedAt.get(c.position) ?? Number.NaN) - c.at)
    .map((ms) => Math.max(0, ms))
    .sort((a, b) => a - b);
  const { rows } = await read.query<{ check_ins: number }>(
    'SELECT check_ins FROM city_overview WHERE id = 1',
  );
  const figures = {
    targetRate: rate,
    seconds,
    appended: committed.length,
    failures,
    achievedRate: Math.round(committed.length / ((performance.now() - started) / 1000)),
    checkInsInReadModel: rows[0]?.check_ins,
    lagMs: {
      p50: Math.round(percentile(lags, 50)),
      p95: Math.round(percentile(lags, 95)),
      p99: Math.round(percentile(lags, 99)),
      max: Math.round(lags.at(-1) ?? 0),
    },
    projector: projector.status(),
    loadAverage1m: Math.round((loadavg()[0] ?? 0) * 10) / 10,
  };
  console.log(JSON.stringify(figures, null, 2));

  await closeNats(nc);
  await projector.close();
  await ledgerService.close();
  await read.end();
  await admin.end();
  await nats.stop();
  await postgres.stop();
  rmSync(dir, { recursive: true, force: true });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
