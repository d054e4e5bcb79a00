// Real servers for the incidents service's integration tests: the ledger stack (a nats-server of
// the file's own, a ledger in-process on a test database, the reference data seeded into another)
// and the service itself with a clock the test sets.
import { createReadModelClient } from '@hpe/read-models';
import { startLedgerStack, serviceOnStack, type ServiceOnStack } from '@hpe/ledger/testing/stack';
import { startIncidentsService, type RunningIncidentsService } from './service.js';
import { loadIncidentsSettings } from './settings.js';

export interface AreaRef {
  readonly pollingAreaId: string;
  readonly communeId: string;
}

export interface IncidentsHarness extends ServiceOnStack<RunningIncidentsService> {
  readonly areas: readonly AreaRef[];
  setNow(now: Date): void;
}

export async function startIncidentsHarness(initialNow: Date): Promise<IncidentsHarness> {
  const stack = await startLedgerStack('incidents');
  const prisma = createReadModelClient(stack.referenceDatabaseUrl, { maxConnections: 2 });
  const areas = await prisma.pollingArea.findMany({
    select: { pollingAreaId: true, communeId: true },
    orderBy: { pollingAreaId: 'asc' },
    take: 50,
  });
  await prisma.$disconnect();

  let now = initialNow;
  const service = await startIncidentsService(loadIncidentsSettings(await stack.serviceEnv()), {
    clock: () => now,
  });
  return {
    ...serviceOnStack(stack, service),
    areas,
    setNow: (next) => {
      now = next;
    },
  };
}
