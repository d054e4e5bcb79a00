// The auditor's replay against the real thing: a day of events appended through the real ledger
// service and projected by the real projector, then `hpe-audit replay` / `diff` run as the built
// command line, as an auditor would run it.
import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { electionDay, type DayAppend } from './election-day.test-support.js';
import { readLiveSnapshot, type ReadModelSnapshot } from './read-model-replay.js';
import { runCli } from './run-cli.js';
import { startReplayWorld, type ReplayWorld } from './replay-world.test-support.js';

const run = promisify(execFile);
const packageDir = fileURLToPath(new URL('..', import.meta.url));
const cliPath = join(packageDir, 'dist', 'cli.js');

interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

async function cli(...args: string[]): Promise<CliRun> {
  try {
    const { stdout, stderr } = await run(process.execPath, [cliPath, ...args], {
      env: { PATH: process.env.PATH ?? '' },
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code?: unknown; stdout?: string; stderr?: string };
    if (typeof e.code !== 'number') throw error;
    return { code: e.code, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

interface TableJson {
  table: string;
  rows: number;
  sha256: string;
}

const digests = (snapshot: ReadModelSnapshot): TableJson[] =>
  [...snapshot.tables.values()].map((t) => ({ table: t.table, rows: t.rows, sha256: t.sha256 }));

/** Vietnam time of a UTC instant, as an auditor in Hải Phòng would type it. */
function inVietnam(utc: string): string {
  const local = new Date(Date.parse(utc) + 7 * 3_600_000).toISOString();
  return `${local.slice(0, 23)}+07:00`;
}

let world: ReplayWorld;
let url: string;
/** The live read models part-way through the day, and the position they stood at. */
let earlier: { snapshot: ReadModelSnapshot; position: number; recordedAt: string };
let head: number;
let areaIds: string[];

beforeAll(async () => {
  // The test runs the compiled program; build it so the test never checks stale output.
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  await run(process.execPath, [tsc, '-p', join(packageDir, 'tsconfig.build.json')]);

  world = await startReplayWorld();
  url = world.db.url;
  const reference = world.reference;
  // A commune council unit of a few areas (its result is declared), and the areas of another.
  const unit = [...reference.units.values()].find(
    (u) => u.level === 'commune' && u.areaIds.size >= 2 && u.areaIds.size <= 4,
  );
  if (unit === undefined) throw new Error('no small commune unit in the reference data');
  const unitAreas = [...unit.areaIds].sort();
  const firstCommune = reference.areas.get(unitAreas[0] ?? '')?.communeId;
  const otherCommune = reference.communeIds.find((c) => c !== firstCommune) ?? '';
  const others = (reference.areasByCommune.get(otherCommune) ?? [])
    .slice(0, 3)
    .map((a) => a.pollingAreaId);
  areaIds = [...unitAreas, ...others];
  const day: DayAppend[] = [
    ...electionDay(reference, {
      areaIds,
      turnout: 0.15,
      incidents: 6,
      declareUnitId: unit.unitId,
      reusedCardEvery: 150,
    }),
  ];
  // Morning first: the auditor will ask for the read models as they stood at its end.
  const morning = Math.floor(day.length * 0.4);
  const morningHead = await world.appendAll(day.slice(0, morning));
  await world.projector.waitFor(morningHead, 30_000);
  const snapshot = await readLiveSnapshot(url);
  const position = snapshot.checkpoints.get('progress') ?? 0;
  const [row] = await world.query<{ recorded_at: string }>(
    `SELECT to_char(recorded_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS recorded_at
       FROM ledger.events WHERE position = $1`,
    [position],
  );
  earlier = { snapshot, position, recordedAt: row?.recorded_at ?? '' };
  // Later events get later recordedAt values than the morning's last one.
  await new Promise((resolve) => setTimeout(resolve, 20));
  await world.appendAll(day.slice(morning));
  // The detector's anomalies, then an operator acknowledging one and dismissing another.
  const { anomalies, appended } = await world.detectAnomalies();
  if (appended < 2) throw new Error(`expected anomalies in the day, got ${appended}`);
  const [first, second] = anomalies;
  await world.append({
    streamId: `anomaly-${first?.data.anomalyId ?? ''}`,
    at: '2026-03-15T19:30:00+07:00',
    events: [
      {
        type: 'AnomalyAcknowledged',
        data: { anomalyId: first?.data.anomalyId ?? '', note: 'Đã gọi điện xác minh' },
      },
    ],
  });
  head = await world.append({
    streamId: `anomaly-${second?.data.anomalyId ?? ''}`,
    at: '2026-03-15T19:31:00+07:00',
    events: [
      {
        type: 'AnomalyDismissed',
        data: { anomalyId: second?.data.anomalyId ?? '', reason: 'Cử tri thử lại thẻ, không sao' },
      },
    ],
  });
  await world.projector.waitFor(head, 60_000);
}, 240_000);

afterAll(async () => {
  await world?.stop();
}, 60_000);

/** What a superuser can do to a live read-model table, undone after `check`. */
async function withSuperuser(sql: string, undo: string, check: () => Promise<void>) {
  await world.query(sql);
  try {
    await check();
  } finally {
    await world.query(undo);
  }
}

/** What a superuser can do to ledger.events despite its triggers, undone after `check`. */
async function withLedgerEdit(set: string, position: number, check: () => Promise<void>) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const [{ data } = { data: null }] = (
      await client.query<{ data: unknown }>('SELECT data FROM ledger.events WHERE position = $1', [
        position,
      ])
    ).rows;
    await client.query('ALTER TABLE ledger.events DISABLE TRIGGER USER');
    await client.query(`UPDATE ledger.events SET data = ${set} WHERE position = $1`, [position]);
    try {
      await check();
    } finally {
      await client.query('UPDATE ledger.events SET data = $2 WHERE position = $1', [
        position,
        JSON.stringify(data),
      ]);
      await client.query('ALTER TABLE ledger.events ENABLE TRIGGER USER');
    }
  } finally {
    await client.end();
  }
}

describe('hpe-audit replay and diff after a simulated day', () => {
  it('projected a realistic day: every read model has rows', async () => {
    const [counts] = await world.query<Record<string, string>>(`SELECT
      (SELECT count(*) FROM ledger.events WHERE type = 'VoterCheckedIn')::text AS check_ins,
      (SELECT check_ins FROM city_overview WHERE id = 1)::text AS overview_check_ins,
      (SELECT count(*) FROM incident WHERE status = 'resolved')::text AS resolved,
      (SELECT count(*) FROM tally_minute)::text AS minutes,
      (SELECT count(*) FROM tally_minute WHERE version = 2)::text AS corrected,
      (SELECT count(*) FROM unit_result WHERE declared)::text AS declared,
      (SELECT count(*) FROM anomaly WHERE status = 'acknowledged')::text AS acknowledged,
      (SELECT count(*) FROM anomaly WHERE status = 'dismissed')::text AS dismissed,
      (SELECT count(*) FROM anomaly WHERE kind = 'card_reused')::text AS card_reused,
      (SELECT count(*) FROM turnout_timeline WHERE scope_kind = 'area')::text AS timeline`);
    expect(Number(counts?.check_ins)).toBeGreaterThan(500);
    expect(counts?.overview_check_ins).toBe(counts?.check_ins);
    expect(counts).toMatchObject({
      resolved: '6',
      corrected: '1',
      declared: '1',
      acknowledged: '1',
      dismissed: '1',
    });
    expect(Number(counts?.card_reused)).toBeGreaterThanOrEqual(2);
    expect(Number(counts?.minutes)).toBe(areaIds.length * 3);
    expect(Number(counts?.timeline)).toBeGreaterThan(areaIds.length);
  });

  it('replay --compare: the replay equals the live read models, table by table (exit 0)', async () => {
    const result = await cli('replay', '--database-url', url, '--compare');
    expect(result.stderr).toMatch(/replay: [\d,]+ events in [\d.]+ s \([\d,]+ events\/s\)/);
    const at = /ok: the live read models equal the replay of the log at position (\d+) /.exec(
      result.stdout,
    );
    // The ledger may have signed a checkpoint (an event of its own) since the day's last append.
    expect(Number(at?.[1])).toBeGreaterThanOrEqual(head);
    expect(result.stdout).not.toContain('DIFFERS');
    expect(result.code).toBe(0);

    const json = await cli('diff', '--database-url', url, '--json');
    expect(json.code).toBe(0);
    const parsed = JSON.parse(json.stdout) as {
      equal: boolean;
      position: number;
      schema: string;
      tables: { table: string; equal: boolean; live: TableJson; replay: TableJson }[];
    };
    expect(parsed.equal).toBe(true);
    expect(parsed.position).toBeGreaterThanOrEqual(head);
    const live = digests(await readLiveSnapshot(url));
    expect(parsed.tables.map((t) => t.replay)).toEqual(live);
    expect(parsed.tables.map((t) => t.live)).toEqual(live);
    // The digests cover real content, not empty tables.
    for (const t of live) expect(t.rows, t.table).toBeGreaterThan(0);
    const [overview] = await world.query<{ check_ins: number }>(
      `SELECT check_ins FROM ${parsed.schema}.city_overview WHERE id = 1`,
    );
    const [checkIns] = await world.query<{ n: string }>(
      "SELECT count(*)::text AS n FROM ledger.events WHERE type = 'VoterCheckedIn'",
    );
    expect(overview?.check_ins).toBe(Number(checkIns?.n));
  });

  it('--to-position reproduces the read models as they stood earlier in the day', async () => {
    expect(earlier.position).toBeLessThan(head);
    const result = await cli(
      'replay',
      '--database-url',
      url,
      '--to-position',
      String(earlier.position),
      '--schema',
      'replay_morning',
      '--json',
    );
    expect(result.code).toBe(0);
    const parsed = JSON.parse(result.stdout) as {
      position: number;
      head: number;
      schema: string;
      tables: TableJson[];
    };
    expect(parsed).toMatchObject({ position: earlier.position, schema: 'replay_morning' });
    expect(parsed.head).toBeGreaterThanOrEqual(head);
    expect(parsed.tables).toEqual(digests(earlier.snapshot));
    // And it is not today's state: the day went on after the morning.
    expect(parsed.tables).not.toEqual(digests(await readLiveSnapshot(url)));

    const text = await cli(
      'replay',
      '--database-url',
      url,
      '--to-position',
      String(earlier.position),
    );
    expect(text.code).toBe(0);
    expect(text.stdout).toContain(`ok: replayed the read models to position ${earlier.position}`);
    for (const t of digests(earlier.snapshot)) {
      expect(text.stdout).toMatch(new RegExp(`${t.table}\\s+${t.rows} rows\\s+sha256 ${t.sha256}`));
    }
  });

  it('--to-time replays to the last event recorded at or before that time', async () => {
    const at = inVietnam(earlier.recordedAt);
    const [expected] = await world.query<{ position: string }>(
      'SELECT max(position)::text AS position FROM ledger.events WHERE recorded_at <= $1::timestamptz',
      [at],
    );
    const result = await cli('replay', '--database-url', url, '--to-time', at, '--json');
    expect(result.code).toBe(0);
    const parsed = JSON.parse(result.stdout) as {
      position: number;
      recordedAt: string;
      tables: TableJson[];
    };
    expect(parsed.position).toBe(Number(expected?.position));
    expect(Date.parse(parsed.recordedAt)).toBeLessThanOrEqual(Date.parse(at));
    // Only the ledger's own checkpoint events can share that millisecond; they change no row.
    expect(parsed.tables).toEqual(digests(earlier.snapshot));

    const before = await cli('replay', '--database-url', url, '--to-time', '2026-01-01T00:00:00Z');
    expect(before.code).toBe(0);
    expect(before.stdout).toContain('position 0 (before the first event)');
  });

  it('diff --schema carries an earlier replay forward to the live position and compares', async () => {
    const made = await cli(
      'replay',
      '--database-url',
      url,
      '--schema',
      'replay_carried',
      '--to-position',
      String(earlier.position),
    );
    expect(made.code).toBe(0);
    const result = await cli('diff', '--database-url', url, '--schema', 'replay_carried');
    expect(result.stderr).toContain(
      `note: the replay in replay_carried stood at position ${earlier.position}; replaying`,
    );
    expect(result.stdout).toContain('ok: the live read models equal the replay');
    expect(result.code).toBe(0);
    // Already there: compared as it stands.
    const again = await cli('diff', '--database-url', url, '--schema', 'replay_carried');
    expect(again.stderr).not.toContain('note: the replay');
    expect(again.code).toBe(0);
  });

  it('a superuser edit of a live read-model row: diff exits 1 and names the table and the row', async () => {
    const area = areaIds[1] ?? '';
    const [row] = await world.query<{ check_ins: number }>(
      'SELECT check_ins FROM polling_area_status WHERE polling_area_id = $1',
      [area],
    );
    const checkIns = row?.check_ins ?? 0;
    await withSuperuser(
      `UPDATE polling_area_status SET check_ins = check_ins + 1 WHERE polling_area_id = '${area}';
       INSERT INTO incident SELECT 'inc-forged', polling_area_id, commune_id, category, severity,
         status, description, occurred_at, reported_at, updated_at, assigned_unit, resolution, notes,
         history_count, position FROM incident ORDER BY incident_id LIMIT 1`,
      `UPDATE polling_area_status SET check_ins = check_ins - 1 WHERE polling_area_id = '${area}';
       DELETE FROM incident WHERE incident_id = 'inc-forged'`,
      async () => {
        const result = await cli('diff', '--database-url', url);
        expect(result.stdout).toMatch(/DIFFERS\s+polling_area_status/);
        expect(result.stdout).toContain(
          `row polling_area_id=${area}: check_ins live ${checkIns + 1} replay ${checkIns}`,
        );
        expect(result.stdout).toMatch(/DIFFERS\s+incident/);
        expect(result.stdout).toContain('row incident_id=inc-forged: only in the live table');
        expect(result.stdout).toMatch(/equal\s+city_overview/);
        expect(result.stdout).toMatch(
          /FAILED: 2 of 9 tables differ from the replay of the log at position \d+: polling_area_status, incident/,
        );
        expect(result.code).toBe(1);
        const json = await cli('diff', '--database-url', url, '--json', '--sample', '1');
        expect(json.code).toBe(1);
        const parsed = JSON.parse(json.stdout) as {
          equal: boolean;
          differing: string[];
          tables: { table: string; changed: number; sample: { key: unknown }[] }[];
        };
        expect(parsed.equal).toBe(false);
        expect(parsed.differing).toEqual(['polling_area_status', 'incident']);
        expect(parsed.tables.find((t) => t.table === 'polling_area_status')).toMatchObject({
          changed: 1,
          sample: [{ key: { polling_area_id: area } }],
        });
      },
    );
    expect((await cli('diff', '--database-url', url)).code).toBe(0);
  });

  it('an event edited in the ledger after the fact: the read models no longer match the log', async () => {
    const [moved] = await world.query<{ position: string; area: string }>(
      `SELECT position::text, data->>'pollingAreaId' AS area FROM ledger.events
        WHERE type = 'VoterCheckedIn' ORDER BY position LIMIT 1`,
    );
    const target = areaIds.find((a) => a !== moved?.area) ?? '';
    await withLedgerEdit(
      `jsonb_set(data, '{pollingAreaId}', '"${target}"')`,
      Number(moved?.position),
      async () => {
        const result = await cli('diff', '--database-url', url);
        expect(result.code).toBe(1);
        expect(result.stdout).toMatch(/DIFFERS\s+polling_area_status/);
        expect(result.stdout).toContain(`row polling_area_id=${target}: check_ins live`);
      },
    );
    await withLedgerEdit(
      `'{"cardNumber": "not a card"}'::jsonb`,
      Number(moved?.position),
      async () => {
        const result = await cli('replay', '--database-url', url);
        expect(result.code).toBe(1);
        expect(result.stdout).toMatch(
          new RegExp(
            `^FAILED at position ${moved?.position}: REPLAY_FAILED \\(.*does not match its schema`,
          ),
        );
      },
    );
  });

  it('refuses hostile or impossible arguments with usage errors (exit 2), unreachable databases with 3', async () => {
    const usage: string[][] = [
      ['replay'],
      ['replay', '--database-url', 'mysql://root@localhost/hpe'],
      ['replay', '--database-url', url, '--to-position', '0'],
      ['replay', '--database-url', url, '--to-position', '-5'],
      ['replay', '--database-url', url, '--to-position', '1e3'],
      ['replay', '--database-url', url, '--to-position', '99999999999999999999'],
      ['replay', '--database-url', url, '--to-position', String(head + 1_000_000)],
      ['replay', '--database-url', url, '--to-time', '14:15'],
      ['replay', '--database-url', url, '--to-time', '2026-03-15T14:15:00'],
      ['replay', '--database-url', url, '--to-time', '2026-13-45T99:00:00Z'],
      ['replay', '--database-url', url, '--to-time', "2026-03-15T14:15:00Z'; DROP TABLE x"],
      ['replay', '--database-url', url, '--to-position', '5', '--to-time', '2026-03-15T14:15:00Z'],
      ['replay', '--database-url', url, '--compare', '--to-position', '5'],
      ['replay', '--database-url', url, '--sample', '3'],
      ['replay', '--database-url', url, '--compare', '--sample', 'lots'],
      ['replay', '--database-url', url, '--schema', 'public'],
      ['replay', '--database-url', url, '--schema', 'ledger'],
      ['replay', '--database-url', url, '--schema', 'replay_X'],
      ['replay', '--database-url', url, '--schema', 'replay_a; DROP SCHEMA public CASCADE'],
      ['replay', '--database-url', url, '--schema', `replay_${'a'.repeat(60)}`],
      ['replay', '--database-url', url, '--force'],
      ['replay', '--database-url', url, 'extra'],
      ['diff', '--database-url', url, '--schema', 'replay_nothing_here'],
      ['diff', '--database-url', url, '--to-position', '3'],
      ['diff', '--database-url', url, '--sample', '1001'],
    ];
    // In-process, as the built program runs them (a few through it below): spawning thirty
    // processes would only test Node's start-up.
    for (const args of usage) {
      const err: string[] = [];
      const out: string[] = [];
      const code = await runCli(args, {
        out: (line) => out.push(line),
        err: (line) => err.push(line),
        env: {},
      });
      expect({ args, code, out }).toEqual({ args, code: 2, out: [] });
      expect(err.join('\n')).toMatch(/^hpe-audit: /);
    }
    for (const args of [usage[3], usage[10], usage[18]]) {
      const result = await cli(...(args ?? []));
      expect({ args, code: result.code }).toEqual({ args, code: 2 });
    }
    // A schema that is not a replay's is never dropped to make room for one.
    await world.query('CREATE SCHEMA replay_foreign; CREATE TABLE replay_foreign.notes (n int)');
    const foreign = await cli('replay', '--database-url', url, '--schema', 'replay_foreign');
    expect(foreign.code).toBe(2);
    expect(foreign.stderr).toContain('holds tables that are not a replay');
    expect(
      await world.query("SELECT 1 FROM pg_tables WHERE schemaname = 'replay_foreign'"),
    ).toHaveLength(1);
    // A replay ahead of the live read models cannot be compared with them.
    await world.query('UPDATE replay_carried.projection_checkpoint SET position = position + 1000');
    const ahead = await cli('diff', '--database-url', url, '--schema', 'replay_carried');
    expect(ahead.code).toBe(2);
    expect(ahead.stderr).toContain('after the live read models');

    const unreachable = await cli('replay', '--database-url', 'postgres://nobody@127.0.0.1:1/hpe');
    expect(unreachable.code).toBe(3);
    expect(unreachable.stderr).toContain('cannot connect to the database');
    const missing = new URL(url);
    missing.pathname = '/no_such_database_here';
    const noDatabase = await cli('diff', '--database-url', missing.toString());
    expect(noDatabase.code).toBe(3);
  });
});
