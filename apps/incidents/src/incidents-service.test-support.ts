// Real servers for the incidents service's integration tests: a nats-server of the file's own, a
// ledger started in-process on a test database, the reference data seeded into another, and the
// service itself with a clock the test sets.
import type {} from '@hpe/test-kit/global-setup';
import { freePort } from '@hpe/embedded';
import { LedgerClient } from '@hpe/ledger-client';
import { closeNats, connectNats } from '@hpe/messaging';
import { applyMigrations, createReadModelClient, seedReferenceData } from '@hpe/read-models';
import { createTestDatabase, type TestDatabase } from '@hpe/test-kit';
import type { NatsConnection } from '@nats-io/transport-node';
import { inject } from 'vitest';
import { startLedgerService, type LedgerService } from '@hpe/ledger/service';
import { ledgerSettings, startTestNats } from '@hpe/ledger/testing';
import { startIncidentsService, type RunningIncidentsService } from './service.js';
import { loadIncidentsSettings } from './settings.js';

export interface AreaRef {
  readonly pollingAreaId: string;
  readonly communeId: string;
}

export interface IncidentsHarness {
  readonly nc: NatsConnection;
  readonly ledger: LedgerClient;
  readonly service: RunningIncidentsService;
  readonly areas: readonly AreaRef[];
  setNow(now: Date): void;
  /** A plain NATS request with a JSON (or raw) body; the parsed reply. */
  request(subject: string, body: unknown, options?: { raw?: boolean }): Promise<unknown>;
  head(): Promise<number>;
  stop(): Promise<void>;
}

export async function startIncidentsHarness(initialNow: Date): Promise<IncidentsHarness> {
  const adminUrl = inject('postgresAdminUrl');
  const nats = await startTestNats();
  const ledgerDb: TestDatabase = await createTestDatabase(adminUrl, 'incidents_ledger');
  const referenceDb: TestDatabase = await createTestDatabase(adminUrl, 'incidents_reference');
  await applyMigrations(referenceDb.url);
  await seedReferenceData(referenceDb.url, { seed: 'haiphong-2026' });
  const prisma = createReadModelClient(referenceDb.url, { maxConnections: 2 });
  const areas = await prisma.pollingArea.findMany({
    select: { pollingAreaId: true, communeId: true },
    orderBy: { pollingAreaId: 'asc' },
    take: 50,
  });
  await prisma.$disconnect();

  const ledgerService: LedgerService = await startLedgerService(
    await ledgerSettings(ledgerDb.url, nats.url),
  );
  let now = initialNow;
  const service = await startIncidentsService(
    loadIncidentsSettings({
      DATABASE_URL: referenceDb.url,
      NATS_URL: nats.url,
      HTTP_PORT: String(await freePort()),
      LOG_LEVEL: 'silent',
      // Telemetry is one per process: in-process beside the ledger, the service shares its handle.
      OTEL_SERVICE_NAME: 'ledger',
    }),
    { clock: () => now },
  );
  const nc = await connectNats({ servers: [nats.url], name: 'incidents-test' });
  const ledger = new LedgerClient(nc);
  const encoder = new TextEncoder();
  return {
    nc,
    ledger,
    service,
    areas,
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
