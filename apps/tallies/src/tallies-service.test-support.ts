// Real servers for the tallies service's integration tests: a nats-server of the file's own, a
// ledger started in-process on a test database, the reference data seeded into another, and the
// service itself; plus the reference units and a builder of consistent minutes.
import type {} from '@hpe/test-kit/global-setup';
import type { CountingMinute, Level } from '@hpe/domain';
import { freePort } from '@hpe/embedded';
import { LedgerClient } from '@hpe/ledger-client';
import { closeNats, connectNats } from '@hpe/messaging';
import { applyMigrations, createReadModelClient, seedReferenceData } from '@hpe/read-models';
import { createTestDatabase, type TestDatabase } from '@hpe/test-kit';
import type { NatsConnection } from '@nats-io/transport-node';
import { inject } from 'vitest';
import { startLedgerService, type LedgerService } from '@hpe/ledger/service';
import { ledgerSettings, startTestNats, type TestNats } from '@hpe/ledger/testing';
import { startTalliesService, type RunningTalliesService } from './service.js';
import { loadTalliesSettings } from './settings.js';

export interface RefArea {
  readonly pollingAreaId: string;
  readonly communeId: string;
  readonly votersOnList: number;
  readonly units: Readonly<Record<Level, string>>;
}

export interface RefUnit {
  readonly unitId: string;
  readonly level: Level;
  readonly seats: number;
  readonly candidates: readonly { readonly candidateId: string; readonly birthDate: string }[];
  readonly areas: readonly RefArea[];
}

export interface TalliesHarness {
  readonly nats: TestNats;
  readonly nc: NatsConnection;
  readonly ledger: LedgerClient;
  readonly service: RunningTalliesService;
  readonly areas: readonly RefArea[];
  readonly units: ReadonlyMap<string, RefUnit>;
  /** A plain NATS request with a JSON body; the parsed reply. */
  request(subject: string, body: unknown): Promise<unknown>;
  head(): Promise<number>;
  stop(): Promise<void>;
}

/** The reference areas and units (with candidates), as the tests pick them. */
export async function loadReference(
  databaseUrl: string,
): Promise<{ areas: RefArea[]; units: Map<string, RefUnit> }> {
  const prisma = createReadModelClient(databaseUrl, { maxConnections: 2 });
  try {
    const rows = await prisma.pollingArea.findMany({ orderBy: { pollingAreaId: 'asc' } });
    const areas: RefArea[] = rows.map((a) => ({
      pollingAreaId: a.pollingAreaId,
      communeId: a.communeId,
      votersOnList: a.votersOnList,
      units: { na: a.naUnitId, city: a.cityUnitId, commune: a.communeUnitId },
    }));
    const unitRows = await prisma.electoralUnit.findMany({
      include: { candidates: { orderBy: { candidateId: 'asc' } } },
    });
    const units = new Map<string, RefUnit>();
    for (const u of unitRows) {
      const level = u.level as Level;
      units.set(u.unitId, {
        unitId: u.unitId,
        level,
        seats: u.seats,
        candidates: u.candidates.map((c) => ({
          candidateId: c.candidateId,
          birthDate: c.birthDate,
        })),
        areas: areas.filter((a) => a.units[level] === u.unitId),
      });
    }
    return { areas, units };
  } finally {
    await prisma.$disconnect();
  }
}

/**
 * A minute that passes every rule: 80 % turnout, 2 invalid ballots, the first `seats` candidates
 * far ahead (distinct counts, so the ranking is plain), the others with a handful.
 */
export function consistentMinute(
  unit: Pick<RefUnit, 'seats' | 'candidates'>,
  votersOnList: number,
): CountingMinute {
  const votersVoted = Math.floor(votersOnList * 0.8);
  const invalidBallots = Math.min(2, votersVoted);
  const validBallots = votersVoted - invalidBallots;
  const votes: Record<string, number> = {};
  unit.candidates.forEach((c, i) => {
    votes[c.candidateId] =
      i < unit.seats ? Math.max(0, Math.floor(validBallots * 0.8) - i) : Math.min(i, validBallots);
  });
  return {
    votersOnList,
    votersVoted,
    ballotsIssued: votersVoted,
    ballotsReceived: votersVoted,
    validBallots,
    invalidBallots,
    votes,
    complaints: { received: 1, resolved: 1, forwarded: 0 },
  };
}

export async function startTalliesHarness(now: Date): Promise<TalliesHarness> {
  const adminUrl = inject('postgresAdminUrl');
  const nats = await startTestNats();
  const ledgerDb: TestDatabase = await createTestDatabase(adminUrl, 'tallies_ledger');
  const referenceDb: TestDatabase = await createTestDatabase(adminUrl, 'tallies_reference');
  await applyMigrations(referenceDb.url);
  await seedReferenceData(referenceDb.url, { seed: 'haiphong-2026' });
  const { areas, units } = await loadReference(referenceDb.url);

  const ledgerService: LedgerService = await startLedgerService(
    await ledgerSettings(ledgerDb.url, nats.url),
  );
  const service = await startTalliesService(
    loadTalliesSettings({
      DATABASE_URL: referenceDb.url,
      NATS_URL: nats.url,
      HTTP_PORT: String(await freePort()),
      LOG_LEVEL: 'silent',
      // Telemetry is one per process: in-process beside the ledger, the service shares its handle.
      OTEL_SERVICE_NAME: 'ledger',
    }),
    { clock: () => now },
  );
  const nc = await connectNats({ servers: [nats.url], name: 'tallies-test' });
  const ledger = new LedgerClient(nc);
  const encoder = new TextEncoder();
  return {
    nats,
    nc,
    ledger,
    service,
    areas,
    units,
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
      await nats.stop();
      await Promise.all([ledgerDb.drop(), referenceDb.drop()]);
    },
  };
}
