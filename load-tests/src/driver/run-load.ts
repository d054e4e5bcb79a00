// One load run with the Node driver: sign in, open the areas, run the chosen scenarios at their
// constant arrival rates, report every 5 s, then reconcile accepted requests with ledger and reads.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { webcrypto } from 'node:crypto';
import {
  openAreaRequest,
  requestBuilders,
  scenarioPlan,
  thresholdTargets,
  type ScenarioName,
  type ScenarioPlan,
} from '../scenarios/definitions.ts';
import type { FixtureFile, FixtureView } from '../scenarios/fixture.ts';
import type { RandomBytes } from '../scenarios/random-ids.ts';
import { ApiClient } from './api-client.ts';
import { startArrivalRate, type ArrivalRateRun } from './arrival-rate.ts';
import {
  countLedgerEvents,
  ledgerHead,
  overviewDelta,
  readAreaTurnout,
  readOverview,
  type OverviewFigures,
  type ReadModelAnswer,
} from './ledger-reader.ts';
import { ledgerEventOf, reconcile, type CountsByArea, type ReadModelFigures } from './reconcile.ts';
import { ScenarioStats } from './scenario-stats.ts';

export interface DriverOptions {
  readonly baseUrl: string;
  readonly password: string;
  readonly scale: number;
  readonly duration: string;
  readonly scenarios: readonly ScenarioName[];
  readonly fixturePath: string;
  readonly summaryPath: string;
  /** Overrides every scenario's maxVUs (to provoke or avoid dropped iterations). */
  readonly maxVUs?: number;
  readonly progressEveryMs: number;
  readonly enforceThresholds: boolean;
  readonly log: (line: string) => void;
}

const cryptoRandom: RandomBytes = (length) => webcrypto.getRandomValues(new Uint8Array(length));

export async function loadFixture(path: string): Promise<FixtureView & { file: FixtureFile }> {
  const file = JSON.parse(await readFile(path, 'utf8')) as FixtureFile;
  if (file.formatVersion !== 1)
    throw new Error(`${path}: unknown fixture format ${String(file.formatVersion)}`);
  return {
    file,
    createdAtMs: Date.parse(file.createdAt),
    areas: file.areas,
    units: file.units,
    cards: file.cards,
  };
}

/**
 * The accounts the chosen scenarios send as, so a run signs in no more users than it needs.
 * Builders pick accounts round-robin over areas (minutes: 3 per area), so the first 3 x areas + 4
 * iterations of each meet every account it will ever use.
 */
function usersFor(fixture: FixtureView, scenarios: readonly ScenarioName[]): string[] {
  const users = new Set<string>(['auditor', 'ops']);
  const span = 3 * fixture.areas.length + 4;
  for (const name of scenarios) {
    for (let iteration = 0; iteration < span; iteration += 1) {
      const spec = requestBuilders[name](fixture, { iteration, nowMs: fixture.createdAtMs });
      if (spec !== null) users.add(spec.user);
    }
  }
  return [...users];
}

export async function runLoad(options: DriverOptions): Promise<number> {
  const client = new ApiClient(options.baseUrl, options.password);
  try {
    return await runWith(client, options);
  } finally {
    await client.close();
  }
}

async function runWith(client: ApiClient, options: DriverOptions): Promise<number> {
  const { log } = options;
  const fixture = await loadFixture(options.fixturePath);
  log(
    `fixture: ${fixture.areas.length} areas, ${fixture.cards.length} cards, made ${fixture.file.createdAt}`,
  );

  // Check-ins, reports and incidents need open areas; each area's own account opens it.
  const opensAreas = options.scenarios.some((s) => s !== 'overviewReaders' && s !== 'minutes');
  const users = usersFor(fixture, options.scenarios);
  if (opensAreas) {
    for (let i = 0; i < fixture.areas.length; i += 1) {
      const area = fixture.areas[i];
      if (area !== undefined)
        users.push(openAreaRequest(area.pollingAreaId, area.electionDate).user);
    }
  }
  log(`signing in ${users.length} users ...`);
  await client.signInAll([...new Set(users)]);
  const head = await ledgerHead(client);
  log(
    head === undefined
      ? 'ledger: GET /api/v1/events answers 404 (endpoint missing): the run cannot be reconciled'
      : `ledger head before the run: ${head}`,
  );
  const fromPosition = (head ?? 0) + 1;

  if (opensAreas) await openAreas(client, fixture, log);
  const overviewBefore = await readOverview(client, 0);

  const plans = options.scenarios.map((name) => {
    const plan = scenarioPlan(name, options.scale, options.duration);
    return options.maxVUs === undefined ? plan : { ...plan, maxVUs: options.maxVUs };
  });
  const stats = new Map<ScenarioName, ScenarioStats>(
    plans.map((p) => [p.name, new ScenarioStats()]),
  );
  for (const p of plans) {
    log(`  ${p.name.padEnd(16)} ${p.rate}/${p.timeUnit} for ${p.duration}, maxVUs ${p.maxVUs}`);
  }
  const abort = new AbortController();
  const onSigint = (): void => abort.abort();
  process.once('SIGINT', onSigint);
  const startedAt = Date.now();
  const runs = new Map<ScenarioName, ArrivalRateRun>();
  for (const plan of plans) {
    const s = stats.get(plan.name) ?? new ScenarioStats();
    const builder = requestBuilders[plan.name];
    runs.set(
      plan.name,
      startArrivalRate({
        rate: plan.rate,
        timeUnitMs: plan.timeUnitMs,
        durationMs: plan.durationMs,
        maxVUs: plan.maxVUs,
        signal: abort.signal,
        iterate: async (iteration) => {
          const spec = builder(fixture, { iteration, nowMs: Date.now(), random: cryptoRandom });
          if (spec === null) {
            s.exhausted += 1;
            return;
          }
          s.record(spec, await client.send(spec));
        },
      }),
    );
  }
  const progress = setInterval(() => {
    const secs = ((Date.now() - startedAt) / 1_000).toFixed(0);
    const parts = plans.map((p) => {
      const s = stats.get(p.name);
      const c = runs.get(p.name)?.counters;
      if (s === undefined || c === undefined) return p.name;
      return `${p.name} ${s.ok}/${s.requests} ok, ${s.failed} err, ${c.dropped} dropped, p99 ${s.histogram.percentile(0.99).toFixed(1)} ms, ${c.active} busy`;
    });
    log(`[${secs}s] ${parts.join(' | ')}`);
  }, options.progressEveryMs);
  const counters = new Map<ScenarioName, Awaited<ArrivalRateRun['done']>>();
  try {
    for (const [name, run] of runs) counters.set(name, await run.done);
  } finally {
    clearInterval(progress);
    process.off('SIGINT', onSigint);
  }
  const elapsedS = (Date.now() - startedAt) / 1_000;

  // ---- report ----
  const thresholdsFailed: string[] = [];
  const scenarioSummaries = plans.map((plan) => {
    const s = stats.get(plan.name) ?? new ScenarioStats();
    const c = counters.get(plan.name);
    const lat = s.histogram.summary();
    const errorRate = s.errorRate();
    const passed = {
      errors: errorRate < thresholdTargets.maxErrorRate,
      p99: lat.p99 < thresholdTargets.p99Ms,
    };
    if (s.requests > 0 && (!passed.errors || !passed.p99)) thresholdsFailed.push(plan.name);
    printScenario(log, plan, s, c, elapsedS, passed);
    return {
      scenario: plan.name,
      plan,
      iterations: c,
      requests: s.requests,
      ok: s.ok,
      failed: s.failed,
      errorRate,
      endpointMissing: s.endpointMissing,
      fixtureExhausted: s.exhausted,
      throughputPerSecond: s.requests / elapsedS,
      latencyMs: lat,
      histogram: s.histogram.ranges(),
      statuses: Object.fromEntries(s.statuses),
      errorsByStatusAndCode: Object.fromEntries(s.codes),
      acceptedByArea: s.acceptedByArea,
      thresholds: passed,
    };
  });

  // ---- reconciliation ----
  log('\nreconciliation');
  const accepted: CountsByArea = {};
  const lastTurnout: Record<string, number> = {};
  let maxPosition = 0;
  for (const [name, s] of stats) {
    accepted[name] = s.acceptedByArea;
    Object.assign(lastTurnout, s.lastTurnout);
    maxPosition = Math.max(maxPosition, s.maxPosition);
  }
  const areaIds = new Set(
    Array.from({ length: fixture.areas.length }, (_, i) => fixture.areas[i]?.pollingAreaId ?? ''),
  );
  const ledger =
    head === undefined
      ? undefined
      : await countLedgerEvents(
          client,
          fromPosition,
          new Set(Object.values(ledgerEventOf)),
          areaIds,
        );
  log(
    ledger === undefined
      ? '  ledger: GET /api/v1/events is missing (endpoint missing): NOT reconciled'
      : `  ledger: ${ledger.scanned} events read from position ${fromPosition}`,
  );
  if (ledger !== undefined && ledger.outsideFixture > 0) {
    log(
      `  note: ${ledger.outsideFixture} counted events at areas outside the fixture (another writer?) are ignored`,
    );
  }
  const readModels = await readModelFigures(
    client,
    overviewBefore,
    maxPosition,
    options.scenarios,
    log,
  );
  const result = reconcile({
    accepted,
    ledger: ledger?.counts ?? {},
    lastTurnout,
    ...(readModels === undefined ? {} : { readModels }),
  });
  for (const t of result.totals) {
    log(
      `  ${t.scenario.padEnd(16)} 201s ${String(t.accepted).padStart(8)}  ${t.eventType.padEnd(24)} ${ledger === undefined ? '     n/a  not reconciled' : `${String(t.ledger).padStart(8)}  ${t.accepted === t.ledger ? 'ok' : 'MISMATCH'}`}`,
    );
  }
  // Without the ledger every area would "mismatch"; the totals above say enough.
  const shown = ledger === undefined ? [] : result.mismatches;
  for (const m of shown.slice(0, 30)) {
    log(
      `  MISMATCH ${m.check}${m.pollingAreaId === undefined ? '' : ` at ${m.pollingAreaId}`}: expected ${m.expected}, got ${m.actual}`,
    );
  }
  if (shown.length > 30) log(`  ... ${shown.length - 30} more mismatches`);
  const reconciled = ledger !== undefined && result.ok;
  log(
    ledger === undefined
      ? '  reconciliation: NOT POSSIBLE without GET /events; the run fails rather than pretend'
      : result.ok
        ? `  reconciliation: exact${readModels === undefined ? ' (ledger only: read models not available yet)' : ''}`
        : `  reconciliation: ${result.mismatches.length} mismatches`,
  );

  const summary = {
    startedAt: new Date(startedAt).toISOString(),
    elapsedSeconds: elapsedS,
    baseUrl: options.baseUrl,
    scale: options.scale,
    duration: options.duration,
    scenarios: scenarioSummaries,
    reconciliation: {
      ok: reconciled,
      ledger: ledger === undefined ? 'endpoint missing: GET /api/v1/events' : 'read',
      fromPosition,
      ledgerEventsRead: ledger?.scanned ?? 0,
      readModels: readModels === undefined ? 'not available yet' : readModels,
      totals: result.totals,
      mismatches: result.mismatches,
    },
  };
  await mkdir(dirname(options.summaryPath), { recursive: true });
  await writeFile(options.summaryPath, `${JSON.stringify(summary, null, 2)}\n`);
  log(`\nsummary: ${options.summaryPath}`);
  if (!reconciled) return 1;
  if (thresholdsFailed.length > 0) {
    log(
      `thresholds failed: ${thresholdsFailed.join(', ')}${options.enforceThresholds ? '' : ' (not enforced; --enforce-thresholds)'}`,
    );
    if (options.enforceThresholds) return 99;
  }
  return 0;
}

async function openAreas(
  client: ApiClient,
  fixture: FixtureView,
  log: (line: string) => void,
): Promise<void> {
  const outcomes = new Map<string, number>();
  for (let i = 0; i < fixture.areas.length; i += 1) {
    const area = fixture.areas[i];
    if (area === undefined) continue;
    const res = await client.send(
      openAreaRequest(area.pollingAreaId, area.electionDate, cryptoRandom),
    );
    const key =
      res.status === 201
        ? 'opened'
        : res.endpointMissing
          ? 'endpoint missing'
          : `${res.status} ${res.code ?? ''}`;
    outcomes.set(key, (outcomes.get(key) ?? 0) + 1);
  }
  log(`opening areas: ${[...outcomes].map(([k, n]) => `${n} ${k}`).join(', ')}`);
}

async function readModelFigures(
  client: ApiClient,
  before: ReadModelAnswer<OverviewFigures>,
  minPosition: number,
  scenarios: readonly ScenarioName[],
  log: (line: string) => void,
): Promise<ReadModelFigures | undefined> {
  const after = await readOverview(client, minPosition);
  const areas = scenarios.includes('turnoutReports')
    ? await readAreaTurnout(client, minPosition)
    : undefined;
  const figures: {
    overviewDelta?: ReturnType<typeof overviewDelta>;
    areaVotersVoted?: Record<string, number>;
  } = {};
  if (before.available && after.available)
    figures.overviewDelta = overviewDelta(before.value, after.value);
  else
    log(
      `  read models: not available yet (${after.available ? (before.available ? '' : before.why) : after.why})`,
    );
  if (areas?.available === true) figures.areaVotersVoted = areas.value;
  else if (areas !== undefined) log(`  read models: not available yet (${areas.why})`);
  return figures.overviewDelta === undefined && figures.areaVotersVoted === undefined
    ? undefined
    : figures;
}

function printScenario(
  log: (line: string) => void,
  plan: ScenarioPlan,
  s: ScenarioStats,
  c: Awaited<ArrivalRateRun['done']> | undefined,
  elapsedS: number,
  passed: { errors: boolean; p99: boolean },
): void {
  const lat = s.histogram.summary();
  log(`\n== ${plan.name} (${plan.rate}/${plan.timeUnit}, maxVUs ${plan.maxVUs})`);
  log(
    `  iterations: ${c?.scheduled ?? 0} scheduled, ${c?.started ?? 0} started, ${c?.dropped ?? 0} DROPPED (no free VU), ${s.exhausted} fixture exhausted, peak VUs ${c?.maxActive ?? 0}`,
  );
  log(
    `  requests:   ${s.requests} (${(s.requests / elapsedS).toFixed(1)}/s), ${s.ok} ok, ${s.failed} failed (${(s.errorRate() * 100).toFixed(3)} %)`,
  );
  if (s.endpointMissing > 0)
    log(`  ENDPOINT MISSING: ${s.endpointMissing} answers were 404 (no such route) or 501`);
  log(
    `  statuses:   ${[...s.statuses].map(([k, n]) => `${k === 0 ? 'no answer' : k}: ${n}`).join(', ')}`,
  );
  for (const [code, n] of [...s.codes].sort((a, b) => b[1] - a[1]).slice(0, 8))
    log(`    ${n} x ${code}`);
  log(
    `  latency ms: p50 ${lat.p50.toFixed(1)}  p90 ${lat.p90.toFixed(1)}  p99 ${lat.p99.toFixed(1)}  max ${lat.max.toFixed(1)}  mean ${lat.mean.toFixed(1)}`,
  );
  if (s.requests > 0) log(s.histogram.ascii());
  if (s.requests > 0) {
    log(
      `  thresholds: errors < ${thresholdTargets.maxErrorRate * 100} % ${passed.errors ? 'pass' : 'FAIL'}, p99 < ${thresholdTargets.p99Ms} ms ${passed.p99 ? 'pass' : 'FAIL'}`,
    );
  }
}
