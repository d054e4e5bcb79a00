// Real servers for the turnout service's integration tests: a nats-server of the file's own, a
// ledger started in-process on a test database (as the ledger's own tests do), the reference data
// seeded into another, and the service itself with a clock the test sets.
import type {} from '@hpe/test-kit/global-setup';
import { freePort } from '@hpe/embedded';
import { LedgerClient } from '@hpe/ledger-client';
import { closeNats, connectNats } from '@hpe/messaging';
import { applyMigrations, createReadModelClient, seedReferenceData } from '@hpe/read-models';
import { createTestDatabase, type TestDatabase } from '@hpe/test-kit';
import type { NatsConnection } from '@nats-io/transport-node';
import { inject } from 'vitest';
// The ledger's package surface does not export its service; its tests' helpers are reused as is.
import { startLedgerService, type LedgerService } from '@hpe/ledger/service';
import { ledgerSettings, startTestNats, type TestNats } from '@hpe/ledger/testing';
import { loadTurnoutSettings } from './settings.js';
import { startTurnoutService, type RunningTurnoutService } from './turnout-service.js';

export interface AreaRef {
  readonly pollingAreaId: string;
  readonly votersOnList: number;
  readonly electionDate: string;
}

export interface TurnoutHarness {
  readonly nats: TestNats;
  readonly nc: NatsConnection;
  readonly ledger: LedgerClient;
  readonly service: RunningTurnoutService;
  readonly referenceDatabaseUrl: string;
  /** Reference areas voting on 15 March, and those of Bạch Long Vĩ (14 March). */
  readonly regularAreas: readonly AreaRef[];
  readonly bachLongViAreas: readonly AreaRef[];
  setNow(now: Date): void;
  /** A plain NATS request with a JSON (or raw) body; the parsed reply. */
  request(subject: string, body: unknown, options?: { raw?: boolean }): Promise<unknown>;
  head(): Promise<number>;
  stop(): Promise<void>;
}

export async function startTurnoutHarness(initialNow: Date): Promise<TurnoutHarness> {
  const adminUrl = inject('postgresAdminUrl');
  const nats = await startTestNats();
  const ledgerDb: TestDatabase = await createTestDatabase(adminUrl, 'turnout_ledger');
  const referenceDb: TestDatabase = await createTestDatabase(adminUrl, 'turnout_reference');
  await applyMigrations(referenceDb.url);
  await seedReferenceData(referenceDb.url, { seed: 'haiphong-2026' });
  const prisma = createReadModelClient(referenceDb.url, { maxConnections: 2 });
  const areas = await prisma.pollingArea.findMany({
    select: {
      pollingAreaId: true,
      votersOnList: true,
      commune: { select: { electionDate: true } },
    },
    orderBy: { pollingAreaId: 'asc' },
  });
  await prisma.$disconnect();
  const refs = areas.map((a) => ({
    pollingAreaId: a.pollingAreaId,
    votersOnList: a.votersOnList,
    electionDate: a.commune.electionDate,
  }));

  const ledgerService: LedgerService = await startLedgerService(
    await ledgerSettings(ledgerDb.url, nats.url),
  );
  let now = initialNow;
  const service = await startTurnoutService(
    loadTurnoutSettings({
      DATABASE_URL: referenceDb.url,
      NATS_URL: nats.url,
      HTTP_PORT: String(await freePort()),
      LOG_LEVEL: 'silent',
      // Telemetry is one per process: in-process beside the ledger, the service shares its handle.
      OTEL_SERVICE_NAME: 'ledger',
    }),
    { clock: () => now },
  );
  const nc = await connectNats({ servers: [nats.url], name: 'turnout-test' });
  const ledger = new LedgerClient(nc);
  const encoder = new TextEncoder();
  return {
    nats,
    nc,
    ledger,
    service,
    referenceDatabaseUrl: referenceDb.url,
    regularAreas: refs.filter((a) => a.electionDate === '2026-03-15'),
    bachLongViAreas: refs.filter((a) => a.electionDate === '2026-03-14'),
    setNow: (next) => {
      now = next;
    },
    request: async (subject, body, options = {}) => {
      const payload =
        options.raw === true && typeof body === 'string'
          ? encoder.encode(body)
          : encoder.encode(JSON.stringify(body));
      const msg = await nc.request(subject, payload, { timeout: 10_000 });
      return msg.json();
    },
    head: async () => {
      const head = await ledger.head();
      if (!head.ok) throw new Error(head.error.code);
      return head.value.position;
    },
    stop: async () => {
      await closeNats(nc);
      await service.close();
      await ledgerService.close();
      await nats.stop();
      await Promise.all([ledgerDb.drop(), referenceDb.drop()]);
    },
  };
}
