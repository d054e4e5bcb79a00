// Voter import and check-in throughput through the gateway on the real path: HTTP → gateway →
// NATS → voter-cards service → NATS → ledger → PostgreSQL (durable: fsync and synchronous_commit on).
// PostgreSQL and nats-server run as their own processes; the ledger, the voter-cards service, the
// gateway and this load generator share ONE Node process (2 cores shared with everything else).
//
// Run: npx tsx --conditions=source apps/gateway/scripts/voters-bench.ts \
//        [--voters 100000] [--check-ins 20000] [--concurrency 64] [--import-concurrency 64]
// The voters are generateVoters' (packages/reference-data), streamed as NDJSON without being held
// in memory; the check-ins use the first cards imported, each once, with an admin token.
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { freePort, startPostgres, type RunningPostgres } from '@hpe/embedded';
import {
  applyMigrations,
  defaultDemoPassword,
  seedDemoUsers,
  seedReferenceData,
} from '@hpe/read-models';
import {
  generateReferenceDataset,
  generateVoters,
  loadReferenceDataset,
} from '@hpe/reference-data';
import { startLedgerService } from '@hpe/ledger/service';
import { ledgerSettings, startTestNats } from '@hpe/ledger/testing';
import { loadVoterCardsSettings } from '@hpe/voter-cards/settings';
import { startVoterCardsService } from '@hpe/voter-cards/service';
import { startGateway } from '../src/gateway.js';
import { loadGatewaySettings } from '../src/settings.js';

const { values } = parseArgs({
  options: {
    voters: { type: 'string', default: '100000' },
    'check-ins': { type: 'string', default: '20000' },
    concurrency: { type: 'string', default: '64' },
    /** Registrations of one import batch the voter-cards service appends at once. */
    'import-concurrency': { type: 'string', default: '64' },
  },
});
const voterCount = Number(values.voters);
const checkInCount = Math.min(Number(values['check-ins']), voterCount);
const concurrency = Number(values.concurrency);
const seed = 'haiphong-2026';

const log = (line: string): void => {
  process.stderr.write(`[${new Date().toISOString().slice(11, 19)}] ${line}\n`);
};

const dir = mkdtempSync(join(tmpdir(), 'hpe-voters-bench-'));
chmodSync(dir, 0o755);
let cluster: RunningPostgres | undefined;
const stops: (() => Promise<void>)[] = [];

async function main(): Promise<void> {
  cluster = await startPostgres({
    dataDir: join(dir, 'pg'),
    logFile: join(dir, 'postgres.log'),
    port: await freePort(),
    database: 'postgres',
    durable: true,
  });
  const nats = await startTestNats();
  stops.push(() => nats.stop());
  const admin = new pg.Client({ connectionString: cluster.adminUrl });
  await admin.connect();
  await admin.query('create database bench_ledger');
  await admin.query('create database bench_reference');
  await admin.end();
  const dbUrl = (name: string): string => {
    const url = new URL(cluster?.adminUrl ?? '');
    url.pathname = `/${name}`;
    return url.toString();
  };
  const referenceUrl = dbUrl('bench_reference');
  await applyMigrations(referenceUrl);
  await seedReferenceData(referenceUrl, { seed });
  await seedDemoUsers(referenceUrl, { password: defaultDemoPassword });
  log('PostgreSQL (durable), nats-server, reference data and demo users ready');

  const ledger = await startLedgerService(
    await ledgerSettings(dbUrl('bench_ledger'), nats.url, { LOG_LEVEL: 'warn' }),
  );
  stops.unshift(() => ledger.close());
  const service = await startVoterCardsService(
    loadVoterCardsSettings({
      DATABASE_URL: referenceUrl,
      NATS_URL: nats.url,
      HTTP_PORT: String(await freePort()),
      LOG_LEVEL: 'warn',
      OTEL_SERVICE_NAME: 'ledger',
      VOTER_IMPORT_CONCURRENCY: values['import-concurrency'],
    }),
  );
  stops.unshift(() => service.close());
  const gateway = await startGateway(
    loadGatewaySettings({
      HTTP_PORT: String(await freePort()),
      LOG_LEVEL: 'info',
      DATABASE_URL: referenceUrl,
      NATS_URL: nats.url,
      OTEL_SERVICE_NAME: 'ledger',
      RATE_LIMIT_PER_MINUTE: '10000000',
    }),
  );
  stops.unshift(() => gateway.close());

  const login = await fetch(`${gateway.url}/api/v1/auth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'admin', password: defaultDemoPassword }),
  });
  const { accessToken } = (await login.json()) as { accessToken: string };
  const authorization = `Bearer ${accessToken}`;

  // ---- import ----
  const dataset = loadReferenceDataset(generateReferenceDataset({ seed }));
  const cards: { cardNumber: string; pollingAreaId: string }[] = [];
  function* ndjson(): Generator<string> {
    let n = 0;
    let chunk = '';
    for (const voter of generateVoters(dataset)) {
      if (n >= voterCount) break;
      if (cards.length < checkInCount)
        cards.push({ cardNumber: voter.cardNumber, pollingAreaId: voter.pollingAreaId });
      chunk += `${JSON.stringify(voter)}\n`;
      n += 1;
      if (chunk.length > 256 * 1024) {
        yield chunk;
        chunk = '';
      }
    }
    if (chunk !== '') yield chunk;
  }
  log(`importing ${voterCount} voters through POST /api/v1/voters/import`);
  const importStarted = performance.now();
  const imported = await fetch(`${gateway.url}/api/v1/voters/import`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-ndjson', authorization },
    body: Readable.toWeb(Readable.from(ndjson())) as ReadableStream,
    duplex: 'half',
  } as RequestInit);
  const report = (await imported.json()) as Record<string, unknown>;
  const importSeconds = (performance.now() - importStarted) / 1_000;
  log(
    `import: HTTP ${imported.status}, imported ${String(report['imported'])}, rejected ${String(report['rejectedTotal'])}, duplicates ${String(report['duplicatesTotal'])} in ${importSeconds.toFixed(1)} s = ${Math.round(voterCount / importSeconds)} rows/s`,
  );

  // ---- check-ins ----
  log(`firing ${cards.length} check-ins with concurrency ${concurrency}`);
  const latencies: number[] = [];
  const statuses = new Map<number, number>();
  let next = 0;
  const checkInStarted = performance.now();
  const worker = async (): Promise<void> => {
    while (next < cards.length) {
      const card = cards[next];
      next += 1;
      if (card === undefined) break;
      const t0 = performance.now();
      const res = await fetch(`${gateway.url}/api/v1/check-ins`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization },
        body: JSON.stringify({
          cardNumber: card.cardNumber,
          pollingAreaId: card.pollingAreaId,
          at: '2026-03-15T08:00:00+07:00',
        }),
      });
      await res.arrayBuffer();
      latencies.push(performance.now() - t0);
      statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, () => worker()));
  const checkInSeconds = (performance.now() - checkInStarted) / 1_000;
  latencies.sort((a, b) => a - b);
  const pct = (p: number): string =>
    (
      latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))] ?? 0
    ).toFixed(1);
  log(
    `check-ins: ${latencies.length} in ${checkInSeconds.toFixed(1)} s = ${Math.round(latencies.length / checkInSeconds)} req/s; p50 ${pct(50)} ms, p99 ${pct(99)} ms; statuses ${JSON.stringify(Object.fromEntries(statuses))}`,
  );
}

main()
  .catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  })
  .finally(async () => {
    for (const stop of stops) await stop().catch(() => undefined);
    await cluster?.stop('fast').catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  });
