// Process entry point of the projector: read settings once, start, stop gracefully on signals.
import { ConfigError } from '@hpe/config';
import { startProjector } from './projector.js';
import { loadProjectorSettings } from './settings.js';

startProjector(loadProjectorSettings()).then(
  (projector) => {
    for (const signal of ['SIGTERM', 'SIGINT'] as const) {
      process.once(signal, () => {
        projector.logger.info({ signal }, 'shutting down');
        projector.close().then(
          () => process.exit(0),
          (error: unknown) => {
            projector.logger.error({ err: error }, 'shutdown failed');
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
