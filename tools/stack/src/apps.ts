// The apps the embedded stack runs, each as its own process, in start order: the ledger first (the
// others need it), the services, the projector and the anomaly detector, then the gateway.
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
    HPE_CLOCK: settings.HPE_CLOCK,
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
      // Installs its schema with the administrator's DATABASE_URL and writes as ledger_writer
      // (trust authentication on 127.0.0.1 in the embedded PostgreSQL).
      name: 'ledger',
      entry: join(projectRoot, 'apps/ledger/dist/main.js'),
      port: settings.HPE_LEDGER_HTTP_PORT,
      env: {
        ...common,
        HTTP_HOST: '127.0.0.1',
        HTTP_PORT: String(settings.HPE_LEDGER_HTTP_PORT),
        LOG_FILE: layout.appLog('ledger'),
        LEDGER_SIGNING_KEY_FILE: layout.signingKeyFile,
      },
    },
    // The command services read the reference tables and append through the ledger; the projector
    // builds the read models the gateway queries; the detector appends anomalies.
    ...(
      [
        ['turnout', settings.HPE_TURNOUT_HTTP_PORT],
        ['voter-cards', settings.HPE_VOTER_CARDS_HTTP_PORT],
        ['tallies', settings.HPE_TALLIES_HTTP_PORT],
        ['incidents', settings.HPE_INCIDENTS_HTTP_PORT],
        ['projector', settings.HPE_PROJECTOR_HTTP_PORT],
        ['anomalies', settings.HPE_ANOMALIES_HTTP_PORT],
      ] as const
    ).map(([name, port]) => ({
      name,
      entry: join(projectRoot, `apps/${name}/dist/main.js`),
      port,
      env: {
        ...common,
        HTTP_HOST: '127.0.0.1',
        HTTP_PORT: String(port),
        LOG_FILE: layout.appLog(name),
        // A compressed day passes a reporting round in well under a second of real time.
        ...(name === 'anomalies' ? { ANOMALY_SCHEDULE_POLL_MS: '100' } : {}),
      },
    })),
    {
      name: 'gateway',
      entry: join(projectRoot, 'apps/gateway/dist/main.js'),
      port: settings.HPE_GATEWAY_PORT,
      env: {
        ...common,
        HTTP_HOST: '127.0.0.1',
        HTTP_PORT: String(settings.HPE_GATEWAY_PORT),
        LOG_FILE: layout.appLog('gateway'),
        // GET /ledger/verify checks the checkpoints' signatures with the key the ledger published
        // beside its signing key (the ledger starts first and creates both).
        LEDGER_PUBLIC_KEY_FILE: `${layout.signingKeyFile}.pub`,
      },
    },
  ];
}
