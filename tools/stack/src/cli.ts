#!/usr/bin/env node
// Entry point of the npm scripts stack:up, stack:down, stack:reset, stack:status and demo.
import { ConfigError } from '@hpe/config';
import { stackLayout } from './layout.js';
import { stackLogger } from './logger.js';
import { loadStackSettings } from './settings.js';
import { runDemo } from './demo.js';
import { stackDown, stackReset, stackStatus, stackUp } from './stack.js';

const usage = `usage: stack <up|down|reset|status|demo>

  up      start PostgreSQL, nats-server and every app; returns when all are healthy
  down    stop everything the stack started
  reset   stop everything and wipe all stack data
  status  what runs, where it listens, where its logs are
  demo    up, then the simulated election day and the console's address

settings (environment): HPE_DATA_DIR, HPE_POSTGRES_PORT, HPE_NATS_PORT, HPE_NATS_MONITOR_PORT,
HPE_GATEWAY_PORT, HPE_REFERENCE_SEED, HPE_CLOCK, HPE_DEMO_SCALE, HPE_DEMO_SPEED, LOG_LEVEL,
OTEL_EXPORTER_OTLP_ENDPOINT`;

async function main(command: string | undefined): Promise<number> {
  const settings = loadStackSettings();
  const layout = stackLayout(settings);
  const log = stackLogger(layout.stackLog);
  switch (command) {
    case 'up':
      await stackUp(settings, log);
      return 0;
    case 'down':
      await stackDown(settings, log);
      return 0;
    case 'reset':
      await stackReset(settings, log);
      return 0;
    case 'status': {
      const rows = await stackStatus(settings);
      const pad = (s: string, n: number): string => s.padEnd(n);
      console.log(`data folder: ${layout.dataDir}`);
      console.log(`logs:        ${layout.logsDir} (stack commands: ${layout.stackLog})`);
      console.log(`ledger key:  ${layout.signingKeyFile}.pub (Ed25519 public key for auditors)\n`);
      console.log(
        `${pad('component', 13)}${pad('state', 11)}${pad('pid', 9)}${pad('address', 28)}log`,
      );
      for (const r of rows) {
        console.log(
          `${pad(r.name, 13)}${pad(r.state, 11)}${pad(r.pid === undefined ? '-' : String(r.pid), 9)}${pad(r.address ?? '-', 28)}${r.log}` +
            (r.detail ? `\n${' '.repeat(13)}↳ ${r.detail}` : ''),
        );
      }
      return rows.every((r) => r.state === 'running') ? 0 : 3;
    }
    case 'demo': {
      await stackUp(settings, log);
      return runDemo(settings, layout, log);
    }
    default:
      console.error(usage);
      return command === undefined || command === 'help' || command === '--help' ? 0 : 2;
  }
}

main(process.argv[2]).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    if (error instanceof ConfigError) {
      console.error(error.message);
    } else {
      console.error(`✖ ${error instanceof Error ? error.message : String(error)}`);
      if (error instanceof Error && error.stack && process.env.LOG_LEVEL === 'debug')
        console.error(error.stack);
    }
    process.exitCode = 1;
  },
);
