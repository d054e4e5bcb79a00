// The gateway's settings, read and checked once at start.
import {
  ConfigError,
  databaseSettings,
  embeddedDefaults,
  httpSettings,
  loadConfig,
  loggingSettings,
  natsSettings,
  runModeSettings,
  telemetrySettings,
} from '@hpe/config';
import { defaultDemoPassword } from '@hpe/read-models';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';

/** Signs demo-mode tokens when AUTH_JWT_SECRET is unset; refused outside demo mode. */
export const demoJwtSecret = 'hpe-demo-jwt-secret-do-not-use-outside-demo-mode';

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
  /** Requests per minute allowed to one caller (its token, or its address without one). */
  RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).max(10_000_000).default(6_000),
  /** The console's built files; the gateway serves them at `/` when index.html is there. */
  CONSOLE_DIR: z
    .string()
    .min(1)
    .default(fileURLToPath(new URL('../../console/dist', import.meta.url))),
  /** HS256 key of the access tokens, at least 32 characters; required outside demo mode. */
  AUTH_JWT_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  /** Lifetime of an access token in seconds (8 h: one polling-day shift). */
  AUTH_TOKEN_TTL_SECONDS: z.coerce
    .number()
    .int()
    .min(60)
    .max(24 * 3_600)
    .default(8 * 3_600),
  /** Login attempts allowed per client address and username per minute. */
  AUTH_LOGIN_ATTEMPTS_PER_MINUTE: z.coerce.number().int().min(1).max(10_000).default(10),
  /**
   * The ledger's PostgreSQL database, read (SELECT on ledger.events) by GET /ledger/verify; the
   * embedded stack keeps the ledger's schema in the read models' database, so DATABASE_URL when unset.
   */
  LEDGER_DATABASE_URL: databaseSettings.DATABASE_URL.removeDefault().optional(),
  /**
   * The ledger's checkpoint public key (SPKI PEM, `<signing key file>.pub`; the embedded stack's is
   * `<data>/keys/ledger-ed25519.pem.pub`), obtained outside the database. With it GET /ledger/verify
   * checks every checkpoint's signature and head; without it, the hash chain only.
   */
  LEDGER_PUBLIC_KEY_FILE: z.string().min(1).optional(),
  /** The demo users' password (the stack seeds them); its default is refused outside demo mode. */
  DEMO_PASSWORD: z.string().min(8).optional(),
};

type LoadedSettings = ReturnType<typeof loadConfig<typeof gatewaySettings>>;

export type GatewaySettings = Readonly<
  Omit<LoadedSettings, 'AUTH_JWT_SECRET'> & {
    /** Always set: AUTH_JWT_SECRET, or the demo secret in demo mode. */
    readonly AUTH_JWT_SECRET: string;
  }
>;

/**
 * Reads the settings once and refuses, naming each variable, a gateway outside demo mode that
 * would sign tokens with a known key or keep the published demo password.
 */
export function loadGatewaySettings(
  env?: Readonly<Record<string, string | undefined>>,
): GatewaySettings {
  const loaded = loadConfig('gateway', gatewaySettings, env);
  const problems: { variable: string; message: string }[] = [];
  const demo = loaded.HPE_MODE === 'demo';
  if (!demo) {
    if (loaded.AUTH_JWT_SECRET === undefined) {
      problems.push({
        variable: 'AUTH_JWT_SECRET',
        message: `is required when HPE_MODE is ${loaded.HPE_MODE} (a random string of at least 32 characters)`,
      });
    } else if (
      loaded.AUTH_JWT_SECRET === demoJwtSecret ||
      loaded.AUTH_JWT_SECRET.includes(defaultDemoPassword)
    ) {
      problems.push({
        variable: 'AUTH_JWT_SECRET',
        message: `is the published demo secret; refused when HPE_MODE is ${loaded.HPE_MODE}`,
      });
    }
    if (loaded.DEMO_PASSWORD === defaultDemoPassword) {
      problems.push({
        variable: 'DEMO_PASSWORD',
        message: `is the published default demo password; refused when HPE_MODE is ${loaded.HPE_MODE}`,
      });
    }
  }
  if (problems.length > 0) throw new ConfigError('gateway', problems);
  return Object.freeze({ ...loaded, AUTH_JWT_SECRET: loaded.AUTH_JWT_SECRET ?? demoJwtSecret });
}
