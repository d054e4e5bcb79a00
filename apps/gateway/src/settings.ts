// The gateway's settings, read and checked once at start.
import {
  databaseSettings,
  embeddedDefaults,
  httpSettings,
  loadConfig,
  loggingSettings,
  natsSettings,
  runModeSettings,
  telemetrySettings,
} from '@hpe/config';
import { z } from 'zod';

export const gatewaySettings = {
  ...runModeSettings,
  ...loggingSettings,
  ...databaseSettings,
  ...natsSettings,
  ...telemetrySettings,
  ...httpSettings(embeddedDefaults.gatewayPort),
  /** JSON log file; the embedded stack points it into its logs folder. Standard output when unset. */
  LOG_FILE: z.string().min(1).optional(),
  /** Largest request body accepted, in bytes (voter imports stream NDJSON and are limited apart). */
  HTTP_BODY_LIMIT: z.coerce
    .number()
    .int()
    .min(1_024)
    .max(64 << 20)
    .default(1 << 20),
};

export type GatewaySettings = ReturnType<typeof loadGatewaySettings>;

export function loadGatewaySettings(env?: Readonly<Record<string, string | undefined>>) {
  return loadConfig('gateway', gatewaySettings, env);
}
