import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { freePort, waitForHttp } from '@hpe/embedded';
import { eventsStreamName } from '@hpe/messaging';
import { allProjections, loadReferenceModel, rebuildLive } from '@hpe/read-models';
import pg from 'pg';
import { ledgerPages } from './ledger-pages.js';
import { AckPolicy, DeliverPolicy, jetstreamManager } from '@nats-io/jetstream';
import { afterEach, describe, expect, it } from 'vitest';
import { checkIns, startWorld, voterStream, type World } from './projector.test-support.js';

let world: World | undefined;
afterEach(async () => {
  await world?.stop();
  world = undefined;
});

async function overview(w: World) {
  const [row] = await w.query<{ check_ins: number; position: string }>(
    'SELECT check_ins, position FROM city_overview WHERE id = 1',
  );
  const [areas] = await w.query<{ sum: string }>(
    'SELECT sum(check_ins)::text AS sum FROM polling_area_status',
  );
  const [cp] = await w.query<{ min: string; max: string }>(
    'SELECT min(position)::text AS min, max(position)::text AS max FROM projection_checkpoint',
  );
  return {
    checkIns: row?.check_ins,
    areaCheckIns: Number(areas?.sum),
    overviewPosition: Number(row?.position),
    checkpoint: [Number(cp?.min), Number(cp?.max)],
  };
}

describe('the projector', () => {
  it('applies events appended through the ledger, each row at the position it reflects', async () => {
    world = await startWorld();
    const w = world;
    const projector = await w.startProjector();
    const area = w.areaIds[0] ?? '';
    const opened = await w.append(`turnout-${area}`, [
      { type: 'PollingAreaOpened', data: { pollingAreaId: area, at: '2026-03-15T06:50:00+07:00' } },
    ]);
    await w.append(voterStream(1), checkIns([area], 3));
    const reported = await w.append(`turnout-${area}`, [
      {
        type: 'TurnoutReported',
        data: { pollingAreaId: area, asOf: '2026-03-15T09:00:00+07:00', votersVoted: 3 },
      },
    ]);
    await projector.waitFor(reported);
    const [row] = await w.query<Record<string, unknown>>(
      'SELECT status, opened_at, check_ins, voters_voted, position FROM polling_area_status WHERE polling_area_id = $1',
      [area],
    );
    expect(row).toEqual({
      status: 'open',
      opened_at: new Date('2026-03-14T23:50:00.000Z'),
      check_ins: 3,
      voters_voted: 3,
      position: String(reported),
    });
    expect(opened).toBe(1);
    const timeline = await w.query<{ at: Date; voters_voted: number; position: string }>(
      `SELECT at, voters_voted, position FROM turnout_timeline WHERE scope_kind = 'city'`,
    );
    expect(timeline).toEqual([
      { at: new Date('2026-03-15T02:00:00.000Z'), voters_voted: 3, position: String(reported) },
    ]);
    expect(await overview(w)).toEqual({
      checkIns: 3,
      areaCheckIns: 3,
      overviewPosition: reported,
      checkpoint: [reported, reported],
    });
    const status = await fetch(`${projector.healthUrl}/health/ready`);
    expect(status.status).toBe(200);
  });

  for (const when of ['dieBeforeCommit', 'dieBeforeAck'] as const) {
    it(`counts every event exactly once when killed mid-batch (${when}) and restarted`, async () => {
      world = await startWorld();
      const w = world;
      let batches = 0;
      const first = await w.startProjector(
        { PROJECTOR_BATCH_MAX: '150', PROJECTOR_BATCH_WAIT_MS: '20' },
        { faults: { [when]: () => ++batches === 4 } },
      );
      let head = 0;
      for (let i = 0; i < 20; i++)
        head = await w.append(voterStream(i), checkIns(w.areaIds, 100, i * 100));
      await first.died;
      const afterCrash = await overview(w);
      // Some batches were committed before it died, not all of them.
      expect(afterCrash.checkIns).toBeGreaterThan(0);
      expect(afterCrash.checkIns).toBeLessThan(2_000);
      const second = await w.startProjector({ PROJECTOR_BATCH_MAX: '150' });
      await second.waitFor(head, 30_000);
      // The crashed batch's messages come back from JetStream later (ack wait): still once.
      expect(await overview(w)).toEqual({
        checkIns: 2_000,
        areaCheckIns: 2_000,
        overviewPosition: head,
        checkpoint: [head, head],
      });
      const [voterCards] = await w.query<{ sum: string }>(
        'SELECT sum(checked_in)::text AS sum FROM voter_card_distribution',
      );
      expect(Number(voterCards?.sum)).toBe(2_000);
    });
  }

  it('reads a gap in what JetStream delivers from the ledger', async () => {
    world = await startWorld();
    const w = world;
    // A consumer that sees voter events only: every turnout event in between is a gap.
    const jsm = await jetstreamManager(w.nc);
    await w.startProjector({ PROJECTOR_DURABLE: 'warm-up' }).then((p) => p.close());
    await jsm.consumers.add(eventsStreamName, {
      durable_name: 'voters-only',
      ack_policy: AckPolicy.All,
      deliver_policy: DeliverPolicy.All,
      filter_subject: 'events.voter.>',
    });
    const projector = await w.startProjector({ PROJECTOR_DURABLE: 'voters-only' });
    const area = w.areaIds[5] ?? '';
    await w.append(voterStream(1), checkIns([area], 1));
    await w.append(`turnout-${area}`, [
      { type: 'PollingAreaOpened', data: { pollingAreaId: area, at: '2026-03-15T07:00:00+07:00' } },
    ]);
    const head = await w.append(voterStream(2), checkIns([area], 1, 1));
    await projector.waitFor(head);
    expect(projector.status().gapsHealed).toBeGreaterThanOrEqual(1);
    const [row] = await w.query<{ status: string; check_ins: number }>(
      'SELECT status, check_ins FROM polling_area_status WHERE polling_area_id = $1',
      [area],
    );
    expect(row).toEqual({ status: 'open', check_ins: 2 });
  });

  it('survives SIGKILL of its process under load: restarted, every event counted once', async () => {
    const mainJs = fileURLToPath(new URL('../dist/main.js', import.meta.url));
    if (!existsSync(mainJs))
      throw new Error(`${mainJs} is missing: npm run build -w @hpe/projector`);
    world = await startWorld();
    const w = world;
    const port = await freePort();
    const child = spawn(process.execPath, [mainJs], {
      env: {
        DATABASE_URL: w.readDb.url,
        NATS_URL: w.nats.url,
        HTTP_PORT: String(port),
        LOG_LEVEL: 'silent',
        PROJECTOR_BATCH_MAX: '200',
        TZ: 'Asia/Ho_Chi_Minh',
      },
      stdio: 'ignore',
    });
    const exited = new Promise((resolve) => child.once('exit', resolve));
    try {
      await waitForHttp(`http://127.0.0.1:${port}/health/ready`, { timeoutMs: 30_000 });
      let head = 0;
      let killedAt = -1;
      for (let i = 0; i < 40; i++) {
        head = await w.append(voterStream(i), checkIns(w.areaIds, 100, i * 100));
        const [cp] = await w.query<{ position: string }>(
          "SELECT position FROM projection_checkpoint WHERE name = 'progress'",
        );
        if (killedAt < 0 && Number(cp?.position) >= 1_000) {
          child.kill('SIGKILL');
          killedAt = Number(cp?.position);
        }
      }
      await exited;
      expect(killedAt).toBeGreaterThan(0);
      expect(killedAt).toBeLessThan(head);
      const projector = await w.startProjector();
      await projector.waitFor(head, 30_000);
      expect(await overview(w)).toEqual({
        checkIns: 4_000,
        areaCheckIns: 4_000,
        overviewPosition: head,
        checkpoint: [head, head],
      });
    } finally {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    }
  });

  it('rebuilds a projection while the projector runs; the projector carries on from the new rows', async () => {
    world = await startWorld();
    const w = world;
    const projector = await w.startProjector();
    let head = await w.append(voterStream(1), checkIns(w.areaIds, 500));
    await projector.waitFor(head);
    // A wrong figure, as a bug in an earlier release would have left it.
    await w.query('UPDATE city_overview SET check_ins = 7');
    const client = new pg.Client({ connectionString: w.readDb.url });
    await client.connect();
    try {
      const report = await rebuildLive({
        db: client,
        projections: allProjections.filter((p) => p.name === 'progress'),
        reference: await loadReferenceModel(client),
        pages: (from, to) => ledgerPages(w.ledger, from, to),
      });
      expect(report).toMatchObject({ position: head, events: head });
    } finally {
      await client.end();
    }
    expect((await overview(w)).checkIns).toBe(500);
    head = await w.append(voterStream(2), checkIns(w.areaIds, 100, 500));
    await projector.waitFor(head);
    expect(await overview(w)).toEqual({
      checkIns: 600,
      areaCheckIns: 600,
      overviewPosition: head,
      checkpoint: [head, head],
    });
    expect(projector.status().resyncs).toBeGreaterThanOrEqual(1);
  });

  it('rebuilds from the command line (`cli.js rebuild`), and refuses an unknown projection', async () => {
    const cliJs = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
    world = await startWorld();
    const w = world;
    const projector = await w.startProjector();
    const head = await w.append(voterStream(1), checkIns(w.areaIds, 50));
    await projector.waitFor(head);
    const run = (args: string[]) =>
      new Promise<{ code: number | null; out: string; err: string }>((resolve) => {
        const child = spawn(process.execPath, [cliJs, ...args], {
          env: { DATABASE_URL: w.readDb.url, NATS_URL: w.nats.url, LOG_LEVEL: 'silent' },
        });
        let out = '';
        let err = '';
        child.stdout.on('data', (d: Buffer) => (out += d.toString()));
        child.stderr.on('data', (d: Buffer) => (err += d.toString()));
        child.once('exit', (code) => resolve({ code, out, err }));
      });
    const ok = await run(['rebuild']);
    expect(ok.code, ok.err).toBe(0);
    expect(JSON.parse(ok.out)).toMatchObject({ position: head, events: head });
    const unknown = await run(['rebuild', '--projection', 'nope']);
    expect(unknown.code).toBe(1);
    expect(unknown.err).toMatch(/unknown projection nope; known: progress/);
    expect((await overview(w)).checkIns).toBe(50);
  });
});
