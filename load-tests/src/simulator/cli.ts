// The election-day simulator's command line: a realistic day through the public HTTP API, in
// compressed time, then the reconciliation. `node --import tsx load-tests/src/simulator/cli.ts --help`.
import { writeFile, mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { parseArgs } from 'node:util';
import { closeNats, connectNats } from '@hpe/messaging';
import { defaultReferenceSeed, generateReferenceDataset } from '@hpe/reference-data';
import type { NatsConnection } from '@nats-io/transport-node';
import { ApiClient } from '../driver/api-client.ts';
import { cpuBetween, sampleCpu } from '../driver/process-cpu.ts';
import { ProjectionLagSampler } from './projection-lag.ts';
import { injections, isInjection, planDay, type Injection } from './day-plan.ts';
import { reconcileDay } from './reconcile-day.ts';
import { runDay } from './run-day.ts';

const usage = `usage: node --import tsx load-tests/src/simulator/cli.ts [options]
  --base-url URL        gateway (default http://127.0.0.1:8080)
  --password PW         demo users' password (default election-day-2026)
  --nats-url URL        publish the drill clock there (default nats://127.0.0.1:42229; "none" to skip)
  --scale S             share of the city's voters who check in with their cards, 0..1 (default 0.01)
  --speed X             how many times faster than real time the day runs (default 72: 18 h in 15 min)
  --seed TEXT           the day's randomness (default haiphong-2026-day)
  --inject LIST         anomalies to plant: ${injections.join(', ')}, or all (default none)
  --incidents P         chance an area has an incident (default 0.05)
  --corrections P       chance a counting minute is corrected (default 0.005)
  --concurrency N       requests in flight (default 64)
  --card-delivery       record card delivery for the imported voters first (default on below scale 0.05)
  --no-card-delivery
  --reference-seed S    the stack's reference dataset seed (default ${defaultReferenceSeed})
  --summary PATH        JSON summary (default load-tests/.reports/simulator-summary.json)
  --allow-used-stack    run even if polling areas are open already (no reconciliation per area)
  --stack-data-dir DIR  the embedded stack's data folder, to report CPU per process (default .data)
  --projector-url URL   the projector's health port, to sample projection lag (default http://127.0.0.1:8093)
exit: 0 day done and reconciled, 1 reconciliation or detection failed, 2 bad usage, 3 the stack refused`;

function parseShare(text: string, name: string): number {
  const value = Number(text);
  if (!Number.isFinite(value) || value < 0 || value > 1)
    throw new Error(`${name} must be within 0..1`);
  return value;
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      'base-url': { type: 'string', default: 'http://127.0.0.1:8080' },
      password: { type: 'string', default: 'election-day-2026' },
      'nats-url': { type: 'string', default: 'nats://127.0.0.1:42229' },
      scale: { type: 'string', default: '0.01' },
      speed: { type: 'string', default: '72' },
      seed: { type: 'string', default: 'haiphong-2026-day' },
      inject: { type: 'string', default: '' },
      incidents: { type: 'string', default: '0.05' },
      corrections: { type: 'string', default: '0.005' },
      concurrency: { type: 'string', default: '64' },
      'card-delivery': { type: 'boolean' },
      'no-card-delivery': { type: 'boolean' },
      'reference-seed': { type: 'string', default: defaultReferenceSeed },
      summary: {
        type: 'string',
        default: new URL('../../.reports/simulator-summary.json', import.meta.url).pathname,
      },
      'allow-used-stack': { type: 'boolean', default: false },
      'projector-url': { type: 'string', default: 'http://127.0.0.1:8093' },
      'stack-data-dir': {
        type: 'string',
        default: new URL('../../../.data', import.meta.url).pathname,
      },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    console.log(usage);
    return 0;
  }
  let scale: number;
  let inject: Set<Injection>;
  let speed: number;
  let concurrency: number;
  let incidents: number;
  let corrections: number;
  try {
    scale = parseShare(values.scale, '--scale');
    incidents = parseShare(values.incidents, '--incidents');
    corrections = parseShare(values.corrections, '--corrections');
    speed = Number(values.speed);
    if (!Number.isFinite(speed) || speed < 1 || speed > 100_000)
      throw new Error('--speed must be within 1..100000');
    concurrency = Number(values.concurrency);
    if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 4_096)
      throw new Error('--concurrency must be an integer within 1..4096');
    const names =
      values.inject === 'all'
        ? [...injections]
        : values.inject
            .split(',')
            .map((s) => s.trim())
            .filter((s) => s !== '');
    const unknown = names.filter((n) => !isInjection(n));
    if (unknown.length > 0) throw new Error(`unknown --inject ${unknown.join(', ')}`);
    inject = new Set(names.filter(isInjection));
  } catch (error) {
    console.error(`${error instanceof Error ? error.message : String(error)}\n${usage}`);
    return 2;
  }
  const cardDelivery =
    values['no-card-delivery'] === true ? false : (values['card-delivery'] ?? scale <= 0.05);
  const log = (line: string): void =>
    console.log(`${new Date().toISOString().slice(11, 19)} ${line}`);

  const dataset = generateReferenceDataset({ seed: values['reference-seed'] });
  const planStarted = Date.now();
  const plan = planDay(dataset, {
    seed: values.seed,
    scale,
    inject,
    incidentsPerArea: incidents,
    correctionShare: corrections,
  });
  const scanning = plan.areas.filter((a) => a.scanning);
  log(
    `planned the day in ${((Date.now() - planStarted) / 1_000).toFixed(1)} s: ${plan.areas.length} areas, ` +
      `${scanning.length} scanning cards (${scanning.reduce((n, a) => n + a.voters, 0).toLocaleString('en-US')} check-ins), ` +
      `${plan.areas.reduce((n, a) => n + a.actions.length, 0).toLocaleString('en-US')} field reports, ` +
      `${plan.areas.reduce((n, a) => n + a.incidents.length, 0)} incidents`,
  );
  for (const t of plan.injected) log(`injecting ${t.injection} at ${t.pollingAreaId}`);
  for (const s of plan.skipped) log(`cannot inject ${s}: no suitable area at this scale`);

  const client = new ApiClient(values['base-url'], values.password);
  try {
    await client.signIn('ops');
  } catch (error) {
    console.error(
      `cannot sign in at ${values['base-url']}: ${error instanceof Error ? error.message : String(error)}`,
    );
    return 3;
  }
  const before = await client.get('/api/v1/overview', 'ops');
  const opened =
    (before.body as { pollingAreas?: { opened?: number } } | undefined)?.pollingAreas?.opened ?? 0;
  if (before.status === 200 && opened > 0 && !values['allow-used-stack']) {
    console.error(
      `the stack already holds an election day (${opened} areas opened): reset it first (npm run stack:reset), or pass --allow-used-stack`,
    );
    return 3;
  }

  let nats: NatsConnection | undefined;
  if (values['nats-url'] !== 'none') {
    try {
      nats = await connectNats({ servers: values['nats-url'].split(','), name: 'simulator' });
      log(`publishing the drill clock on ${values['nats-url']}`);
    } catch (error) {
      log(
        `no drill clock (${error instanceof Error ? error.message : String(error)}): the stack's schedule keeps its own time`,
      );
    }
  }
  const lag = new ProjectionLagSampler(values['projector-url']);
  lag.start();
  const cpuBefore = sampleCpu(values['stack-data-dir']);
  const ownBefore = process.cpuUsage();
  try {
    const result = await runDay(dataset, plan, {
      client,
      ...(nats === undefined ? {} : { nats }),
      speed,
      concurrency,
      cardDelivery,
      log,
    });
    const s = result.dispatcher.stats;
    log(
      `day done in ${(result.seconds / 60).toFixed(1)} min: ${s.sent.toLocaleString('en-US')} requests, ` +
        `${s.accepted.toLocaleString('en-US')} accepted, ${s.refusedAsPlanned} refused as planned, ${s.failed} failed, ${s.retries} retried`,
    );
    log(
      `latency p50 ${s.latency.percentile(0.5).toFixed(1)} ms · p95 ${s.latency.percentile(0.95).toFixed(1)} ms · p99 ${s.latency.percentile(0.99).toFixed(1)} ms`,
    );
    for (const [endpoint, h] of [...s.latencyByEndpoint].sort()) {
      const sum = h.summary();
      log(
        `  ${endpoint.padEnd(52)} ${String(sum.count).padStart(9)}  p50 ${sum.p50.toFixed(1)}  p99 ${sum.p99.toFixed(1)} ms`,
      );
    }
    lag.stop();
    const lagSummary = lag.summary();
    if (lagSummary !== undefined)
      log(
        `projection lag (age of the projector's last applied event while behind, ${lagSummary.count} samples every 250 ms): ` +
          `p50 ${lagSummary.p50.toFixed(0)} ms · p99 ${lagSummary.p99.toFixed(0)} ms · max ${lagSummary.max.toFixed(0)} ms`,
      );
    const cpu = cpuBetween(cpuBefore, sampleCpu(values['stack-data-dir']));
    const own = process.cpuUsage(ownBefore);
    cpu.push(['simulator (this process)', (own.user + own.system) / 1e6]);
    if (cpu.length > 1) {
      const total = cpu.reduce((sum, [, sec]) => sum + sec, 0);
      log(
        `CPU seconds per process over the day (${total.toFixed(0)} s on ${result.seconds.toFixed(0)} s of wall time):`,
      );
      for (const [name, seconds] of cpu)
        log(
          `  ${name.padEnd(26)} ${seconds.toFixed(1).padStart(8)} s  ${((seconds / total) * 100).toFixed(1).padStart(5)} %`,
        );
    }
    for (const [code, n] of Object.entries(s.failuresByCode)) log(`  failed: ${code} × ${n}`);
    for (const f of s.failureSamples.slice(0, 10))
      log(
        `  e.g. ${f.endpoint} at ${f.pollingAreaId}: ${f.status} ${f.code} (expected ${f.expected})`,
      );

    const reconciliation = await reconcileDay(client, plan, s, result.startPosition, log);
    log(
      `ledger: ${reconciliation.ledgerEvents.toLocaleString('en-US')} events since the run began; read models at position ${reconciliation.readModelPosition}`,
    );
    for (const t of reconciliation.totals)
      log(
        `  ${t.eventType.padEnd(28)} accepted ${String(t.accepted).padStart(9)}  in the ledger ${String(t.ledger).padStart(9)}`,
      );
    for (const d of reconciliation.anomalies.detected)
      log(
        `  injected ${d.injection.padEnd(18)} ${d.kind.padEnd(26)} at ${d.pollingAreaId}: ${d.found ? 'detected' : 'NOT DETECTED'}`,
      );
    log(`  other anomalies raised: ${reconciliation.anomalies.unexpected.length}`);
    for (const a of reconciliation.anomalies.unexpected.slice(0, 10))
      log(`    ${a.kind} at ${a.pollingAreaId ?? '-'}: ${a.summary}`);
    for (const m of reconciliation.mismatches.slice(0, 20))
      log(`  MISMATCH ${m.check} (${m.subject}): expected ${m.expected}, got ${m.actual}`);
    log(reconciliation.ok && s.failed === 0 ? 'reconciliation: exact' : 'reconciliation: FAILED');

    await mkdir(dirname(values.summary), { recursive: true });
    await writeFile(
      values.summary,
      `${JSON.stringify(
        {
          options: {
            scale,
            speed,
            seed: values.seed,
            inject: [...inject],
            concurrency,
            cardDelivery,
          },
          seconds: result.seconds,
          importSeconds: result.importSeconds,
          votersImported: result.votersImported,
          requests: {
            sent: s.sent,
            accepted: s.accepted,
            refusedAsPlanned: s.refusedAsPlanned,
            failed: s.failed,
            retries: s.retries,
            skipped: s.skipped,
            failuresByCode: s.failuresByCode,
          },
          latency: s.latency.summary(),
          latencyByEndpoint: Object.fromEntries(
            [...s.latencyByEndpoint].map(([k, h]) => [k, h.summary()]),
          ),
          injected: plan.injected,
          reconciliation,
        },
        null,
        2,
      )}\n`,
    );
    log(`summary: ${values.summary}`);
    return reconciliation.ok && s.failed === 0 ? 0 : 1;
  } finally {
    lag.stop();
    if (nats !== undefined) await closeNats(nats);
    await client.close();
  }
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(error instanceof Error ? (error.stack ?? error.message) : error);
    process.exitCode = 1;
  },
);
