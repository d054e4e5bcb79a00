// The crash test: kill -9 the ledger process under concurrent load, restart it, and check every
// acknowledged append is in the log exactly once, in order, gap-free, chain intact, and in EVENTS too.
import { join } from 'node:path';
import type {} from '@hpe/test-kit/global-setup';
import { createTestDatabase, type TestDatabase } from '@hpe/test-kit';
import { LedgerClient, type AppendSuccess } from '@hpe/ledger-client';
import { closeNats, connectNats } from '@hpe/messaging';
import type { NatsConnection } from '@nats-io/transport-node';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it, vi } from 'vitest';
import { verifyChain } from './chain/verify-chain.js';
import {
  ledgerEnv,
  readEventsStream,
  startLedgerProcess,
  startTestNats,
  type LedgerProcess,
  type TestNats,
} from './service.test-support.js';
import { PostgresEventStore } from './storage/postgres-event-store.js';
import { newTestEvents, uniqueStreamId } from './storage/test-events.test-support.js';

let nats: TestNats;
let db: TestDatabase;
let nc: NatsConnection;
const running: LedgerProcess[] = [];

beforeAll(async () => {
  nats = await startTestNats();
  db = await createTestDatabase(inject('postgresAdminUrl'), 'ledger_crash');
  nc = await connectNats({ servers: [nats.url], name: 'crash-test' });
});
afterAll(async () => {
  for (const p of running) {
    p.kill('SIGKILL');
    await p.exited;
  }
  await closeNats(nc);
  await db.drop();
  await nats.stop();
});

interface Acknowledged {
  readonly eventIds: readonly string[];
  readonly value: AppendSuccess;
}

/**
 * One writer: appends 1 to 49 events at a time to its own stream with exact expected revisions.
 * Large appends commit faster than the relay publishes, so the crash usually leaves it behind.
 */
async function writer(
  client: LedgerClient,
  acked: Acknowledged[],
  stop: () => boolean,
): Promise<void> {
  const streamId = uniqueStreamId();
  let revision: number | 'no_stream' = 'no_stream';
  for (let i = 0; !stop(); i++) {
    const events = newTestEvents(streamId, 1 + (i % 4) * 16);
    const result = await client.append({ streamId, expectedRevision: revision, events });
    if (!result.ok) return;
    acked.push({ eventIds: events.map((e) => e.eventId), value: result.value });
    revision = result.value.nextRevision;
  }
}

describe('ledger crash under load', () => {
  it('keeps every acknowledged append exactly once, in order, in the log and in EVENTS', async () => {
    const env = await ledgerEnv(db.url, nats.url);
    const first = await startLedgerProcess(env, join(nats.dir, 'ledger-1.log'));
    running.push(first);
    const client = new LedgerClient(nc, { timeoutMs: 3_000, retryNotLeaderForMs: 0 });
    const acked: Acknowledged[] = [];
    let killed = false;
    const writers = Array.from({ length: 16 }, () => writer(client, acked, () => killed));

    // Under load: wait for a good number of acknowledged appends, then kill without warning.
    await vi.waitFor(() => expect(acked.length).toBeGreaterThanOrEqual(300), {
      timeout: 30_000,
      interval: 5,
    });
    first.kill('SIGKILL');
    killed = true;
    expect(await first.exited).toBe('SIGKILL');
    await Promise.all(writers);
    running.splice(running.indexOf(first), 1);

    const second = await startLedgerProcess(env, join(nats.dir, 'ledger-2.log'));
    running.push(second);

    // The log: gap-free positions, every acknowledged event exactly once where it was acknowledged.
    const admin = new pg.Client({ connectionString: db.url });
    await admin.connect();
    const { rows } = await admin.query<{ position: string; event_id: string }>(
      'SELECT position, event_id FROM ledger.events ORDER BY position',
    );
    await admin.end();
    const logIds = rows.map((r) => r.event_id);
    expect(rows.map((r) => Number(r.position))).toEqual(rows.map((_, i) => i + 1));
    expect(new Set(logIds).size).toBe(logIds.length);
    for (const ack of acked) {
      const [from, to] = ack.value.positions;
      expect(logIds.slice(from - 1, to)).toEqual(ack.eventIds);
    }

    const store = new PostgresEventStore({ connectionString: db.url });
    const head = await store.head();
    const chain = await verifyChain(store.pages(), { expectedHead: head });
    await store.close();
    expect(chain).toMatchObject({ ok: true, checkedTo: logIds.length });

    // EVENTS: the restarted relay resumed where JetStream stood; each event once, in order.
    await vi.waitFor(
      async () => expect((await readEventsStream(nc)).length).toBeGreaterThanOrEqual(logIds.length),
      { timeout: 30_000, interval: 200 },
    );
    const messages = await readEventsStream(nc);
    expect(messages.map((m) => m.msgId)).toEqual(logIds);
    expect(messages.map((m) => m.position)).toEqual(logIds.map((_, i) => i + 1));

    // And it goes on: the next append lands right after the log's end.
    const streamId = uniqueStreamId();
    const next = await client.append({
      streamId,
      expectedRevision: 'no_stream',
      events: newTestEvents(streamId, 1),
    });
    expect(next).toMatchObject({
      ok: true,
      value: { positions: [logIds.length + 1, logIds.length + 1] },
    });

    second.kill('SIGTERM');
    expect(await second.exited).toBe(0);
    running.splice(running.indexOf(second), 1);
  });
});
