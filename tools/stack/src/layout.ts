// Where every piece of the embedded stack keeps its data, logs and pid files, all under one folder.
import { join } from 'node:path';
import { embeddedDefaults } from '@hpe/config';
import type { StackSettings } from './settings.js';

export interface StackLayout {
  readonly dataDir: string;
  readonly postgresDir: string;
  readonly natsDir: string;
  readonly logsDir: string;
  readonly runDir: string;
  readonly stackLog: string;
  readonly postgresLog: string;
  readonly natsLog: string;
  readonly natsPid: string;
  /** The ledger's Ed25519 checkpoint-signing key; auditors take `<file>.pub`. */
  readonly signingKeyFile: string;
  readonly databaseUrl: string;
  readonly natsUrl: string;
  readonly natsMonitorUrl: string;
  appLog(name: string): string;
  appPid(name: string): string;
}

export function stackLayout(settings: StackSettings): StackLayout {
  const dataDir = settings.HPE_DATA_DIR;
  const logsDir = join(dataDir, 'logs');
  const runDir = join(dataDir, 'run');
  return {
    dataDir,
    postgresDir: join(dataDir, 'postgres'),
    natsDir: join(dataDir, 'nats'),
    logsDir,
    runDir,
    stackLog: join(logsDir, 'stack.log'),
    postgresLog: join(logsDir, 'postgres.log'),
    natsLog: join(logsDir, 'nats-server.log'),
    natsPid: join(runDir, 'nats-server.pid'),
    signingKeyFile: join(dataDir, 'keys', 'ledger-ed25519.pem'),
    databaseUrl: `postgresql://postgres@127.0.0.1:${settings.HPE_POSTGRES_PORT}/${embeddedDefaults.database}`,
    natsUrl: `nats://127.0.0.1:${settings.HPE_NATS_PORT}`,
    natsMonitorUrl: `http://127.0.0.1:${settings.HPE_NATS_MONITOR_PORT}`,
    appLog: (name) => join(logsDir, `${name}.log`),
    appPid: (name) => join(runDir, `${name}.pid`),
  };
}
