// stack:up / down / reset / status: PostgreSQL and nats-server as local processes with their data
// under the project, migrations, the reference dataset, then every app as its own process.
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import {
  ensureSystemTools,
  postgresRunning,
  readPid,
  runningPid,
  startDetached,
  startNats,
  startPostgres,
  stopPidFile,
  stopPostgres,
  waitForHttp,
} from '@hpe/embedded';
import { connectNats, closeNats, ensureEventsStream } from '@hpe/messaging';
import { jetstreamManager } from '@nats-io/jetstream';
import {
  applyMigrations,
  defaultDemoPassword,
  seedDemoUsers,
  seedReferenceData,
} from '@hpe/read-models';
import { stackApps, type AppSpec } from './apps.js';
import { stackLayout, type StackLayout } from './layout.js';
import type { StackLogger } from './logger.js';
import type { StackSettings } from './settings.js';

export interface ComponentStatus {
  readonly name: string;
  readonly state: 'running' | 'stopped' | 'unhealthy';
  readonly pid?: number;
  readonly address?: string;
  readonly log: string;
  readonly detail?: string;
}

async function startApp(app: AppSpec, layout: StackLayout, log: StackLogger): Promise<void> {
  const pidFile = layout.appPid(app.name);
  const health = `http://127.0.0.1:${app.port}/health/ready`;
  if (runningPid(pidFile) !== undefined) {
    log.info(`${app.name} already running`);
  } else {
    if (!existsSync(app.entry)) {
      throw new Error(
        `${app.name} is not built (${app.entry} is missing): run \`npm run build\` first`,
      );
    }
    log.info(`starting ${app.name} on 127.0.0.1:${app.port}`);
    startDetached({
      command: process.execPath,
      args: ['--enable-source-maps', app.entry],
      logFile: layout.appLog(app.name),
      pidFile,
      env: { ...process.env, ...app.env },
    });
  }
  await waitForHttp(health, {
    timeoutMs: 60_000,
    isAlive: () => runningPid(pidFile) !== undefined,
  }).catch((error: unknown) => {
    throw new Error(
      `${app.name} did not become ready: ${error instanceof Error ? error.message : String(error)}. See ${layout.appLog(app.name)}`,
    );
  });
  log.info(`${app.name} ready (${health})`);
}

export async function stackUp(settings: StackSettings, log: StackLogger): Promise<void> {
  const layout = stackLayout(settings);
  const started = Date.now();
  mkdirSync(layout.logsDir, { recursive: true });
  log.info(`data folder: ${layout.dataDir}`);
  await ensureSystemTools(['postgres', 'nats-server'], (l) => log.info(l));

  log.step('1/5 PostgreSQL');
  await startPostgres({
    dataDir: layout.postgresDir,
    port: settings.HPE_POSTGRES_PORT,
    logFile: layout.postgresLog,
    database: 'election',
    durable: true,
    log: (l) => log.info(l),
  });
  log.info(`PostgreSQL ready at ${layout.databaseUrl}`);

  log.step('2/5 nats-server (JetStream)');
  await startNats({
    storeDir: layout.natsDir,
    port: settings.HPE_NATS_PORT,
    monitorPort: settings.HPE_NATS_MONITOR_PORT,
    logFile: layout.natsLog,
    pidFile: layout.natsPid,
    detached: true,
    log: (l) => log.info(l),
  });
  const nc = await connectNats({ servers: [layout.natsUrl], name: 'stack' });
  try {
    const outcome = await ensureEventsStream(await jetstreamManager(nc));
    log.info(`JetStream stream EVENTS ${outcome}`);
  } finally {
    await closeNats(nc);
  }

  log.step('3/5 migrations');
  const report = await applyMigrations(layout.databaseUrl, { log: (l) => log.info(l) });
  log.info(`${report.applied.length} applied, ${report.alreadyApplied.length} already in place`);

  log.step('4/5 reference dataset');
  const seeded = await seedReferenceData(layout.databaseUrl, { seed: settings.HPE_REFERENCE_SEED });
  log.info(
    seeded.loaded
      ? `loaded Hải Phòng 2026 (seed "${seeded.seed}", sha256 ${seeded.sha256.slice(0, 16)}…): ${seeded.counts}`
      : `already loaded (seed "${seeded.seed}", sha256 ${seeded.sha256.slice(0, 16)}…)`,
  );
  if (settings.HPE_MODE === 'demo') {
    const users = await seedDemoUsers(layout.databaseUrl, {
      password: settings.DEMO_PASSWORD ?? defaultDemoPassword,
    });
    log.info(
      users.created > 0
        ? `seeded ${users.created} demo users in ${users.elapsedMs} ms (admin, ops, police, auditor, commune-<id>, pa-<id>)`
        : `demo users already in place (${users.expected})`,
    );
  }

  log.step('5/5 apps');
  for (const app of stackApps(settings, layout)) await startApp(app, layout, log);
  log.info(
    `stack is up in ${((Date.now() - started) / 1000).toFixed(1)} s; logs in ${layout.logsDir}`,
  );
}

export async function stackDown(settings: StackSettings, log: StackLogger): Promise<void> {
  const layout = stackLayout(settings);
  for (const app of stackApps(settings, layout).reverse()) {
    if (await stopPidFile(layout.appPid(app.name))) log.info(`stopped ${app.name}`);
  }
  if (await stopPidFile(layout.natsPid)) log.info('stopped nats-server');
  if (await stopPostgres(layout.postgresDir)) log.info('stopped PostgreSQL');
  log.info('stack is down');
}

export async function stackReset(settings: StackSettings, log: StackLogger): Promise<void> {
  await stackDown(settings, log);
  const layout = stackLayout(settings);
  // Only our own sub-folders: HPE_DATA_DIR may point at a folder that holds other things.
  for (const dir of [layout.postgresDir, layout.natsDir, layout.runDir, layout.logsDir]) {
    rmSync(dir, { recursive: true, force: true });
  }
  log.info(`wiped all stack data under ${layout.dataDir}`);
}

async function probe(url: string): Promise<string | undefined> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(2_000) });
    return res.ok ? undefined : `HTTP ${res.status}: ${(await res.text()).slice(0, 200)}`;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

export async function stackStatus(settings: StackSettings): Promise<ComponentStatus[]> {
  const layout = stackLayout(settings);
  const out: ComponentStatus[] = [];
  const pgUp = await postgresRunning(layout.postgresDir);
  // PostgreSQL writes its own pid file: the first line of postmaster.pid.
  const pgPid = pgUp ? readPid(join(layout.postgresDir, 'postmaster.pid')) : undefined;
  out.push({
    name: 'postgres',
    state: pgUp ? 'running' : 'stopped',
    ...(pgPid !== undefined ? { pid: pgPid } : {}),
    address: `127.0.0.1:${settings.HPE_POSTGRES_PORT}`,
    log: layout.postgresLog,
  });
  const natsPid = runningPid(layout.natsPid);
  const natsProblem =
    natsPid === undefined
      ? undefined
      : await probe(`${layout.natsMonitorUrl}/healthz?js-enabled-only=true`);
  out.push({
    name: 'nats-server',
    state: natsPid === undefined ? 'stopped' : natsProblem ? 'unhealthy' : 'running',
    ...(natsPid !== undefined ? { pid: natsPid } : {}),
    address: layout.natsUrl,
    log: layout.natsLog,
    ...(natsProblem ? { detail: natsProblem } : {}),
  });
  for (const app of stackApps(settings, layout)) {
    const pid = runningPid(layout.appPid(app.name));
    const problem =
      pid === undefined ? undefined : await probe(`http://127.0.0.1:${app.port}/health/ready`);
    out.push({
      name: app.name,
      state: pid === undefined ? 'stopped' : problem ? 'unhealthy' : 'running',
      ...(pid !== undefined ? { pid } : {}),
      address: `http://127.0.0.1:${app.port}`,
      log: layout.appLog(app.name),
      ...(problem ? { detail: problem } : {}),
    });
  }
  return out;
}
