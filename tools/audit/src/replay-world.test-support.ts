// Real servers for the replay's integration tests, laid out as the stack lays them out: one
// database holding ledger.events (written by the real ledger service, in-process, over a
// nats-server of the test's own) and the read models (migrated, seeded with the reference data,
// written by the real projector, in-process).
import type {} from '@hpe/test-kit/global-setup';
import {
  anomalyEnvelope,
  defaultAnomalyThresholds,
  detect,
  initialDetectorState,
  type AnomalyDetected,
  type RecordedEvent,
} from '@hpe/domain';
import { freePort } from '@hpe/embedded';
import { startLedgerService, type LedgerService } from '@hpe/ledger/service';
import { ledgerSettings, startTestNats, type TestNats } from '@hpe/ledger/testing';
import { LedgerClient } from '@hpe/ledger-client';
import { closeNats, connectNats } from '@hpe/messaging';
import { startProjector, type RunningProjector } from '@hpe/projector';
import { loadProjectorSettings } from '@hpe/projector/settings';
import {
  applyMigrations,
  loadReferenceModel,
  seedReferenceData,
  type ReferenceModel,
} from '@hpe/read-models';
import { createTestDatabase, type TestDatabase } from '@hpe/test-kit';
import type { NatsConnection } from '@nats-io/transport-node';
import pg from 'pg';
import { v7 as uuidv7 } from 'uuid';
import { inject } from 'vitest';
import type { DayAppend } from './election-day.test-support.js';

export interface ReplayWorld {
  readonly db: TestDatabase;
  readonly reference: ReferenceModel;
  readonly projector: RunningProjector;
  /** Appends through the ledger service; resolves with the last position written. */
  append(append: DayAppend): Promise<number>;
  /** Appends many, `concurrency` at a time (as many field devices would); the highest position. */
  appendAll(appends: Iterable<DayAppend>, concurrency?: number): Promise<number>;
  /**
   * What the anomaly detector does, without its NATS plumbing: folds the whole log with the
   * domain's detect() and appends each anomaly through the ledger (deterministic ids, so a second
   * run is answered as duplicates). Returns the anomalies and how many were new.
   */
  detectAnomalies(): Promise<{ anomalies: AnomalyDetected[]; appended: number }>;
  query<T extends pg.QueryResultRow>(sql: string, params?: unknown[]): Promise<T[]>;
  stop(): Promise<void>;
}

export async function startReplayWorld(): Promise<ReplayWorld> {
  const nats: TestNats = await startTestNats();
  const db = await createTestDatabase(inject('postgresAdminUrl'), 'audit_replay');
  const cleanups: (() => Promise<void>)[] = [() => nats.stop(), () => db.drop()];
  const stop = async (): Promise<void> => {
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
  };
  try {
    await applyMigrations(db.url);
    await seedReferenceData(db.url, { seed: 'haiphong-2026' });
    const ledgerService: LedgerService = await startLedgerService(
      await ledgerSettings(db.url, nats.url),
    );
    cleanups.push(() => ledgerService.close());
    const nc: NatsConnection = await connectNats({
      servers: [nats.url],
      name: 'audit-replay-test',
    });
    cleanups.push(() => closeNats(nc));
    const ledger = new LedgerClient(nc);
    const pool = new pg.Pool({ connectionString: db.url, max: 2 });
    cleanups.push(() => pool.end());
    const reference = await loadReferenceModel(pool);
    const projector = await startProjector(
      loadProjectorSettings({
        DATABASE_URL: db.url,
        NATS_URL: nats.url,
        HTTP_PORT: String(await freePort()),
        LOG_LEVEL: 'silent',
        // Telemetry is one per process: in-process beside the ledger, share its handle.
        OTEL_SERVICE_NAME: 'ledger',
      }),
    );
    cleanups.push(() => projector.close());

    const append = async (a: DayAppend): Promise<number> => {
      const result = await ledger.append({
        streamId: a.streamId,
        expectedRevision: 'any',
        events: a.events.map((e) => ({
          eventId: uuidv7(),
          schemaVersion: 1,
          streamId: a.streamId,
          type: e.type,
          data: e.data,
          metadata: {
            occurredAt: a.at,
            actor: { id: 'audit-replay-test', role: 'reporter' },
            correlationId: 'audit-replay-test',
          },
        })),
      });
      if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`);
      return result.value.positions[1];
    };
    return {
      db,
      reference,
      projector,
      append,
      appendAll: async (appends, concurrency = 32) => {
        let head = 0;
        let batch: Promise<number>[] = [];
        const streams = new Set<string>();
        const settle = async (): Promise<void> => {
          for (const p of await Promise.all(batch)) head = Math.max(head, p);
          batch = [];
          streams.clear();
        };
        for (const a of appends) {
          // A stream's events keep their order: a second append to it waits for the first.
          if (streams.has(a.streamId)) await settle();
          streams.add(a.streamId);
          batch.push(append(a));
          if (batch.length >= concurrency) await settle();
        }
        await settle();
        return head;
      },
      detectAnomalies: async () => {
        let state = initialDetectorState();
        const raised: { anomaly: AnomalyDetected; trigger: RecordedEvent }[] = [];
        for await (const page of ledger.events(1)) {
          for (const event of page) {
            const detection = detect(state, event, { thresholds: defaultAnomalyThresholds });
            state = detection.state;
            for (const anomaly of detection.anomalies) raised.push({ anomaly, trigger: event });
          }
        }
        let appended = 0;
        for (const { anomaly, trigger } of raised) {
          const envelope = anomalyEnvelope(anomaly, trigger);
          const result = await ledger.append({
            streamId: envelope.streamId,
            expectedRevision: 'no_stream',
            events: [envelope],
          });
          if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`);
          if (result.value.duplicate !== true) appended += 1;
        }
        return { anomalies: raised.map((r) => r.anomaly), appended };
      },
      query: async (sql, params = []) => (await pool.query(sql, params)).rows,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
