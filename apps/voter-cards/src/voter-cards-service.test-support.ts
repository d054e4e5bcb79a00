// Real servers for the voter-cards service's integration tests: a nats-server of the file's own, a
// ledger in-process on a test database, the reference data (with the card index table) in another,
// and the service itself with a clock the test sets. Also makes import rows with valid citizen ids.
import type {} from '@hpe/test-kit/global-setup';
import { freePort } from '@hpe/embedded';
import { LedgerClient } from '@hpe/ledger-client';
import { closeNats, connectNats } from '@hpe/messaging';
import { applyMigrations, seedReferenceData } from '@hpe/read-models';
import { createTestDatabase, type TestDatabase } from '@hpe/test-kit';
import type { NatsConnection } from '@nats-io/transport-node';
import pg from 'pg';
import { inject } from 'vitest';
import { startLedgerService, type LedgerService } from '@hpe/ledger/service';
import { ledgerSettings, startTestNats, type TestNats } from '@hpe/ledger/testing';
import { startVoterCardsService, type RunningVoterCardsService } from './service.js';
import { loadVoterCardsSettings } from './settings.js';

export const testVoterKeySecret = 'voter-cards-test-secret-0123456789abcdef';

export interface AreaRef {
  readonly pollingAreaId: string;
  readonly communeId: string;
}

export interface VoterCardsHarness {
  readonly nc: NatsConnection;
  readonly ledger: LedgerClient;
  readonly pool: pg.Pool;
  readonly service: RunningVoterCardsService;
  /** Reference areas voting on 15 March, in id order. */
  readonly areas: readonly AreaRef[];
  setNow(now: Date): void;
  request(subject: string, body: unknown): Promise<unknown>;
  head(): Promise<number>;
  stop(): Promise<void>;
}

export async function startVoterCardsHarness(initialNow: Date): Promise<VoterCardsHarness> {
  const adminUrl = inject('postgresAdminUrl');
  const nats: TestNats = await startTestNats();
  const ledgerDb: TestDatabase = await createTestDatabase(adminUrl, 'voters_ledger');
  const referenceDb: TestDatabase = await createTestDatabase(adminUrl, 'voters_reference');
  await applyMigrations(referenceDb.url);
  await seedReferenceData(referenceDb.url, { seed: 'haiphong-2026' });
  const pool = new pg.Pool({ connectionString: referenceDb.url, max: 2 });
  const { rows } = await pool.query<{ polling_area_id: string; commune_id: string }>(
    `select p.polling_area_id, p.commune_id from polling_area p join commune c using (commune_id)
      where c.election_date = '2026-03-15' order by p.polling_area_id`,
  );
  const ledgerService: LedgerService = await startLedgerService(
    await ledgerSettings(ledgerDb.url, nats.url),
  );
  let now = initialNow;
  const service = await startVoterCardsService(
    loadVoterCardsSettings({
      DATABASE_URL: referenceDb.url,
      NATS_URL: nats.url,
      HTTP_PORT: String(await freePort()),
      LOG_LEVEL: 'silent',
      HPE_MODE: 'test',
      VOTER_KEY_SECRET: testVoterKeySecret,
      // Telemetry is one per process: in-process beside the ledger, the service shares its handle.
      OTEL_SERVICE_NAME: 'ledger',
    }),
    { clock: () => now },
  );
  const nc = await connectNats({ servers: [nats.url], name: 'voter-cards-test' });
  const ledger = new LedgerClient(nc);
  const encoder = new TextEncoder();
  return {
    nc,
    ledger,
    pool,
    service,
    areas: rows.map((r) => ({ pollingAreaId: r.polling_area_id, communeId: r.commune_id })),
    setNow: (next) => {
      now = next;
    },
    request: async (subject, body) => {
      const msg = await nc.request(subject, encoder.encode(JSON.stringify(body)), {
        timeout: 30_000,
      });
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
      await pool.end();
      await nats.stop();
      await Promise.all([ledgerDb.drop(), referenceDb.drop()]);
    },
  };
}

let serial = 0;

/**
 * An import row for a new fictional citizen: a 12-digit id whose century/sex and year digits agree
 * with the birth year and gender (031 = Hải Phòng), the card `<area>-<seq>`.
 */
export function importRow(
  pollingAreaId: string,
  seq: number,
  overrides: { citizenId?: string; fullName?: string } = {},
): {
  citizenId: string;
  fullName: string;
  birthYear: number;
  gender: 'male' | 'female';
  pollingAreaId: string;
  cardNumber: string;
} {
  serial += 1;
  return {
    citizenId: overrides.citizenId ?? `0311${'80'}${String(serial + 300_000).padStart(6, '0')}`,
    fullName: overrides.fullName ?? 'Trần Thị Lan',
    birthYear: 1980,
    gender: 'female',
    pollingAreaId,
    cardNumber: `${pollingAreaId}-${String(seq).padStart(4, '0')}`,
  };
}
