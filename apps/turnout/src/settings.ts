// The turnout service's settings, read and checked once at start.
import {
  databaseSettings,
  httpSettings,
  loadConfig,
  loggingSettings,
  natsSettings,
  runModeSettings,
  telemetrySettings,
} from '@hpe/config';
import { z } from 'zod';

/** Health endpoints of the embedded stack's turnout service. */
export const defaultTurnoutHttpPort = 8092;

export const turnoutSettings = {
  ...runModeSettings,
  ...loggingSettings,
  /** The read models' database: the reference tables give an area's list size and election day. */
  ...databaseSettings,
  ...natsSettings,
  ...telemetrySettings,
  ...httpSettings(defaultTurnoutHttpPort),
  /** JSON log file; the embedded stack points it into its logs folder. Standard output when unset. */
  LOG_FILE: z.string().min(1).optional(),
  /** How many times a command is decided again after another writer moved its stream on. */
  TURNOUT_STALE_RETRIES: z.coerce.number().int().min(0).max(20).default(3),
  /** How long one ledger request waits for its reply, in milliseconds. */
  TURNOUT_LEDGER_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(5_000),
};

export type TurnoutSettings = ReturnType<typeof loadTurnoutSettings>;

export function loadTurnoutSettings(env?: Readonly<Record<string, string | undefined>>) {
  return loadConfig('turnout', turnoutSettings, env);
}
