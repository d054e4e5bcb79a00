// `npm run demo`: once the stack is up, the operations console's address and the accounts to sign
// in with, then the simulated election day in the foreground (the simulator in load-tests/), so
// the console moves within seconds and the day ends in about a quarter of an hour.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import type { StackLayout } from './layout.js';
import type { StackLogger } from './logger.js';
import { projectRoot, type StackSettings } from './settings.js';

/** Exit code of the simulator when the stack already holds an election day. */
const stackAlreadyUsed = 3;

export async function runDemo(
  settings: StackSettings,
  layout: StackLayout,
  log: StackLogger,
): Promise<number> {
  const gateway = `http://127.0.0.1:${settings.HPE_GATEWAY_PORT}`;
  const password = settings.DEMO_PASSWORD ?? 'election-day-2026';
  log.step('demo');
  log.info(`operations console: ${gateway}/  (Vietnamese; English from the language menu)`);
  log.info(
    `sign in as ops, police, auditor or admin, commune-<communeId> or pa-<pollingAreaId>; password "${password}"`,
  );
  log.info(`API: ${gateway}/api/v1/openapi.json · health: ${gateway}/health/ready`);
  log.info(
    `simulating election day: ${(settings.HPE_DEMO_SCALE * 100).toFixed(1)} % of voters checking in with cards, ${settings.HPE_DEMO_SPEED}× real time, every anomaly kind planted once`,
  );
  log.info('Ctrl-C stops the simulation; the stack keeps running (npm run stack:down stops it).');
  const code = await new Promise<number>((resolve) => {
    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        join(projectRoot, 'load-tests/src/simulator/cli.ts'),
        '--base-url',
        gateway,
        '--nats-url',
        layout.natsUrl,
        '--password',
        password,
        '--reference-seed',
        settings.HPE_REFERENCE_SEED,
        '--scale',
        String(settings.HPE_DEMO_SCALE),
        '--speed',
        String(settings.HPE_DEMO_SPEED),
        '--inject',
        'all',
        '--summary',
        join(layout.logsDir, 'simulator-summary.json'),
      ],
      { cwd: projectRoot, stdio: 'inherit' },
    );
    child.on('exit', (exitCode, signal) => resolve(exitCode ?? (signal === null ? 1 : 0)));
  });
  if (code === stackAlreadyUsed) {
    log.info(
      `this stack already holds a simulated day: the console at ${gateway}/ shows it. For a new day: npm run stack:reset && npm run demo`,
    );
    return 0;
  }
  log.info(
    `the day is over; the console at ${gateway}/ keeps showing it until npm run stack:down.`,
  );
  return code;
}
