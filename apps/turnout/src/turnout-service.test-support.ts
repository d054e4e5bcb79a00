// Real servers for the turnout service's integration tests: the ledger stack (a nats-server of the
// file's own, a ledger in-process on a test database, the reference data seeded into another) and
// the service itself with a clock the test sets.
import { createReadModelClient } from '@hpe/read-models';
// The ledger's package surface does not export its service; its tests' helpers are reused as is.
import type { TestNats } from '@hpe/ledger/testing';
import { startLedgerStack, serviceOnStack, type ServiceOnStack } from '@hpe/ledger/testing/stack';
import { loadTurnoutSettings } from './settings.js';
import { startTurnoutService, type RunningTurnoutService } from './turnout-service.js';

export interface AreaRef {
  readonly pollingAreaId: string;
  readonly votersOnList: number;
  readonly electionDate: string;
}

export interface TurnoutHarness extends ServiceOnStack<RunningTurnoutService> {
  readonly nats: TestNats;
  readonly referenceDatabaseUrl: string;
  /** Reference areas voting on 15 March, and those of Bạch Long Vĩ (14 March). */
  readonly regularAreas: readonly AreaRef[];
  readonly bachLongViAreas: readonly AreaRef[];
  setNow(now: Date): void;
}

export async function startTurnoutHarness(initialNow: Date): Promise<TurnoutHarness> {
  const stack = await startLedgerStack('turnout');
  const prisma = createReadModelClient(stack.referenceDatabaseUrl, { maxConnections: 2 });
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

  let now = initialNow;
  const service = await startTurnoutService(loadTurnoutSettings(await stack.serviceEnv()), {
    clock: () => now,
  });
  return {
    ...serviceOnStack(stack, service),
    nats: stack.nats,
    referenceDatabaseUrl: stack.referenceDatabaseUrl,
    regularAreas: refs.filter((a) => a.electionDate === '2026-03-15'),
    bachLongViAreas: refs.filter((a) => a.electionDate === '2026-03-14'),
    setNow: (next) => {
      now = next;
    },
  };
}
