// The settings every command service reads: where NATS, PostgreSQL (reference data) and telemetry
// are, its health port, and how patient it is with the ledger.
import {
  databaseSettings,
  httpSettings,
  loggingSettings,
  natsSettings,
  runModeSettings,
  telemetrySettings,
} from '@hpe/config';
import { z } from 'zod';

export function commandServiceSettings(defaultHttpPort: number) {
  return {
    ...runModeSettings,
    ...loggingSettings,
    /** The read models' database: the reference tables the services decide with. */
    ...databaseSettings,
    ...natsSettings,
    ...telemetrySettings,
    ...httpSettings(defaultHttpPort),
    /** JSON log file; the embedded stack points it into its logs folder. Standard output when unset. */
    LOG_FILE: z.string().min(1).optional(),
    /** How many times a command is decided again after another writer moved its stream on. */
    COMMAND_STALE_RETRIES: z.coerce.number().int().min(0).max(20).default(3),
    /**
     * `wall`: commands are decided at the calendar's time (production). `drill`: at the time the
     * simulator publishes on `hpe.drill.clock` (the embedded stack: a compressed election day).
     */
    HPE_CLOCK: z.enum(['wall', 'drill']).default('wall'),
    /** How long one ledger request waits for its reply, in milliseconds. */
    LEDGER_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(5_000),
  };
}

/** The settings every command service has (its own may hold more). */
export type CommandServiceSettings = Readonly<
  z.infer<z.ZodObject<ReturnType<typeof commandServiceSettings>>>
>;
