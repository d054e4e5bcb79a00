// Real servers for the projector's integration tests: a nats-server of the test's own, a ledger
// started in-process on a test database, the read models migrated and seeded with the reference
// data, and valid events to append through the ledger.
import type {} from '@hpe/test-kit/global-setup';
import type { NewEvent } from '@hpe/domain';
import { freePort } from '@hpe/embedded';
import { LedgerClient } from '@hpe/ledger-client';
import { closeNats, connectNats } from '@hpe/messaging';
import { applyMigrations, seedReferenceData } from '@hpe/read-models';
import { createTestDatabase, type TestDatabase } from '@hpe/test-kit';
import type { NatsConnection } from '@nats-io/transport-node';
import pg from 'pg';
import { v7 as uuidv7 } from 'uuid';
import { inject } from 'vitest';
import { startLedgerService, type LedgerService } from '@hpe/ledger/service';
import { ledgerSettings, startTestNats, type TestNats } from '@hpe/ledger/testing';
import { startProjector, type ProjectorOptions, type RunningProjector } from './projector.js';
import { loadProjectorSettings } from './settings.js';

export interface World {
  readonly nats: TestNats;
  readonly nc: NatsConnection;
  readonly ledger: LedgerClient;
  readonly readDb: TestDatabase;
  readonly areaIds: readonly string[];
  append(
    streamId: string,
    events: readonly Omit<NewEvent, 'eventId' | 'metadata' | 'schemaVersion' | 'streamId'>[],
  ): Promise<number>;
  startProjector(
    env?: Record<string, string>,
    options?: ProjectorOptions,
  ): Promise<RunningProjector>;
  query<T extends pg.QueryResultRow>(sql: string, params?: unknown[]): Promise<T[]>;
  stop(): Promise<void>;
}

export async function startWorld(): Promise<World> {
  const adminUrl = inject('postgresAdminUrl');
  const nats = await startTestNats();
  const ledgerDb = await createTestDatabase(adminUrl, 'projector_ledger');
  const readDb = await createTestDatabase(adminUrl, 'projector_read');
  await applyMigrations(readDb.url);
  await seedReferenceData(readDb.url, { seed: 'haiphong-2026' });
  const ledgerService: LedgerService = await startLedgerService(
    await ledgerSettings(ledgerDb.url, nats.url),
  );
  const nc = await connectNats({ servers: [nats.url], name: 'projector-test' });
  const ledger = new LedgerClient(nc);
  const pool = new pg.Pool({ connectionString: readDb.url, max: 2 });
  const areaIds = (
    await pool.query<{ id: string }>(
      'SELECT polling_area_id AS id FROM polling_area ORDER BY polling_area_id',
    )
  ).rows.map((r) => r.id);
  const projectors: RunningProjector[] = [];
  return {
    nats,
    nc,
    ledger,
    readDb,
    areaIds,
    append: async (streamId, events) => {
      const result = await ledger.append({
        streamId,
        expectedRevision: 'any',
        events: events.map((e) => ({
          eventId: uuidv7(),
          schemaVersion: 1,
          streamId,
          type: e.type,
          data: e.data,
          metadata: {
            occurredAt: '2026-03-15T09:00:00+07:00',
            actor: { id: 'test', role: 'admin' },
            correlationId: 'projector-test',
          },
        })),
      });
      if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`);
      return result.value.positions[1];
    },
    startProjector: async (env = {}, options = {}) => {
      const projector = await startProjector(
        loadProjectorSettings({
          DATABASE_URL: readDb.url,
          NATS_URL: nats.url,
          HTTP_PORT: String(await freePort()),
          LOG_LEVEL: 'silent',
          // Telemetry is one per process: in-process beside the ledger, share its handle.
          OTEL_SERVICE_NAME: 'ledger',
          ...env,
        }),
        options,
      );
      projectors.push(projector);
      return projector;
    },
    query: async (sql, params = []) => (await pool.query(sql, params)).rows,
    stop: async () => {
      for (const p of projectors) await p.close().catch(() => undefined);
      await pool.end();
      await closeNats(nc);
      await ledgerService.close();
      await nats.stop();
      await Promise.all([ledgerDb.drop(), readDb.drop()]);
    },
  };
}

/** `n` check-ins spread over the given areas, as one voter stream's events. */
export function checkIns(areaIds: readonly string[], n: number, offset = 0) {
  return Array.from({ length: n }, (_, i) => {
    const area = areaIds[(offset + i) % areaIds.length] ?? 'PA-00000-000';
    return {
      type: 'VoterCheckedIn',
      data: {
        cardNumber: `${area}-${String(offset + i).padStart(6, '0')}`,
        pollingAreaId: area,
        at: '2026-03-15T09:00:00+07:00',
        ballots: ['na', 'city', 'commune'],
      },
    };
  });
}

export const voterStream = (n: number): string => `voter-${n.toString(16).padStart(64, '0')}`;
