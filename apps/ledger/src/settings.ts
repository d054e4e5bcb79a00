// The ledger's settings, read and checked once at start; the defaults run the embedded stack
// (trust authentication on 127.0.0.1, so the writer role logs in without a password).
import {
  ConfigError,
  databaseSettings,
  httpSettings,
  loadConfig,
  loggingSettings,
  natsSettings,
  telemetrySettings,
} from '@hpe/config';
import { assertNever } from '@hpe/domain';
import { z } from 'zod';
import { defaultLedgerLimits } from './storage/limits.js';

/** The role the ledger writes as: INSERT and SELECT on ledger.events, nothing else. */
export const ledgerWriterRole = 'ledger_writer';
export const defaultLedgerHttpPort = 8091;

const postgresUrl = z
  .string()
  .url()
  .refine((u) => /^postgres(ql)?:\/\//.test(u), 'must be a postgres:// or postgresql:// URL');

/** The KurrentDB client's connection string schemes (kurrentdb://, esdb://, kdb://, +discover). */
const kurrentDbUrl = z
  .string()
  .regex(
    /^(kurrentdb|kurrent|kdb|esdb)(\+discover)?:\/\/\S+$/,
    'must be a kurrentdb:// (or esdb://, kdb://, …+discover://) connection string',
  );

export const ledgerSettings = {
  ...loggingSettings,
  /** Administrator URL: installs the schema and holds the leader's advisory lock. */
  ...databaseSettings,
  /** URL the event store connects with; DATABASE_URL with user ledger_writer when unset. */
  LEDGER_DATABASE_URL: postgresUrl.optional(),
  ...natsSettings,
  ...telemetrySettings,
  /** Health endpoints (/health/live, /health/ready). */
  ...httpSettings(defaultLedgerHttpPort),
  /** JSON log file; the embedded stack points it into its logs folder. Standard output when unset. */
  LOG_FILE: z.string().min(1).optional(),
  /**
   * Largest event (canonical data + metadata). At most 512 KiB: the relay publishes each recorded
   * event as one message on EVENTS, whose max_msg_size is 1 MiB.
   */
  LEDGER_MAX_EVENT_BYTES: z.coerce
    .number()
    .int()
    .min(1_024)
    .max(512 * 1024)
    .default(defaultLedgerLimits.maxEventBytes),
  /**
   * Ed25519 private key (PKCS#8 PEM) that signs checkpoints; created with its public key beside it
   * (`<file>.pub`) when missing. Without it the ledger runs unsigned and says so in its log.
   */
  LEDGER_SIGNING_KEY_FILE: z.string().min(1).optional(),
  /** A checkpoint is signed after this many new events… */
  LEDGER_CHECKPOINT_EVERY_EVENTS: z.coerce.number().int().min(1).max(10_000_000).default(10_000),
  /** …or after this long, whichever comes first, when anything new was written. */
  LEDGER_CHECKPOINT_EVERY_MS: z.coerce.number().int().min(100).max(86_400_000).default(10_000),
  /**
   * Where the event log lives: `postgres` (the default, ledger.events in DATABASE_URL's database)
   * or `kurrentdb` (KURRENTDB_CONNECTION_STRING). Either way the leader's advisory lock is taken
   * in PostgreSQL (DATABASE_URL): see docs/adr/0011-kurrentdb-store-selection.md.
   */
  LEDGER_STORE: z.enum(['postgres', 'kurrentdb']).default('postgres'),
  /** The KurrentDB server, with LEDGER_STORE=kurrentdb; e.g. kurrentdb://host:2113?tls=true. */
  KURRENTDB_CONNECTION_STRING: kurrentDbUrl.optional(),
  /** Put before every ledger stream name on KurrentDB ('' or letters, digits, _ and - ending in '.'). */
  LEDGER_KURRENTDB_STREAM_PREFIX: z
    .string()
    .regex(/^([A-Za-z0-9_-]+\.)?$/, "must be empty or letters, digits, '_' and '-' ending in '.'")
    .default(''),
  LEDGER_MAX_EVENTS_PER_APPEND: z.coerce
    .number()
    .int()
    .min(1)
    .max(10_000)
    .default(defaultLedgerLimits.maxEventsPerAppend),
};

export type LedgerSettings = ReturnType<typeof loadLedgerSettings>;

export function loadLedgerSettings(env?: Readonly<Record<string, string | undefined>>) {
  const settings = loadConfig('ledger', ledgerSettings, env);
  // Checked here, at start, rather than when the store is built: a missing server address is a
  // settings mistake and is reported with the others' wording.
  if (settings.LEDGER_STORE === 'kurrentdb' && settings.KURRENTDB_CONNECTION_STRING === undefined) {
    throw new ConfigError('ledger', [
      {
        variable: 'KURRENTDB_CONNECTION_STRING',
        message: 'required when LEDGER_STORE=kurrentdb',
      },
    ]);
  }
  return settings;
}

/** Which event store the service builds, with what it needs to connect. */
export type LedgerStoreChoice =
  | { readonly kind: 'postgres'; readonly connectionString: string }
  | {
      readonly kind: 'kurrentdb';
      readonly connectionString: string;
      readonly streamPrefix: string;
    };

export function ledgerStoreChoice(settings: LedgerSettings): LedgerStoreChoice {
  switch (settings.LEDGER_STORE) {
    case 'postgres':
      return { kind: 'postgres', connectionString: ledgerDatabaseUrl(settings) };
    case 'kurrentdb': {
      const connectionString = settings.KURRENTDB_CONNECTION_STRING;
      // loadLedgerSettings refuses this combination; settings built another way are a bug.
      if (connectionString === undefined) {
        throw new Error('LEDGER_STORE=kurrentdb without KURRENTDB_CONNECTION_STRING');
      }
      return {
        kind: 'kurrentdb',
        connectionString,
        streamPrefix: settings.LEDGER_KURRENTDB_STREAM_PREFIX,
      };
    }
    default:
      return assertNever(settings.LEDGER_STORE);
  }
}

/** The event store's URL: the explicit one, or the administrator's with the writer role's name. */
export function ledgerDatabaseUrl(settings: LedgerSettings): string {
  if (settings.LEDGER_DATABASE_URL !== undefined) return settings.LEDGER_DATABASE_URL;
  const url = new URL(settings.DATABASE_URL);
  url.username = ledgerWriterRole;
  url.password = '';
  return url.toString();
}
