// Vitest global set-up for the integration and end-to-end tiers: one real PostgreSQL cluster and
// one real nats-server (JetStream) per test run, on free loopback ports, in a throw-away folder.
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type * as _vitest from 'vitest';
import type { TestProject } from 'vitest/node';
import {
  freePort,
  startNats,
  startPostgres,
  type RunningNats,
  type RunningPostgres,
} from '@hpe/embedded';

declare module 'vitest' {
  export interface ProvidedContext {
    postgresUrl: string;
    postgresAdminUrl: string;
    natsUrl: string;
    natsMonitorUrl: string;
    testDataDir: string;
  }
}

let pg: RunningPostgres | undefined;
let nats: RunningNats | undefined;
let dir: string | undefined;

export async function setup(project: TestProject): Promise<void> {
  dir = mkdtempSync(join(tmpdir(), 'hpe-test-'));
  // PostgreSQL runs as its own system user when tests run as root: it must be able to enter here.
  chmodSync(dir, 0o755);
  const log = (line: string): void => console.log(`[test-kit] ${line}`);
  const [pgPort, natsPort, monitorPort] = [await freePort(), await freePort(), await freePort()];
  [pg, nats] = await Promise.all([
    startPostgres({
      dataDir: join(dir, 'pg'),
      port: pgPort,
      logFile: join(dir, 'logs', 'postgres.log'),
      database: 'election_test',
      durable: false,
      log,
    }),
    startNats({
      storeDir: join(dir, 'nats'),
      port: natsPort,
      monitorPort,
      logFile: join(dir, 'logs', 'nats.log'),
      pidFile: join(dir, 'run', 'nats.pid'),
      detached: false,
      log,
    }),
  ]);
  project.provide('postgresUrl', pg.url);
  project.provide('postgresAdminUrl', pg.adminUrl);
  project.provide('natsUrl', nats.url);
  project.provide('natsMonitorUrl', nats.monitorUrl);
  project.provide('testDataDir', dir);
}

export async function teardown(): Promise<void> {
  await Promise.all([pg?.stop('immediate'), nats?.stop()]);
  if (dir) rmSync(dir, { recursive: true, force: true });
}
