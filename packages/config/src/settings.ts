// Building blocks of each app's settings. An app composes the blocks it needs into one zod
// object and reads it once at start with loadConfig; the defaults run the embedded stack.
import { z } from 'zod';
import { defaultDatabaseUrl, defaultNatsUrl } from './embedded-defaults.js';

const port = z.coerce.number().int().min(1).max(65_535);

export const runModeSettings = {
  /** `demo` is the embedded stack with demo users; `production` refuses demo defaults. */
  HPE_MODE: z.enum(['demo', 'production', 'test']).default('demo'),
};

export const loggingSettings = {
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
};

export const databaseSettings = {
  DATABASE_URL: z
    .string()
    .url()
    .refine((u) => /^postgres(ql)?:\/\//.test(u), 'must be a postgres:// or postgresql:// URL')
    .default(defaultDatabaseUrl),
};

export const natsSettings = {
  /** One URL or several, comma-separated (a cluster). */
  NATS_URL: z
    .string()
    .default(defaultNatsUrl)
    .transform((s) =>
      s
        .split(',')
        .map((u) => u.trim())
        .filter((u) => u.length > 0),
    )
    .pipe(
      z.array(z.string().regex(/^(nats|tls|wss?):\/\/[^\s]+$/, 'must be a nats:// URL')).min(1),
    ),
};

export const telemetrySettings = {
  /** OTLP/HTTP endpoint; when unset, traces and metrics stay in-process (quiet). */
  OTEL_EXPORTER_OTLP_ENDPOINT: z.string().url().optional(),
  OTEL_SERVICE_NAME: z.string().min(1).optional(),
};

export function httpSettings(defaultPort: number) {
  return {
    HTTP_HOST: z.string().min(1).default('127.0.0.1'),
    HTTP_PORT: port.default(defaultPort),
  };
}

export { port as portSchema };
