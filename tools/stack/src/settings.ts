// The embedded stack's own settings: where its data lives and which loopback ports it uses.
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { embeddedDefaults, loadConfig, portSchema, runModeSettings } from '@hpe/config';

export const projectRoot = fileURLToPath(new URL('../../../', import.meta.url));

export const stackSettings = {
  ...runModeSettings,
  HPE_DATA_DIR: z.string().min(1).default(`${projectRoot}.data`),
  HPE_POSTGRES_PORT: portSchema.default(embeddedDefaults.postgresPort),
  HPE_NATS_PORT: portSchema.default(embeddedDefaults.natsPort),
  HPE_NATS_MONITOR_PORT: portSchema.default(embeddedDefaults.natsMonitorPort),
  HPE_GATEWAY_PORT: portSchema.default(embeddedDefaults.gatewayPort),
  /** The ledger's health endpoints (its API is on NATS). */
  HPE_LEDGER_HTTP_PORT: portSchema.default(8091),
  /** Health endpoints of the services, the projector and the detector (their APIs are on NATS). */
  HPE_TURNOUT_HTTP_PORT: portSchema.default(8092),
  HPE_PROJECTOR_HTTP_PORT: portSchema.default(8093),
  HPE_VOTER_CARDS_HTTP_PORT: portSchema.default(8094),
  HPE_TALLIES_HTTP_PORT: portSchema.default(8095),
  HPE_INCIDENTS_HTTP_PORT: portSchema.default(8096),
  HPE_ANOMALIES_HTTP_PORT: portSchema.default(8097),
  /**
   * The services' clock: `drill` (default here) follows the simulator's compressed election day on
   * `hpe.drill.clock`; `wall` is the calendar, for a stack used on the real day.
   */
  HPE_CLOCK: z.enum(['wall', 'drill']).default('drill'),
  /** `npm run demo`: the share of voters who check in with cards, and how fast the day runs. */
  HPE_DEMO_SCALE: z.coerce.number().min(0).max(1).default(0.01),
  HPE_DEMO_SPEED: z.coerce.number().min(1).max(100_000).default(72),
  HPE_REFERENCE_SEED: z.string().min(1).default('haiphong-2026'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace']).default('info'),
  OTEL_EXPORTER_OTLP_ENDPOINT: z.string().url().optional(),
  DEMO_PASSWORD: z.string().min(8).optional(),
};

export type StackSettings = ReturnType<typeof loadStackSettings>;

export function loadStackSettings(env: Readonly<Record<string, string | undefined>> = process.env) {
  return loadConfig('stack', stackSettings, env);
}
