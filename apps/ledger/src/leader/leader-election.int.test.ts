// Two ledger instances on one database: exactly one leads, the standby serves reads and takes over
// appends when the leader is closed or killed with SIGKILL (a separate process from dist/main.js).
import { join } from 'node:path';
import type {} from '@hpe/test-kit/global-setup';
import { createTestDatabase, type TestDatabase } from '@hpe/test-kit';
import { LedgerClient } from '@hpe/ledger-client';
import { closeNats, connectNats } from '@hpe/messaging';
import type { NatsConnection } from '@nats-io/transport-node';
import {
  afterAll,
  afterEach,
  beforeAll,
  beforeEach,
  describe,
  expect,
  inject,
  it,
  vi,
} from 'vitest';
import { LedgerApi } from '../api/ledger-api.js';
import { startLedgerService, type LedgerService } from '../service.js';
import {
  ledgerEnv,
  ledgerSettings,
  readEventsStream,
  reportedRole,
  startLedgerProcess,
  startTestNats,
  type LedgerProcess,
  type TestNats,
} from '../service.test-support.js';
import { ledgerDatabaseUrl } from '../settings.js';
import { PostgresEventStore } from '../storage/postgres-event-store.js';
import { newTestEvent, uniqueStreamId } from '../storage/test-events.test-support.js';

const quiet = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};

let nats: TestNats;
let db: TestDatabase;
let nc: NatsConnection;
const services: LedgerService[] = [];
const processes: LedgerProcess[] = [];

beforeAll(async () => {
  nats = await startTestNats();
  nc = await connectNats({ servers: [nats.url], name: 'leader-test' });
});
afterAll(async () => {
  await closeNats(nc);
  await nats.stop();
});
beforeEach(async () => {
  db = await createTestDatabase(inject('postgresAdminUrl'), 'ledger_leader');
});
afterEach(async () => {
  for (const p of processes.splice(0)) {
    p.kill('SIGKILL');
    await p.exited;
  }
  for (const s of services.splice(0)) await s.close();
  await db.drop();
});

async function start(): Promise<LedgerService> {
  const service = await startLedgerService(await ledgerSettings(db.url, nats.url), {
    leaderRetryMs: 200,
  });
  services.push(service);
  return service;
}

function append(client: LedgerClient, streamId = uniqueStreamId()) {
  return client.append({ streamId, expectedRevision: 'any', events: [newTestEvent(streamId)] });
}

describe('leader election', () => {
  it('answers NOT_LEADER from a standby, and the client retries until a leader takes it', async () => {
    const settings = await ledgerSettings(db.url, nats.url);
    const store = new PostgresEventStore({ connectionString: ledgerDatabaseUrl(settings) });
    // A writer subscription on an instance that is not leader: what a standby would answer while
    // leadership moves away from it.
    const standby = new LedgerApi({
      nc,
      store,
      log: quiet,
      maxReadLimit: 100,
      isLeader: () => false,
    });
    standby.startWrites();
    try {
      await nc.flush();
      const once = await append(new LedgerClient(nc, { retryNotLeaderForMs: 0 }));
      expect(once).toMatchObject({ ok: false, error: { code: 'NOT_LEADER' } });

      const patient = append(new LedgerClient(nc, { retryNotLeaderForMs: 20_000 }));
      const leader = await start();
      expect(leader.role()).toBe('leader');
      expect(await patient).toMatchObject({ ok: true, value: { positions: [1, 1] } });
    } finally {
      await standby.close();
      await store.close();
    }
  });

  it('has exactly one leader; the standby serves reads and takes over when the leader closes', async () => {
    const a = await start();
    const b = await start();
    expect([a.role(), b.role()]).toEqual(['leader', 'standby']);
    const client = new LedgerClient(nc, { retryNotLeaderForMs: 10_000 });
    expect((await append(client)).ok).toBe(true);

    for (let i = 0; i < 40; i++) expect((await client.head()).ok).toBe(true);
    expect(b.served().head).toBeGreaterThan(0);
    expect(a.served().head).toBeGreaterThan(0);
    expect(b.served().append).toBe(0);
    expect(await reportedRole(b.healthUrl)).toBe('standby');
    await a.close();
    services.splice(services.indexOf(a), 1);
    // Sent at once: the client rides out the moments when nobody holds the lock.
    const after = await append(client);
    expect(after).toMatchObject({ ok: true, value: { positions: [2, 2] } });
    expect(b.role()).toBe('leader');
    expect(b.served().append).toBe(1);
    await vi.waitFor(() => expect(b.relayStatus()).toMatchObject({ relayedPosition: 2, lag: 0 }));
  });

  it('takes over from a leader killed with SIGKILL', async () => {
    const env = await ledgerEnv(db.url, nats.url);
    const leader = await startLedgerProcess(env, join(nats.dir, 'leader.log'));
    processes.push(leader);
    expect(await reportedRole(leader.healthUrl)).toBe('leader');
    const standby = await start();
    expect(standby.role()).toBe('standby');

    const client = new LedgerClient(nc, { retryNotLeaderForMs: 15_000 });
    const before = await Promise.all(Array.from({ length: 5 }, () => append(client)));
    expect(before.every((r) => r.ok)).toBe(true);

    leader.kill('SIGKILL');
    expect(await leader.exited).toBe('SIGKILL');
    const after = await append(client);
    // The error itself, if any, is what a failure here should show.
    expect(after.ok ? after.value.positions : after.error).toEqual([6, 6]);
    expect(standby.role()).toBe('leader');

    // The new leader's relay resumed from what EVENTS held: every event there exactly once.
    await vi.waitFor(() => expect(standby.relayStatus()).toMatchObject({ relayedPosition: 6 }), {
      timeout: 10_000,
    });
    const messages = await readEventsStream(nc);
    expect(messages.map((m) => m.position)).toEqual([1, 2, 3, 4, 5, 6]);
  });
});
