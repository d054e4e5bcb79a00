// Real servers for the anomalies service's integration tests: the ledger stack (a nats-server of
// the file's own, a ledger in-process on a test database, the reference data seeded into another)
// and the service with its detector and a schedule clock the test moves. Crafted events go in
// through the ledger client, the log's public write path.
import { deterministicUuidV7, type RecordedEvent } from '@hpe/domain';
import type { TestNats } from '@hpe/ledger/testing';
import { startLedgerStack, serviceOnStack, type ServiceOnStack } from '@hpe/ledger/testing/stack';
import { startAnomaliesService, type RunningAnomaliesService } from './service.js';
import { loadAnomaliesSettings } from './settings.js';

export interface AnomaliesHarness extends ServiceOnStack<RunningAnomaliesService> {
  readonly nats: TestNats;
  readonly referenceDatabaseUrl: string;
  setScheduleNow(now: Date): void;
  /** Appends crafted events (type + data) to one stream; their recorded ids in order. */
  append(streamId: string, events: readonly { type: string; data: object }[]): Promise<string[]>;
  /** Every event after `position`, from the ledger. */
  eventsAfter(position: number): Promise<RecordedEvent[]>;
  /** Waits until the detector has folded (and appended for) everything up to the head. */
  settle(): Promise<number>;
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
  const stack = await startLedgerStack('anomalies', {
    ...(options.referenceSeed === undefined ? {} : { referenceSeed: options.referenceSeed }),
  });
  const { ledger, head } = stack;
  let scheduleNow = options.scheduleNow ?? new Date('2026-03-13T00:00:00+07:00');
  const service = await startAnomaliesService(
    loadAnomaliesSettings(
      await stack.serviceEnv({
        ANOMALY_ELECTION_DATES: '2026-03-15',
        ANOMALY_SCHEDULE_POLL_MS: '50',
        ...(options.drill === true ? { HPE_CLOCK: 'drill' } : {}),
      }),
    ),
    options.drill === true
      ? {}
      : { clock: () => new Date('2026-03-15T12:00:00+07:00'), scheduleClock: () => scheduleNow },
  );
  return {
    ...serviceOnStack(stack, service),
    nats: stack.nats,
    referenceDatabaseUrl: stack.referenceDatabaseUrl,
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
  };
}
