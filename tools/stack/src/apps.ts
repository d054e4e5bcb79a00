// The apps the embedded stack runs, each as its own process. Later issues add the ledger, the
// services, the projector and the anomaly detector here.
import { join } from 'node:path';
import type { StackLayout } from './layout.js';
import { projectRoot, type StackSettings } from './settings.js';

export interface AppSpec {
  readonly name: string;
  readonly entry: string;
  readonly port: number;
  readonly env: Readonly<Record<string, string>>;
}

export function stackApps(settings: StackSettings, layout: StackLayout): AppSpec[] {
  const common: Record<string, string> = {
    HPE_MODE: settings.HPE_MODE,
    DATABASE_URL: layout.databaseUrl,
    NATS_URL: layout.natsUrl,
    LOG_LEVEL: settings.LOG_LEVEL,
    ...(settings.OTEL_EXPORTER_OTLP_ENDPOINT
      ? { OTEL_EXPORTER_OTLP_ENDPOINT: settings.OTEL_EXPORTER_OTLP_ENDPOINT }
      : {}),
    ...(settings.DEMO_PASSWORD ? { DEMO_PASSWORD: settings.DEMO_PASSWORD } : {}),
  };
  return [
    {
      name: 'gateway',
      entry: join(projectRoot, 'apps/gateway/dist/main.js'),
      port: settings.HPE_GATEWAY_PORT,
      env: {
        ...common,
        HTTP_HOST: '127.0.0.1',
        HTTP_PORT: String(settings.HPE_GATEWAY_PORT),
        LOG_FILE: layout.appLog('gateway'),
      },
    },
  ];
}
