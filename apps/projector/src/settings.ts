// The projector's settings, read and checked once at start; the defaults run the embedded stack.
import {
  databaseSettings,
  httpSettings,
  loadConfig,
  loggingSettings,
  natsSettings,
  telemetrySettings,
} from '@hpe/config';
import { z } from 'zod';

/** Health and status endpoints of the embedded stack's projector. */
export const defaultProjectorHttpPort = 8093;

export const projectorSettings = {
  ...loggingSettings,
  /** The read models' database (the reference tables are read from it too). */
  ...databaseSettings,
  ...natsSettings,
  ...telemetrySettings,
  ...httpSettings(defaultProjectorHttpPort),
  /** JSON log file; the embedded stack points it into its logs folder. Standard output when unset. */
  LOG_FILE: z.string().min(1).optional(),
  /** The durable JetStream consumer on EVENTS; one name per projector deployment. */
  PROJECTOR_DURABLE: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,64}$/)
    .default('projector'),
  /** Most events applied in one transaction. */
  PROJECTOR_BATCH_MAX: z.coerce.number().int().min(1).max(10_000).default(1_000),
  /** Longest wait for a batch to fill once its first event is in, in milliseconds. */
  PROJECTOR_BATCH_WAIT_MS: z.coerce.number().int().min(0).max(5_000).default(50),
  /** How long one ledger request (a gap's events) waits for its reply, in milliseconds. */
  LEDGER_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(5_000),
};

export type ProjectorSettings = ReturnType<typeof loadProjectorSettings>;

export function loadProjectorSettings(env?: Readonly<Record<string, string | undefined>>) {
  return loadConfig('projector', projectorSettings, env);
}
