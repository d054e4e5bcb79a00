// Starts the turnout service: one NATS connection (commands in, ledger requests out), the read
// models' reference tables, the Nest microservice in queue group `turnout` and the health port;
// close() stops taking commands, lets those under way reply, then drains and disconnects.
import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import type { INestMicroservice, LoggerService } from '@nestjs/common';
import { LedgerClient } from '@hpe/ledger-client';
import { connectNats } from '@hpe/messaging';
import { createReadModelClient } from '@hpe/read-models';
import { createLogger, startTelemetry, type Logger } from '@hpe/telemetry';
import { v7 as uuidv7 } from 'uuid';
import { startHealthServer, timedCheck } from './health/health-server.js';
import { PrismaPollingAreaDirectory } from './shared/polling-area-directory.js';
import type { Clock, NewEventId } from './shared/tokens.js';
import { TurnoutNatsServer } from './shared/turnout-nats-server.js';
import type { TurnoutSettings } from './settings.js';
import { TurnoutModule } from './turnout.module.js';

export interface TurnoutServiceOverrides {
  /** The time commands are decided at; the system clock by default. Tests set "now". */
  readonly clock?: Clock;
  readonly newEventId?: NewEventId;
}

export interface RunningTurnoutService {
  readonly app: INestMicroservice;
  readonly healthUrl: string;
  readonly logger: Logger;
  close(): Promise<void>;
}

/** Nest's own messages go to the same pino log as everything else. */
function nestLogger(logger: Logger): LoggerService {
  const line = (message: unknown, context?: unknown): [Record<string, unknown>, string] => [
    { context: typeof context === 'string' ? context : 'nest' },
    message instanceof Error ? message.message : String(message),
  ];
  return {
    log: (m, c) => logger.info(...line(m, c)),
    error: (m, c) => logger.error(...line(m, c)),
    warn: (m, c) => logger.warn(...line(m, c)),
    debug: (m, c) => logger.debug(...line(m, c)),
    verbose: (m, c) => logger.trace(...line(m, c)),
  };
}

export async function startTurnoutService(
  settings: TurnoutSettings,
  overrides: TurnoutServiceOverrides = {},
): Promise<RunningTurnoutService> {
  const telemetry = startTelemetry({
    serviceName: settings.OTEL_SERVICE_NAME ?? 'turnout',
    ...(settings.OTEL_EXPORTER_OTLP_ENDPOINT
      ? { otlpEndpoint: settings.OTEL_EXPORTER_OTLP_ENDPOINT }
      : {}),
  });
  const logger = createLogger({
    name: 'turnout',
    level: settings.LOG_LEVEL,
    ...(settings.LOG_FILE ? { destination: settings.LOG_FILE } : {}),
  });
  const prisma = createReadModelClient(settings.DATABASE_URL, { maxConnections: 5 });
  const nats = await connectNats({ servers: settings.NATS_URL, name: 'turnout', log: logger });
  const ledger = new LedgerClient(nats, { timeoutMs: settings.TURNOUT_LEDGER_TIMEOUT_MS });
  const server = new TurnoutNatsServer({ connection: nats, log: logger });

  const app = await NestFactory.createMicroservice(
    TurnoutModule.register({
      ledger,
      directory: new PrismaPollingAreaDirectory(prisma),
      clock: overrides.clock ?? (() => new Date()),
      newEventId: overrides.newEventId ?? (() => uuidv7()),
      runner: { staleRetries: settings.TURNOUT_STALE_RETRIES },
      log: logger,
    }),
    { strategy: server, logger: nestLogger(logger), abortOnError: false },
  );
  await app.listen();

  const health = await startHealthServer({
    host: settings.HTTP_HOST,
    port: settings.HTTP_PORT,
    readiness: async () => {
      const [natsCheck, ledgerCheck] = await Promise.all([
        timedCheck(async () => {
          if (!server.isConnected()) throw new Error('connection closed');
          await nats.flush();
        }, 2_000),
        timedCheck(async () => {
          const head = await ledger.head();
          if (!head.ok) throw new Error(`${head.error.code}: ${head.error.message}`);
        }, 2_000),
      ]);
      return {
        status: natsCheck.ok && ledgerCheck.ok ? 'ok' : 'unavailable',
        checks: { nats: natsCheck, ledger: ledgerCheck },
      };
    },
  });
  logger.info({ health: health.url, queue: 'turnout' }, 'turnout service started');

  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closing ??= (async () => {
      await health.close();
      // Closes the transport: no new commands, those under way answered, NATS drained.
      await app.close();
      await prisma.$disconnect();
      await telemetry.shutdown();
      logger.info('turnout service stopped');
      logger.flush();
    })();
    return closing;
  };
  return { app, healthUrl: health.url, logger, close };
}
