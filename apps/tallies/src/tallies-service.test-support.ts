// Real servers for the tallies service's integration tests: the ledger stack (a nats-server of the
// file's own, a ledger in-process on a test database, the reference data seeded into another) and
// the service itself; plus the reference units and a builder of consistent minutes.
import type { CountingMinute, Level } from '@hpe/domain';
import { createReadModelClient } from '@hpe/read-models';
import type { TestNats } from '@hpe/ledger/testing';
import { startLedgerStack, serviceOnStack, type ServiceOnStack } from '@hpe/ledger/testing/stack';
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

export interface TalliesHarness extends ServiceOnStack<RunningTalliesService> {
  readonly nats: TestNats;
  readonly areas: readonly RefArea[];
  readonly units: ReadonlyMap<string, RefUnit>;
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
  const stack = await startLedgerStack('tallies');
  const { areas, units } = await loadReference(stack.referenceDatabaseUrl);
  const service = await startTalliesService(loadTalliesSettings(await stack.serviceEnv()), {
    clock: () => now,
  });
  return {
    ...serviceOnStack(stack, service, { timeoutMs: 30_000 }),
    nats: stack.nats,
    areas,
    units,
  };
}
