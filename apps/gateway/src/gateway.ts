// Builds the gateway around its connections: NestJS on Fastify, problem+json errors, pino logs
// with trace ids, shutdown that drains NATS and closes the PostgreSQL pool.
import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import type { LoggerService } from '@nestjs/common';
import { LedgerClient } from '@hpe/ledger-client';
import { closeNats, connectNats } from '@hpe/messaging';
import { createReadModelClient } from '@hpe/read-models';
import { createLogger, startTelemetry, type Telemetry } from '@hpe/telemetry';
import pg from 'pg';
import type { Logger } from 'pino';
import { AppModule } from './app.module.js';
import { consoleRouteFallback, registerConsole } from './http/console-static.js';
import { registerRateLimits } from './http/rate-limits.js';
import { loadLedgerPublicKeys } from './ledger/ledger-verifier.js';
import { ProblemFilter } from './problem.filter.js';
import type { GatewaySettings } from './settings.js';

export interface RunningGateway {
  readonly app: NestFastifyApplication;
  readonly url: string;
  readonly logger: Logger;
  close(): Promise<void>;
}

/** Nest's own messages (start-up, routes) go to the same pino log as everything else. */
function nestLogger(logger: Logger): LoggerService {
  const line = (message: unknown, context?: unknown): [Record<string, unknown>, string] => [
    { context: typeof context === 'string' ? context : 'nest' },
    String(message),
  ];
  return {
    log: (m, c) => logger.info(...line(m, c)),
    error: (m, c) => logger.error(...line(m, c)),
    warn: (m, c) => logger.warn(...line(m, c)),
    debug: (m, c) => logger.debug(...line(m, c)),
    verbose: (m, c) => logger.trace(...line(m, c)),
  };
}

export async function startGateway(settings: GatewaySettings): Promise<RunningGateway> {
  // Before any connection: a key file that cannot be read stops the start, naming the setting.
  const ledgerPublicKeys = loadLedgerPublicKeys(settings);
  const telemetry: Telemetry = startTelemetry({
    serviceName: settings.OTEL_SERVICE_NAME ?? 'gateway',
    ...(settings.OTEL_EXPORTER_OTLP_ENDPOINT
      ? { otlpEndpoint: settings.OTEL_EXPORTER_OTLP_ENDPOINT }
      : {}),
  });
  const logger = createLogger({
    name: 'gateway',
    level: settings.LOG_LEVEL,
    ...(settings.LOG_FILE ? { destination: settings.LOG_FILE } : {}),
  });
  const pool = new pg.Pool({
    connectionString: settings.DATABASE_URL,
    max: 20,
    application_name: 'gateway',
  });
  // An idle client losing its server must not crash the process; readiness reports it instead.
  pool.on('error', (error) => logger.warn({ err: error }, 'PostgreSQL pool error'));
  const nats = await connectNats({ servers: settings.NATS_URL, name: 'gateway', log: logger });
  const prisma = createReadModelClient(settings.DATABASE_URL, { maxConnections: 10 });

  const adapter = new FastifyAdapter({ bodyLimit: settings.HTTP_BODY_LIMIT, trustProxy: false });
  const app = await NestFactory.create<NestFastifyApplication>(
    AppModule.register({
      settings,
      pool,
      prisma,
      nats,
      logger,
      // Readiness gives the ledger 2 s; a NOT_LEADER during failover is retried within that.
      ledger: new LedgerClient(nats, { timeoutMs: 2_000, retryNotLeaderForMs: 1_000 }),
      ledgerPublicKeys,
    }),
    adapter,
    { logger: nestLogger(logger), abortOnError: false },
  );
  const fastify = app.getHttpAdapter().getInstance();
  await registerRateLimits(fastify, { perMinute: settings.RATE_LIMIT_PER_MINUTE });
  const consoleServed = await registerConsole(fastify, settings.CONSOLE_DIR, logger);
  app.useGlobalFilters(new ProblemFilter(logger, consoleServed ? consoleRouteFallback : undefined));
  await app.listen(settings.HTTP_PORT, settings.HTTP_HOST);
  const address = fastify.server.address();
  const port = typeof address === 'object' && address !== null ? address.port : settings.HTTP_PORT;
  const url = `http://${settings.HTTP_HOST}:${port}`;
  logger.info({ url, mode: settings.HPE_MODE }, 'gateway listening');

  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closing ??= (async () => {
      await app.close();
      await closeNats(nats);
      await pool.end();
      await prisma.$disconnect();
      await telemetry.shutdown();
      logger.info('gateway stopped');
      logger.flush();
    })();
    return closing;
  };
  return { app, url, logger, close };
}
