// Starts the anomalies service: the acknowledge / dismiss commands (the kit's command service in
// queue group `anomalies`), then the detector folding EVENTS and the schedule emitter beside it.
import {
  commandQueues,
  startCommandService,
  type Clock,
  type CommandServiceOverrides,
  type RunningCommandService,
} from '@hpe/service-kit';
import { LedgerClient } from '@hpe/ledger-client';
import { closeNats, connectNats, type DrillClock } from '@hpe/messaging';
import { createReadModelClient } from '@hpe/read-models';
import type { DetectionReference } from '@hpe/domain';
import { AnomaliesModule } from './anomalies.module.js';
import { AnomalyDetectorRunner } from './detector/anomaly-detector-runner.js';
import { loadDetectionReference } from './detector/detection-reference.js';
import { ScheduleEmitter } from './schedule/schedule-emitter.js';
import type { AnomaliesSettings } from './settings.js';

export interface RunningAnomaliesService extends RunningCommandService {
  /** Undefined when ANOMALY_DETECTOR_ENABLED is false. */
  readonly detector: AnomalyDetectorRunner | undefined;
  readonly schedule: ScheduleEmitter | undefined;
}

export interface AnomaliesServiceOverrides extends CommandServiceOverrides {
  /** Drives the schedule; the command clock (or the wall clock) by default. */
  readonly scheduleClock?: Clock;
}

/**
 * The calendar in production; in a drill, the drill's time, and nothing due before its first tick
 * (a demo stack started after election day must not close every round the moment it starts).
 */
function scheduleClock(drill: DrillClock | undefined): Clock {
  if (drill === undefined) return () => new Date();
  return () => drill.now() ?? new Date(0);
}

export async function startAnomaliesService(
  settings: AnomaliesSettings,
  overrides: AnomaliesServiceOverrides = {},
): Promise<RunningAnomaliesService> {
  const service = await startCommandService(
    {
      name: 'anomalies',
      queue: commandQueues.anomalies,
      module: (deps) => AnomaliesModule.register(deps),
    },
    settings,
    overrides,
  );
  const log = service.logger;
  const nc = await connectNats({ servers: settings.NATS_URL, name: 'anomalies-detector', log });
  const ledger = new LedgerClient(nc, { timeoutMs: settings.LEDGER_TIMEOUT_MS });

  let detector: AnomalyDetectorRunner | undefined;
  if (settings.ANOMALY_DETECTOR_ENABLED) {
    const prisma = createReadModelClient(settings.DATABASE_URL, { maxConnections: 1 });
    let reference: DetectionReference = {};
    try {
      reference = await loadDetectionReference(prisma);
    } finally {
      await prisma.$disconnect();
    }
    detector = new AnomalyDetectorRunner({
      nc,
      ledger,
      context: { thresholds: settings.ANOMALY_THRESHOLDS, reference },
      log,
    });
    await detector.start();
  }

  let schedule: ScheduleEmitter | undefined;
  if (settings.ANOMALY_SCHEDULE_ENABLED) {
    schedule = new ScheduleEmitter({
      ledger,
      clock: overrides.scheduleClock ?? overrides.clock ?? scheduleClock(service.drillClock),
      electionDates: settings.ANOMALY_ELECTION_DATES,
      config: settings.ANOMALY_SCHEDULE,
      log,
      pollMs: settings.ANOMALY_SCHEDULE_POLL_MS,
    });
    schedule.start();
  }

  let closing: Promise<void> | undefined;
  return {
    ...service,
    detector,
    schedule,
    close: () => {
      closing ??= (async () => {
        await schedule?.stop();
        await detector?.stop();
        await closeNats(nc);
        await service.close();
      })();
      return closing;
    },
  };
}
