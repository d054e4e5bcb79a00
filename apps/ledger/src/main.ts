// Process entry point of the ledger: read settings once, start, drain and stop on SIGTERM/SIGINT,
// and exit non-zero when leadership is lost so a supervisor starts a clean instance.
import { ConfigError } from '@hpe/config';
import { startLedgerService, type LedgerService } from './service.js';
import { loadLedgerSettings } from './settings.js';

async function main(): Promise<void> {
  const settings = loadLedgerSettings();
  // Set once started; leadership can only be lost after the service has started.
  const started: { service?: LedgerService } = {};
  const running = await startLedgerService(settings, {
    onLeadershipLost: (error) => {
      // Exiting is the safe choice: the writer's cached head and the relay's position may be
      // wrong once another instance has written; a fresh process starts from the database.
      started.service?.logger.error({ err: error }, 'leadership lost; exiting');
      started.service?.logger.flush();
      process.exit(75);
    },
  });
  started.service = running;
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      running.logger.info({ signal }, 'shutting down');
      running.close().then(
        () => process.exit(0),
        (error: unknown) => {
          running.logger.error({ err: error }, 'shutdown failed');
          process.exit(1);
        },
      );
    });
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
});
