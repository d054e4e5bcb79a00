// Real servers for the anomalies service's integration tests: a nats-server of the file's own, a
// ledger in-process on a test database, the reference data seeded into another, and the service
// with its detector and a schedule clock the test moves. Crafted events go in through the ledger
// client, the log's public write path.
import type {} from '@hpe/test-kit/global-setup';
import { freePort } from '@hpe/embedded';
import { deterministicUuidV7, type RecordedEvent } from '@hpe/domain';
import { LedgerClient } from '@hpe/ledger-client';
import { closeNats, connectNats } from '@hpe/messaging';
import { applyMigrations, seedReferenceData } from '@hpe/read-models';
import { createTestDatabase, type TestDatabase } from '@hpe/test-kit';
import type { NatsConnection } from '@nats-io/transport-node';
import { inject } from 'vitest';
import { startLedgerService, type LedgerService } from '@hpe/ledger/service';
import { ledgerSettings, startTestNats, type TestNats } from '@hpe/ledger/testing';
import { startAnomaliesService, type RunningAnomaliesService } from './service.js';
import { loadAnomaliesSettings } from './settings.js';

export interface AnomaliesHarness {
  readonly nats: TestNats;
  readonly nc: NatsConnection;
  readonly ledger: LedgerClient;
  readonly service: RunningAnomaliesService;
  readonly referenceDatabaseUrl: string;
  setScheduleNow(now: Date): void;
  /** Appends crafted events (type + data) to one stream; their recorded ids in order. */
  append(streamId: string, events: readonly { type: string; data: object }[]): Promise<string[]>;
  head(): Promise<number>;
  /** Every event after `position`, from the ledger. */
  eventsAfter(position: number): Promise<RecordedEvent[]>;
  /** Waits until the detector has folded (and appended for) everything up to the head. */
  settle(): Promise<number>;
  request(subject: string, body: unknown): Promise<unknown>;
  stop(): Promise<void>;
}

let crafted = 0;

export async function startAnomaliesHarness(
  options: {
    scheduleNow?: Date;
    referenceSeed?: boolean;
    /** Run as the embedded stack does: HPE_CLOCK=drill, no clock handed in. */
    drill?: boolean;
  } = {},
): Promise<AnomaliesHarness> {
  const adminUrl = inject('postgresAdminUrl');
  const nats = await startTestNats();
  const ledgerDb: TestDatabase = await createTestDatabase(adminUrl, 'anomalies_ledger');
  const referenceDb: TestDatabase = await createTestDatabase(adminUrl, 'anomalies_reference');
  await applyMigrations(referenceDb.url);
  if (options.referenceSeed !== false)
    await seedReferenceData(referenceDb.url, { seed: 'haiphong-2026' });
  const ledgerService: LedgerService = await startLedgerService(
    await ledgerSettings(ledgerDb.url, nats.url),
  );
  let scheduleNow = options.scheduleNow ?? new Date('2026-03-13T00:00:00+07:00');
  const service = await startAnomaliesService(
    loadAnomaliesSettings({
      DATABASE_URL: referenceDb.url,
      NATS_URL: nats.url,
      HTTP_PORT: String(await freePort()),
      LOG_LEVEL: 'silent',
      OTEL_SERVICE_NAME: 'ledger',
      ANOMALY_ELECTION_DATES: '2026-03-15',
      ANOMALY_SCHEDULE_POLL_MS: '50',
      ...(options.drill === true ? { HPE_CLOCK: 'drill' } : {}),
    }),
    options.drill === true
      ? {}
      : { clock: () => new Date('2026-03-15T12:00:00+07:00'), scheduleClock: () => scheduleNow },
  );
  const nc = await connectNats({ servers: [nats.url], name: 'anomalies-test' });
  const ledger = new LedgerClient(nc);
  const head = async (): Promise<number> => {
    const h = await ledger.head();
    if (!h.ok) throw new Error(h.error.code);
    return h.value.position;
  };
  const encoder = new TextEncoder();
  return {
    nats,
    nc,
    ledger,
    service,
    referenceDatabaseUrl: referenceDb.url,
    setScheduleNow: (now) => {
      scheduleNow = now;
    },
    append: async (streamId, events) => {
      const eventIds = events.map(() => {
        crafted += 1;
        return deterministicUuidV7(['crafted', String(Date.now()), String(crafted)]);
      });
      const result = await ledger.append({
        streamId,
        expectedRevision: 'any',
        events: events.map((event, i) => ({
          eventId: eventIds[i] ?? '',
          type: event.type,
          schemaVersion: 1,
          streamId,
          data: { ...event.data },
          metadata: {
            occurredAt: '2026-03-15T08:00:00+07:00',
            actor: { id: 'test', role: 'admin' },
            correlationId: `test-${streamId}`,
          },
        })),
      });
      if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`);
      return eventIds;
    },
    head,
    eventsAfter: async (position) => {
      const out: RecordedEvent[] = [];
      for await (const page of ledger.events(position + 1)) out.push(...page);
      return out;
    },
    settle: async () => {
      const detector = service.detector;
      if (detector === undefined) throw new Error('the detector is off');
      const position = await head();
      await detector.waitForPosition(position);
      return position;
    },
    request: async (subject, body) => {
      const msg = await nc.request(subject, encoder.encode(JSON.stringify(body)), {
        timeout: 10_000,
      });
      return msg.json();
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
