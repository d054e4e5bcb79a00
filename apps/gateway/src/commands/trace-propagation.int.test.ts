// One trace from the HTTP request to the ledger's commit, across real process boundaries: the
// ledger and the turnout service run as their own processes (their built entry points), the
// gateway in this one, each exporting its spans to a real OTLP/HTTP collector on loopback. A
// command sent with a W3C traceparent must come back as one tree: the caller's span → the
// gateway's → the service's → the ledger's append, and the committed event names the trace too.
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, rmSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type {} from '@hpe/test-kit/global-setup';
import { freePort, waitForHttp } from '@hpe/embedded';
import { LedgerClient } from '@hpe/ledger-client';
import {
  ledgerEnv,
  startLedgerProcess,
  startTestNats,
  type LedgerProcess,
  type TestNats,
} from '@hpe/ledger/testing';
import { closeNats, connectNats } from '@hpe/messaging';
import {
  applyMigrations,
  defaultDemoPassword,
  seedDemoUsers,
  seedReferenceData,
} from '@hpe/read-models';
import { startOtlpCollector, type CollectedSpan, type OtlpCollector } from '@hpe/telemetry/testing';
import { createTestDatabase, type TestDatabase } from '@hpe/test-kit';
import type { NatsConnection } from '@nats-io/transport-node';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startGateway, type RunningGateway } from '../gateway.js';
import { loadGatewaySettings } from '../settings.js';

const turnoutMain = fileURLToPath(new URL('../../../turnout/dist/main.js', import.meta.url));
/** OTLP's SpanKind: SERVER. */
const serverKind = 2;

let collector: OtlpCollector;
let nats: TestNats;
let ledgerDb: TestDatabase;
let referenceDb: TestDatabase;
let ledgerProcess: LedgerProcess | undefined;
let turnout: ChildProcess | undefined;
let gateway: RunningGateway | undefined;
let nc: NatsConnection | undefined;
const logDir = mkdtempSync(join(tmpdir(), 'gateway-trace-'));

/** Settings that make a process export its spans to the collector within a fraction of a second. */
const exporting = (service: string): Record<string, string> => ({
  OTEL_EXPORTER_OTLP_ENDPOINT: collector.url,
  OTEL_SERVICE_NAME: service,
  // Read by the OpenTelemetry SDK's batch processor: export every 200 ms rather than every 5 s.
  OTEL_BSP_SCHEDULE_DELAY: '200',
});

async function startTurnoutProcess(): Promise<ChildProcess> {
  if (!existsSync(turnoutMain)) {
    throw new Error(`${turnoutMain} is missing: build apps/turnout first`);
  }
  const port = await freePort();
  const out = openSync(join(logDir, 'turnout.log'), 'a');
  const child = spawn(process.execPath, ['--enable-source-maps', turnoutMain], {
    // Only the service's own settings: the child reads nothing else.
    env: {
      TZ: 'Asia/Ho_Chi_Minh',
      DATABASE_URL: referenceDb.url,
      NATS_URL: nats.url,
      HTTP_HOST: '127.0.0.1',
      HTTP_PORT: String(port),
      LOG_LEVEL: 'info',
      ...exporting('turnout'),
    },
    stdio: ['ignore', out, out],
  });
  closeSync(out);
  await waitForHttp(`http://127.0.0.1:${port}/health/ready`, {
    timeoutMs: 30_000,
    isAlive: () => child.exitCode === null && child.signalCode === null,
  });
  return child;
}

async function stopProcess(child: ChildProcess | undefined): Promise<void> {
  if (child === undefined || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

beforeAll(async () => {
  collector = await startOtlpCollector();
  const adminUrl = inject('postgresAdminUrl');
  nats = await startTestNats();
  ledgerDb = await createTestDatabase(adminUrl, 'gateway_trace_ledger');
  referenceDb = await createTestDatabase(adminUrl, 'gateway_trace_reference');
  await applyMigrations(referenceDb.url);
  await seedReferenceData(referenceDb.url, { seed: 'haiphong-2026' });
  await seedDemoUsers(referenceDb.url, { password: defaultDemoPassword });
  ledgerProcess = await startLedgerProcess(
    await ledgerEnv(ledgerDb.url, nats.url, exporting('ledger')),
    join(logDir, 'ledger.log'),
  );
  turnout = await startTurnoutProcess();
  gateway = await startGateway(
    loadGatewaySettings({
      HTTP_PORT: String(await freePort()),
      LOG_LEVEL: 'silent',
      DATABASE_URL: referenceDb.url,
      NATS_URL: nats.url,
      ...exporting('gateway'),
    }),
  );
  nc = await connectNats({ servers: [nats.url], name: 'gateway-trace-test' });
}, 120_000);

afterAll(async () => {
  await gateway?.close();
  if (nc !== undefined) await closeNats(nc);
  await stopProcess(turnout);
  if (ledgerProcess !== undefined) {
    ledgerProcess.kill('SIGTERM');
    await ledgerProcess.exited;
  }
  await nats?.stop();
  await Promise.all([ledgerDb?.drop(), referenceDb?.drop()]);
  await collector?.close();
  rmSync(logDir, { recursive: true, force: true });
}, 60_000);

/** The spans of one trace, once `ready` says all that is expected has been exported. */
async function traceOf(
  traceId: string,
  ready: (spans: readonly CollectedSpan[]) => boolean,
): Promise<CollectedSpan[]> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const spans = collector.spans().filter((s) => s.traceId === traceId);
    if (ready(spans)) return spans;
    if (Date.now() > deadline) {
      throw new Error(
        `trace ${traceId} incomplete: ${spans.map((s) => `${s.service}:${s.name}`).join(', ')}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function someArea(): Promise<string> {
  const client = new pg.Client({ connectionString: referenceDb.url });
  await client.connect();
  try {
    const { rows } = await client.query<{ id: string }>(
      `select p.polling_area_id as id from polling_area p join commune c using (commune_id)
        where c.election_date = '2026-03-15' order by p.polling_area_id limit 1`,
    );
    const id = rows[0]?.id;
    if (id === undefined) throw new Error('no polling area');
    return id;
  } finally {
    await client.end();
  }
}

describe('one trace from the HTTP request to the ledger commit', () => {
  it('links the caller, the gateway, the turnout service and the ledger by trace id and parent', async () => {
    if (gateway === undefined || nc === undefined) throw new Error('not started');
    const pollingAreaId = await someArea();
    const login = await fetch(`${gateway.url}/api/v1/auth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'admin', password: defaultDemoPassword }),
    });
    const { accessToken } = (await login.json()) as { accessToken: string };
    const traceId = randomBytes(16).toString('hex');
    const callerSpanId = randomBytes(8).toString('hex');
    const res = await fetch(`${gateway.url}/api/v1/polling-areas/${pollingAreaId}/open`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${accessToken}`,
        traceparent: `00-${traceId}-${callerSpanId}-01`,
      },
      body: JSON.stringify({ at: '2026-03-15T07:00:00+07:00' }),
    });
    expect(res.status, await res.clone().text()).toBe(201);

    const spans = await traceOf(traceId, (found) =>
      ['gateway', 'turnout', 'ledger'].every((service) => found.some((s) => s.service === service))
        ? found.some((s) => s.service === 'ledger' && s.name === 'ledger.append')
        : false,
    );
    const byId = new Map(spans.map((s) => [s.spanId, s]));
    const ancestors = (span: CollectedSpan): CollectedSpan[] => {
      const chain: CollectedSpan[] = [];
      for (let p = byId.get(span.parentSpanId); p !== undefined; p = byId.get(p.parentSpanId)) {
        chain.push(p);
      }
      return chain;
    };

    // The gateway's span continues the caller's trace, as the server side of its request.
    const atGateway = spans.find((s) => s.service === 'gateway' && s.name === 'POST turnout.open');
    expect(atGateway).toMatchObject({ parentSpanId: callerSpanId, kind: serverKind });
    // The service's span is the child of the gateway's, across NATS.
    const atService = spans.find((s) => s.service === 'turnout' && s.name === 'turnout.open');
    expect(atService?.parentSpanId).toBe(atGateway?.spanId);
    // The ledger's append (and the read of the stream the service decided on) are children of
    // the service's span, across NATS again.
    const append = spans.find((s) => s.service === 'ledger' && s.name === 'ledger.append');
    if (append === undefined || atService === undefined) throw new Error('spans missing');
    expect(append.parentSpanId).toBe(atService.spanId);
    expect(
      spans.filter((s) => s.service === 'ledger').map((s) => [s.name, s.parentSpanId]),
    ).toEqual(
      expect.arrayContaining([
        ['ledger.readStream', atService.spanId],
        ['ledger.append', atService.spanId],
      ]),
    );
    expect(ancestors(append).map((s) => s.name)).toEqual(['turnout.open', 'POST turnout.open']);
    expect(ancestors(append).at(-1)?.parentSpanId).toBe(callerSpanId);

    // The committed event carries the trace in its metadata (for projections and auditors).
    const ledger = new LedgerClient(nc);
    const stream = await ledger.readStream(`turnout-${pollingAreaId}`, {});
    if (!stream.ok) throw new Error(stream.error.code);
    const opened = stream.value.events.find((e) => e.type === 'PollingAreaOpened');
    const [, eventTraceId, eventSpanId] = (opened?.metadata.traceparent ?? '').split('-');
    expect(eventTraceId).toBe(traceId);
    expect(eventSpanId).toBe(atService.spanId);
  }, 60_000);
});
