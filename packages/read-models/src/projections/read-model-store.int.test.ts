import { readFileSync } from 'node:fs';
import type { RecordedEvent } from '@hpe/domain';
import { fileURLToPath } from 'node:url';
import type {} from '@hpe/test-kit/global-setup';
import { createTestDatabase, type TestDatabase } from '@hpe/test-kit';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { applyMigrations } from '../migrate.js';
import { allProjections } from './index.js';
import { ProjectionEngine } from './projection-engine.js';
import { eventLog, reference, vn } from './projection-fixtures.test-support.js';
import type { DirtyRows } from './projection-engine.js';
import {
  commitBatch,
  ensureCheckpoints,
  loadRows,
  readCheckpoints,
  writeRows,
} from './read-model-store.js';
import { rebuildLive, SchemaReplay } from './replay.js';
import { rowKey, tableNames, tableSpecs, type ColumnType } from './tables.js';

let db: TestDatabase;
let client: pg.Client;
beforeAll(async () => {
  db = await createTestDatabase(inject('postgresAdminUrl'), 'read_models');
  await applyMigrations(db.url);
  client = new pg.Client({ connectionString: db.url });
  await client.connect();
});
afterAll(async () => {
  await client.end();
  await db.drop();
});

const pgTypes: Record<ColumnType, string> = {
  text: 'text',
  integer: 'integer',
  bigint: 'bigint',
  boolean: 'boolean',
  timestamptz: 'timestamp with time zone',
  jsonb: 'jsonb',
};

/** Column names per @@map'ed model of schema.prisma. */
function prismaColumns(): Map<string, string[]> {
  const text = readFileSync(
    fileURLToPath(new URL('../../prisma/schema.prisma', import.meta.url)),
    'utf8',
  );
  const out = new Map<string, string[]>();
  for (const block of text.matchAll(/model \w+ \{([^}]*)\}/g)) {
    const body = block[1] ?? '';
    const table = /@@map\("(\w+)"\)/.exec(body)?.[1];
    if (table === undefined) continue;
    const columns: string[] = [];
    for (const line of body.split('\n').map((l) => l.trim())) {
      if (line === '' || line.startsWith('@@') || line.startsWith('//')) continue;
      const [field, type] = line.split(/\s+/);
      if (field === undefined || type === undefined || /^[A-Z]\w*(\[\])?\??$/.test(type) === false)
        continue;
      // Relations (a model type) have no column.
      if (!/^(String|Int|BigInt|Boolean|DateTime|Json|Decimal)\??$|^String\[\]$/.test(type))
        continue;
      columns.push(/@map\("(\w+)"\)/.exec(line)?.[1] ?? field);
    }
    out.set(table, columns.sort());
  }
  return out;
}

describe('the read-model tables', () => {
  it('match in the migration, in schema.prisma and in the writer’s column list', async () => {
    const prisma = prismaColumns();
    for (const table of [...tableNames, 'projection_checkpoint'] as const) {
      const { rows } = await client.query<{ column_name: string; data_type: string }>(
        `SELECT column_name, data_type FROM information_schema.columns
         WHERE table_schema = 'public' AND table_name = $1 ORDER BY column_name`,
        [table],
      );
      expect(rows.length, table).toBeGreaterThan(0);
      expect(prisma.get(table), table).toEqual(rows.map((r) => r.column_name));
      if (table === 'projection_checkpoint') continue;
      const spec = tableSpecs[table];
      expect(spec.columns.map((c) => [c.name, pgTypes[c.type]]).sort(), table).toEqual(
        rows.map((r) => [r.column_name, r.data_type]),
      );
      expect(spec.columns.at(-1)?.name).toBe('position');
    }
  });
});

function dayLog() {
  const { events, add } = eventLog();
  const area = 'PA-10001-001';
  add(`turnout-${area}`, 'PollingAreaOpened', { pollingAreaId: area, at: vn('07:00') });
  add(`turnout-${area}`, 'TurnoutReported', {
    pollingAreaId: area,
    asOf: vn('09:00'),
    votersVoted: 300,
  });
  add('voter-1', 'VoterCheckedIn', {
    cardNumber: `${area}-0001`,
    pollingAreaId: area,
    at: vn('09:01'),
    ballots: ['na', 'city', 'commune'],
  });
  add('incident-I1', 'IncidentReported', {
    incidentId: 'I1',
    pollingAreaId: area,
    communeId: '10001',
    category: 'equipment',
    severity: 'low',
    description: 'printer jam',
    occurredAt: vn('09:05'),
  });
  add(`turnout-${area}`, 'TurnoutReported', {
    pollingAreaId: area,
    asOf: vn('11:00'),
    votersVoted: 600,
  });
  return events;
}

describe('writing and reading rows', () => {
  it('round-trips every row of every projection exactly', async () => {
    const engine = new ProjectionEngine(allProjections, reference);
    engine.seed();
    engine.apply(dayLog());
    await client.query('BEGIN');
    await writeRows(client, 'public', engine.takeDirty());
    await client.query('COMMIT');
    for (const table of engine.tables) {
      const loaded = await loadRows(client, 'public', table);
      // Same rows, same values (jsonb keeps its own key order, which toEqual ignores).
      const byKey = (rows: readonly object[]) =>
        [...rows].sort((a, b) =>
          rowKey(table, a as never).localeCompare(rowKey(table, b as never)),
        );
      expect(byKey(loaded), table).toEqual(byKey(engine.rows(table)));
    }
  });

  it('moves the checkpoint only from where the caller saw it', async () => {
    await ensureCheckpoints(client, 'public', ['a', 'b']);
    const seen = await readCheckpoints(client, 'public', ['a', 'b']);
    expect(await commitBatch(client, 'public', seen, 10, {})).toBe(true);
    // A second projector still holding the old view loses, and writes nothing.
    const rows = { city_overview: [{ id: 99, ...zeroOverview, position: 10 }] };
    expect(await commitBatch(client, 'public', seen, 20, rows)).toBe(false);
    const { rows: found } = await client.query('SELECT 1 FROM city_overview WHERE id = 99');
    expect(found).toHaveLength(0);
    expect((await readCheckpoints(client, 'public', ['a', 'b'])).get('b')).toEqual({
      position: 10,
      generation: 0,
    });
  });
});

const zeroOverview = {
  voters_on_list: 0,
  voters_voted: 0,
  check_ins: 0,
  polling_areas_total: 0,
  polling_areas_opened: 0,
  polling_areas_reported: 0,
  polling_areas_closed: 0,
  minutes_expected: 0,
  minutes_received: 0,
};

async function* pagesOf(events: readonly RecordedEvent[], from: number, to: number) {
  yield events.filter((e) => e.position >= from && e.position <= to);
}

describe('replay and rebuild', () => {
  it('replays into a schema of its own the same rows the engine holds', async () => {
    const events = dayLog();
    const replay = new SchemaReplay(client, 'replay_test', allProjections, reference, {
      flushEvery: 2,
    });
    await replay.begin();
    for (const e of events) await replay.push([e]);
    await replay.flush();
    const live = new ProjectionEngine(allProjections, reference);
    live.seed();
    live.apply(events);
    for (const table of live.tables) {
      const loaded = await loadRows(client, 'replay_test', table);
      expect(loaded.length, table).toBe(live.rows(table).length);
    }
    expect(await readCheckpoints(client, 'replay_test', ['progress'])).toEqual(
      new Map([['progress', { position: 5, generation: 0 }]]),
    );
  });

  it('rebuilds one projection in place, catching up to the live checkpoint and raising its generation', async () => {
    const events = dayLog();
    await client.query('DELETE FROM projection_checkpoint');
    await client.query('DELETE FROM incident');
    await ensureCheckpoints(client, 'public', ['incidents']);
    await client.query("UPDATE projection_checkpoint SET position = 5 WHERE name = 'incidents'");
    const incidents = allProjections.filter((p) => p.name === 'incidents');
    const report = await rebuildLive({
      db: client,
      projections: incidents,
      reference,
      pages: (from, to) => pagesOf(events, from, to),
    });
    expect(report).toMatchObject({ position: 5, events: 5, tables: ['incident'] });
    const rows = await loadRows(client, 'public', 'incident');
    expect(rows).toEqual([
      expect.objectContaining({ incident_id: 'I1', status: 'reported', position: 4 }),
    ]);
    expect((await readCheckpoints(client, 'public', ['incidents'])).get('incidents')).toEqual({
      position: 5,
      generation: 1,
    });
  });

  it('gives the same rows live (batches, state reloaded from the database each time) as in one replay', async () => {
    const events = richDay();
    const live = 'live_eq';
    await client.query(`DROP SCHEMA IF EXISTS ${live} CASCADE`);
    await new SchemaReplay(client, live, allProjections, reference).begin();
    const names = allProjections.map((p) => p.name);
    for (let from = 0; from < events.length; from += 3) {
      // A fresh engine per batch, as after a restart: everything it knows comes from the tables.
      const engine = new ProjectionEngine(allProjections, reference);
      const checkpoints = await readCheckpoints(client, live, names);
      if (from === 0) engine.seed();
      else {
        const rows: Record<string, unknown[]> = {};
        for (const table of engine.tables) rows[table] = await loadRows(client, live, table);
        engine.load(from, rows as DirtyRows);
      }
      engine.apply(events.slice(from, from + 3));
      expect(
        await commitBatch(client, live, checkpoints, engine.position, engine.takeDirty()),
      ).toBe(true);
    }
    const replay = new SchemaReplay(client, 'replay_eq', allProjections, reference);
    await replay.begin();
    await replay.push(events);
    await replay.flush();
    for (const table of replay.engine.tables) {
      const order = `ORDER BY ${tableSpecs[table].primaryKey.join(', ')}`;
      const a = await client.query(`SELECT * FROM ${live}.${table} ${order}`);
      const b = await client.query(`SELECT * FROM replay_eq.${table} ${order}`);
      expect(a.rows, table).toEqual(b.rows);
      expect(a.rows.length, table).toBeGreaterThan(0);
    }
  });
});

function richDay() {
  const { events, add } = eventLog();
  const [a1, a2, a3] = ['PA-10001-001', 'PA-10001-002', 'PA-10002-001'];
  for (const a of [a1, a2, a3])
    add(`turnout-${a}`, 'PollingAreaOpened', { pollingAreaId: a, at: vn('07:00') });
  add('voter-1', 'VoterRegistered', {
    voterKey: '1'.repeat(64),
    pollingAreaId: a1,
    fullName: 'Trần Thị B',
    birthYear: 1990,
    cardNumber: `${a1}-0001`,
    cardDistribution: { from: '2026-03-05', to: '2026-03-12' },
  });
  add('voter-1', 'VoterCheckedIn', {
    cardNumber: `${a1}-0001`,
    pollingAreaId: a1,
    at: vn('07:10'),
    ballots: ['na'],
  });
  add(`turnout-${a1}`, 'TurnoutReported', {
    pollingAreaId: a1,
    asOf: vn('09:00'),
    votersVoted: 300,
  });
  add(`turnout-${a3}`, 'TurnoutReported', {
    pollingAreaId: a3,
    asOf: vn('11:00'),
    votersVoted: 500,
  });
  add(`turnout-${a2}`, 'TurnoutReported', {
    pollingAreaId: a2,
    asOf: vn('09:00'),
    votersVoted: 100,
  });
  add('incident-I9', 'IncidentReported', {
    incidentId: 'I9',
    pollingAreaId: a2,
    communeId: '10001',
    category: 'weather',
    severity: 'medium',
    description: 'flooded path',
    occurredAt: vn('10:00'),
  });
  add('incident-I9', 'IncidentAcknowledged', { incidentId: 'I9' });
  for (const a of [a1, a2, a3])
    add(`turnout-${a}`, 'PollingAreaClosed', {
      pollingAreaId: a,
      at: vn('19:00'),
      votersVoted: 450,
    });
  const minute = (voted: number) => ({
    votersOnList: 1000,
    votersVoted: voted,
    ballotsIssued: voted,
    ballotsReceived: voted,
    validBallots: voted,
    invalidBallots: 0,
    votes: { 'C-A': voted, 'C-B': Math.floor(voted / 2), 'C-C': 1 },
    complaints: { received: 1, resolved: 1, forwarded: 0 },
  });
  for (const a of [a1, a2, a3])
    add(`tally-${a}-na`, 'CountingMinuteSubmitted', {
      pollingAreaId: a,
      level: 'na',
      unitId: 'NA-1',
      minute: minute(450),
      by: 'team',
      version: 1,
      submittedAt: vn('20:00'),
    });
  add(`tally-${a2}-na`, 'CountingMinuteCorrected', {
    pollingAreaId: a2,
    level: 'na',
    unitId: 'NA-1',
    minute: minute(449),
    by: 'commune',
    version: 2,
    supersedesVersion: 1,
    correctedAt: vn('20:30'),
    reason: 'one ballot miscounted',
  });
  add('anomaly-0193a7c0-0000-7000-8000-00000000aaaa', 'AnomalyDetected', {
    anomalyId: '0193a7c0-0000-7000-8000-00000000aaaa',
    kind: 'turnout_decreased',
    severity: 'medium',
    subject: { pollingAreaId: a1 },
    evidence: ['0193a7c0-0000-7000-8000-000000000006'],
    summary: 'lower than before',
    facts: { before: 300, after: 200 },
    atPosition: 6,
  });
  return events;
}
