// Process entry point of the turnout service: read settings once, start, and on SIGTERM/SIGINT
// stop taking commands, finish those under way and drain NATS before exiting.
import { ConfigError } from '@hpe/config';
import { loadTurnoutSettings } from './settings.js';
import { startTurnoutService } from './turnout-service.js';

async function main(): Promise<void> {
  const settings = loadTurnoutSettings();
  const service = await startTurnoutService(settings);
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
}

main().catch((error: unknown) => {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
});
