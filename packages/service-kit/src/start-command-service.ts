// Starts a command service: telemetry and log, one NATS connection (commands in, ledger requests
// out), the read models' reference tables, the Nest microservice in the service's queue group and
// the health port. close() stops taking commands, lets those under way reply, then drains NATS.
import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import type { DynamicModule, INestMicroservice, LoggerService } from '@nestjs/common';
import { ConfigError } from '@hpe/config';
import { LedgerClient } from '@hpe/ledger-client';
import { commandClock, connectNats, DrillClock } from '@hpe/messaging';
import { createReadModelClient, type PrismaClient } from '@hpe/read-models';
import { createLogger, startTelemetry, type Logger } from '@hpe/telemetry';
import { v7 as uuidv7 } from 'uuid';
import { CommandNatsServer } from './command-nats-server.js';
import { CommandTransport } from './command-transport.js';
import { startHealthServer, timedCheck } from './health-server.js';
import type { CommandServiceSettings } from './service-settings.js';
import {
  StreamCommandRunner,
  type Clock,
  type LedgerPort,
  type NewEventId,
} from './stream-command-runner.js';
import { COMMAND_RUNNER, COMMAND_TRANSPORT, LOGGER } from './tokens.js';

export interface CommandServiceOverrides {
  /** The time commands are decided at; the system clock by default. Tests set "now". */
  readonly clock?: Clock;
  readonly newEventId?: NewEventId;
}

/** What a service's module is built from. */
export interface CommandServiceDeps {
  readonly ledger: LedgerPort;
  readonly prisma: PrismaClient;
  readonly runner: StreamCommandRunner;
  readonly transport: CommandTransport;
  readonly log: Logger;
  readonly clock: Clock;
  readonly newEventId: NewEventId;
  /** The drill's clock when HPE_CLOCK=drill (the service's schedule may follow it too). */
  readonly drillClock: DrillClock | undefined;
}

export interface CommandServiceDefinition {
  /** The service's name in logs, traces and its NATS connection. */
  readonly name: string;
  /** The queue group its subjects are served in. */
  readonly queue: string;
  readonly module: (deps: CommandServiceDeps) => DynamicModule;
  /** Connections to the read models' database; 5 by default. */
  readonly maxDatabaseConnections?: number;
}

export interface RunningCommandService {
  readonly app: INestMicroservice;
  /** The drill's clock when HPE_CLOCK=drill, undefined otherwise. */
  readonly drillClock?: DrillClock | undefined;
  readonly healthUrl: string;
  readonly logger: Logger;
  close(): Promise<void>;
}

/** The providers every service module needs, under the kit's tokens. */
export function commandServiceProviders(deps: CommandServiceDeps) {
  return [
    { provide: COMMAND_RUNNER, useValue: deps.runner },
    { provide: COMMAND_TRANSPORT, useValue: deps.transport },
    { provide: LOGGER, useValue: deps.log },
  ];
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

export async function startCommandService(
  definition: CommandServiceDefinition,
  settings: CommandServiceSettings,
  overrides: CommandServiceOverrides = {},
): Promise<RunningCommandService> {
  const { name, queue } = definition;
  const telemetry = startTelemetry({
    serviceName: settings.OTEL_SERVICE_NAME ?? name,
    ...(settings.OTEL_EXPORTER_OTLP_ENDPOINT
      ? { otlpEndpoint: settings.OTEL_EXPORTER_OTLP_ENDPOINT }
      : {}),
  });
  const logger = createLogger({
    name,
    level: settings.LOG_LEVEL,
    ...(settings.LOG_FILE ? { destination: settings.LOG_FILE } : {}),
  });
  const prisma = createReadModelClient(settings.DATABASE_URL, {
    maxConnections: definition.maxDatabaseConnections ?? 5,
  });
  const nats = await connectNats({ servers: settings.NATS_URL, name, log: logger });
  const ledger = new LedgerClient(nats, { timeoutMs: settings.LEDGER_TIMEOUT_MS });
  const server = new CommandNatsServer({ connection: nats, log: logger, queue });
  const drillClock = settings.HPE_CLOCK === 'drill' ? new DrillClock(nats) : undefined;
  const clock = overrides.clock ?? commandClock(settings.HPE_CLOCK, drillClock);
  const newEventId = overrides.newEventId ?? (() => uuidv7());
  const runner = new StreamCommandRunner({
    ledger,
    clock,
    newEventId,
    options: { staleRetries: settings.COMMAND_STALE_RETRIES },
    log: logger,
  });
  const deps: CommandServiceDeps = {
    ledger,
    prisma,
    runner,
    transport: new CommandTransport(logger),
    log: logger,
    clock,
    newEventId,
    drillClock,
  };

  const app = await NestFactory.createMicroservice(definition.module(deps), {
    strategy: server,
    logger: nestLogger(logger),
    abortOnError: false,
  });
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
  logger.info({ health: health.url, queue, clock: settings.HPE_CLOCK }, `${name} service started`);

  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closing ??= (async () => {
      await health.close();
      // Closes the transport: no new commands, those under way answered, NATS drained.
      // Stops following ticks; commands under way keep the last time it read.
      drillClock?.close();
      await app.close();
      await prisma.$disconnect();
      await telemetry.shutdown();
      logger.info(`${name} service stopped`);
      logger.flush();
    })();
    return closing;
  };
  return { app, healthUrl: health.url, logger, drillClock, close };
}

/** The process entry point of a service: start, and on SIGTERM/SIGINT close gracefully. */
export function runCommandServiceMain(start: () => Promise<RunningCommandService>): void {
  start().then(
    (service) => {
      for (const signal of ['SIGTERM', 'SIGINT'] as const) {
        process.once(signal, () => {
          service.logger.info({ signal }, 'shutting down');
          service.close().then(
            () => process.exit(0),
            (error: unknown) => {
              service.logger.error({ err: error }, 'shutdown failed');
              process.exit(1);
            },
          );
        });
      }
    },
    (error: unknown) => {
      console.error(error instanceof ConfigError ? error.message : error);
      process.exit(1);
    },
  );
}
