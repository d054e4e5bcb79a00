// Process entry point of the gateway: read settings once, start, stop cleanly on SIGTERM/SIGINT.
import { ConfigError } from '@hpe/config';
import { startGateway } from './gateway.js';
import { loadGatewaySettings } from './settings.js';

async function main(): Promise<void> {
  const settings = loadGatewaySettings();
  const gateway = await startGateway(settings);
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      gateway.logger.info({ signal }, 'shutting down');
      gateway.close().then(
        () => process.exit(0),
        (error: unknown) => {
          gateway.logger.error({ err: error }, 'shutdown failed');
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
