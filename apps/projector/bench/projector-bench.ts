// The projector's benchmark: builds N valid events in memory (check-ins, turnout reports, polling
// areas opening and closing, over the real reference data), then measures
//   1. the projections alone (pure, in memory),
//   2. replay into a schema of its own with the batch writer (the auditor's replay / rebuild path),
//   3. live-style batches: 1,000 events per transaction with the checkpoint compare-and-set.
// Events are decoded from JSON in 2 and 3, as they arrive from the ledger or JetStream.
// Each figure is given per wall-clock second and per second of this process's CPU time (user +
// system, GC threads included; PostgreSQL's own CPU is not in it): on a shared 2-core machine the
// second one says what the code does when it has a core, the first what it got.
//
// Run: npm run bench -w @hpe/projector [-- --events 200000 --database-url postgresql://…]
// (the script gives V8 a 64 MiB young generation, --max-semi-space-size=64, as `npm start` does:
// a batch's events then die young instead of being promoted, which saves a third of the CPU).
// Without --database-url it starts its own durable PostgreSQL in a temporary folder.
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import {
  PollingAreaClosed,
  PollingAreaOpened,
  TurnoutReported,
  VoterCheckedIn,
  type RecordedEvent,
} from '@hpe/domain';
import { freePort, startPostgres, type RunningPostgres } from '@hpe/embedded';
import {
  allProjections,
  applyMigrations,
  commitBatch,
  ensureCheckpoints,
  liveSchema,
  loadReferenceModel,
  ProjectionEngine,
  readCheckpoints,
  SchemaReplay,
  seedReferenceData,
  type ReferenceModel,
} from '@hpe/read-models';
import pg from 'pg';

const { values } = parseArgs({
  options: {
    'database-url': { type: 'string' },
    events: { type: 'string', default: '200000' },
    'live-batch': { type: 'string', default: '1000' },
  },
});
const total = Number(values.events);
const liveBatch = Number(values['live-batch']);
const log = (line: string): void => {
  process.stderr.write(`[${new Date().toISOString().slice(11, 19)}] ${line}\n`);
};

const hash = '0'.repeat(64);
const hhmm = (minutes: number): string => {
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return `2026-03-15T${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}:00+07:00`;
};

/** A day in miniature: open, check-ins between four reporting rounds, close. All schema-valid. */
function buildDay(reference: ReferenceModel, n: number): RecordedEvent[] {
  const areas = [...reference.areas.keys()];
  const rounds = [9 * 60, 11 * 60, 14 * 60, 17 * 60];
  const checkInsTotal = n - areas.length * (2 + rounds.length);
  if (checkInsTotal < 0) throw new Error(`--events must be at least ${areas.length * 6}`);
  const events: RecordedEvent[] = [];
  const voted = new Map<string, number>();
  const push = (streamId: string, type: string, data: Record<string, unknown>, at: string) => {
    const position = events.length + 1;
    events.push({
      eventId: `01950000-0000-7000-8000-${position.toString(16).padStart(12, '0')}`,
      type,
      schemaVersion: 1,
      streamId,
      data,
      metadata: {
        occurredAt: at,
        actor: { id: 'bench', role: 'reporter' },
        correlationId: 'bench',
      },
      position,
      streamRevision: 0,
      recordedAt: new Date(at).toISOString(),
      prevHash: hash,
      hash,
    });
  };
  const open = (area: string) => {
    const data = PollingAreaOpened.parse({
      type: 'PollingAreaOpened',
      data: { pollingAreaId: area, at: hhmm(7 * 60) },
    }).data;
    push(`turnout-${area}`, 'PollingAreaOpened', data, data.at);
  };
  areas.forEach(open);
  let card = 0;
  const perRound = Math.floor(checkInsTotal / (rounds.length + 1));
  const checkIns = (count: number, atMinutes: number) => {
    for (let i = 0; i < count; i++) {
      const area = areas[card % areas.length] ?? '';
      const data = VoterCheckedIn.parse({
        type: 'VoterCheckedIn',
        data: {
          cardNumber: `${area}-${String(Math.floor(card / areas.length)).padStart(4, '0')}`,
          pollingAreaId: area,
          at: hhmm(atMinutes),
          ballots: ['na', 'city', 'commune'],
        },
      }).data;
      voted.set(area, (voted.get(area) ?? 0) + 1);
      push(`voter-${card.toString(16).padStart(64, '0')}`, 'VoterCheckedIn', data, data.at);
      card += 1;
    }
  };
  for (const round of rounds) {
    checkIns(perRound, round - 30);
    for (const area of areas) {
      const data = TurnoutReported.parse({
        type: 'TurnoutReported',
        data: { pollingAreaId: area, asOf: hhmm(round), votersVoted: voted.get(area) ?? 0 },
      }).data;
      push(`turnout-${area}`, 'TurnoutReported', data, data.asOf);
    }
  }
  checkIns(checkInsTotal - perRound * rounds.length, 18 * 60);
  for (const area of areas) {
    const data = PollingAreaClosed.parse({
      type: 'PollingAreaClosed',
      data: { pollingAreaId: area, at: hhmm(19 * 60), votersVoted: voted.get(area) ?? 0 },
    }).data;
    push(`turnout-${area}`, 'PollingAreaClosed', data, data.at);
  }
  return events;
}

async function main(): Promise<void> {
  let cluster: RunningPostgres | undefined;
  let dir: string | undefined;
  let adminUrl = values['database-url'];
  if (adminUrl === undefined) {
    dir = mkdtempSync(join(tmpdir(), 'hpe-projector-bench-'));
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
  const dbName = `projector_bench_${Date.now().toString(36)}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${dbName}`);
  const url = new URL(adminUrl);
  url.pathname = `/${dbName}`;
  const client = new pg.Client({ connectionString: url.toString() });
  try {
    await applyMigrations(url.toString());
    await seedReferenceData(url.toString(), { seed: 'haiphong-2026' });
    await client.connect();
    const reference = await loadReferenceModel(client);
    log(`building ${total} events`);
    const events = buildDay(reference, total);
    const wire = events.map((e) => JSON.stringify(e));
    const figures: Record<string, unknown> = {
      events: events.length,
      cpus: cpus().length,
      cpu: cpus()[0]?.model,
      loadAverage1m: Math.round((loadavg()[0] ?? 0) * 10) / 10,
    };
    /** Runs one step, recording events per wall-clock second and per CPU second. */
    const measure = async (name: string, step: () => Promise<void>): Promise<void> => {
      const cpu0 = process.cpuUsage();
      const t0 = performance.now();
      await step();
      const wall = (performance.now() - t0) / 1000;
      const cpu = process.cpuUsage(cpu0);
      const cpuSeconds = (cpu.user + cpu.system) / 1e6;
      figures[name] = {
        eventsPerSecond: Math.round(events.length / wall),
        eventsPerCpuSecond: Math.round(events.length / cpuSeconds),
        seconds: Math.round(wall * 10) / 10,
      };
      log(
        `${name}: ${Math.round(events.length / wall)} events/s (${Math.round(events.length / cpuSeconds)} per CPU second)`,
      );
    };

    // 1. The projections alone.
    await measure('projectionsOnly', async () => {
      const engine = new ProjectionEngine(allProjections, reference);
      engine.seed();
      for (let i = 0; i < events.length; i += 10_000) engine.apply(events.slice(i, i + 10_000));
    });

    // 2. Replay into a schema of its own (decode + project + batch writer).
    {
      const replay = new SchemaReplay(client, 'bench_replay', allProjections, reference, {
        flushEvery: 50_000,
      });
      await replay.begin();
      await measure('replay', async () => {
        for (let i = 0; i < wire.length; i += 5_000) {
          await replay.push(wire.slice(i, i + 5_000).map((w) => JSON.parse(w) as RecordedEvent));
        }
        await replay.flush();
      });
    }

    // 3. Live-style: one transaction per batch with the checkpoint compare-and-set.
    {
      const engine = new ProjectionEngine(allProjections, reference);
      await ensureCheckpoints(client, liveSchema, engine.names);
      let expected = await readCheckpoints(client, liveSchema, engine.names);
      engine.seed();
      if (!(await commitBatch(client, liveSchema, expected, 0, engine.takeDirty()))) {
        throw new Error('checkpoint moved');
      }
      await measure('liveBatches', async () => {
        for (let i = 0; i < wire.length; i += liveBatch) {
          engine.apply(wire.slice(i, i + liveBatch).map((w) => JSON.parse(w) as RecordedEvent));
          const ok = await commitBatch(
            client,
            liveSchema,
            expected,
            engine.position,
            engine.takeDirty(),
          );
          if (!ok) throw new Error('checkpoint moved');
          expected = new Map(
            [...expected].map(([k, c]) => [k, { ...c, position: engine.position }]),
          );
        }
      });
      figures['liveBatchSize'] = liveBatch;
      const { rows } = await client.query<{ check_ins: number; voters_voted: number }>(
        'SELECT check_ins, voters_voted FROM city_overview WHERE id = 1',
      );
      // The figures must be right, not only fast: every check-in counted once, in both schemas.
      const checkIns = events.filter((e) => e.type === 'VoterCheckedIn').length;
      const replayed = await client.query<{ check_ins: number }>(
        'SELECT check_ins FROM bench_replay.city_overview WHERE id = 1',
      );
      if (rows[0]?.check_ins !== checkIns || replayed.rows[0]?.check_ins !== checkIns) {
        throw new Error(
          `check-ins: expected ${checkIns}, live ${rows[0]?.check_ins}, replay ${replayed.rows[0]?.check_ins}`,
        );
      }
      figures['checkInsCounted'] = checkIns;
    }
    console.log(JSON.stringify(figures, null, 2));
  } finally {
    await client.end().catch(() => undefined);
    await admin.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`).catch(() => undefined);
    await admin.end();
    await cluster?.stop();
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
