// Real servers for the gateway's integration tests: a nats-server of the file's own, a ledger
// in-process on a test database, the reference data and demo users in another, the services the
// test asks for (each started by the caller's function), and the gateway; plus HTTP helpers that
// sign in as demo users, and the ledger's head to prove a refusal wrote nothing.
import type {} from '@hpe/test-kit/global-setup';
import { freePort } from '@hpe/embedded';
import { LedgerClient } from '@hpe/ledger-client';
import { closeNats, connectNats } from '@hpe/messaging';
import {
  applyMigrations,
  defaultDemoPassword,
  seedDemoUsers,
  seedReferenceData,
} from '@hpe/read-models';
import { createTestDatabase, type TestDatabase } from '@hpe/test-kit';
import type { NatsConnection } from '@nats-io/transport-node';
import { startLedgerService, type LedgerService } from '@hpe/ledger/service';
import { ledgerSettings, startTestNats, type TestNats } from '@hpe/ledger/testing';
import { expect, inject } from 'vitest';
import { startGateway, type RunningGateway } from '../gateway.js';
import { loadGatewaySettings } from '../settings.js';

/** What a service needs to start beside the gateway; it returns how to stop it. */
export interface ServiceContext {
  readonly databaseUrl: string;
  readonly natsUrl: string;
  /** Settings every in-process service shares: a free health port, silent logs, one telemetry. */
  env(): Promise<Record<string, string>>;
}
export type ServiceStarter = (context: ServiceContext) => Promise<{ close(): Promise<void> }>;

export interface Answer {
  readonly status: number;
  readonly headers: Headers;
  readonly body: Record<string, unknown>;
}

export interface RequestOptions {
  readonly user?: string | undefined;
  readonly idempotencyKey?: string;
  /** Send the body as it is (a string), not as JSON. */
  readonly raw?: boolean;
  readonly headers?: Readonly<Record<string, string>>;
}

export interface GatewayHarness {
  readonly gateway: RunningGateway;
  readonly ledger: LedgerClient;
  readonly nc: NatsConnection;
  readonly referenceDatabaseUrl: string;
  tokenOf(username: string): Promise<string>;
  get(path: string, options?: RequestOptions): Promise<Answer>;
  post(path: string, body: unknown, options?: RequestOptions): Promise<Answer>;
  head(): Promise<number>;
  /** Runs `act` and checks that the ledger's head did not move. */
  appendsNothing(act: () => Promise<void>): Promise<void>;
  stop(): Promise<void>;
}

export function expectProblem(answer: Answer, status: number, code: string): void {
  expect({ status: answer.status, code: answer.body['code'] }).toEqual({ status, code });
  expect(answer.headers.get('content-type')).toContain('application/problem+json');
}

export async function startGatewayHarness(
  name: string,
  options: { services?: readonly ServiceStarter[]; gatewayEnv?: Record<string, string> } = {},
): Promise<GatewayHarness> {
  const adminUrl = inject('postgresAdminUrl');
  const nats: TestNats = await startTestNats();
  const ledgerDb: TestDatabase = await createTestDatabase(adminUrl, `${name}_ledger`);
  const referenceDb: TestDatabase = await createTestDatabase(adminUrl, `${name}_reference`);
  await applyMigrations(referenceDb.url);
  await seedReferenceData(referenceDb.url, { seed: 'haiphong-2026' });
  await seedDemoUsers(referenceDb.url, { password: defaultDemoPassword });
  const ledgerService: LedgerService = await startLedgerService(
    await ledgerSettings(ledgerDb.url, nats.url),
  );
  const context: ServiceContext = {
    databaseUrl: referenceDb.url,
    natsUrl: nats.url,
    env: async () => ({
      DATABASE_URL: referenceDb.url,
      NATS_URL: nats.url,
      HTTP_PORT: String(await freePort()),
      LOG_LEVEL: 'silent',
      // Telemetry is one per process: in-process beside the ledger, all share its handle.
      OTEL_SERVICE_NAME: 'ledger',
    }),
  };
  const services: { close(): Promise<void> }[] = [];
  for (const start of options.services ?? []) services.push(await start(context));
  const gateway = await startGateway(
    loadGatewaySettings({
      HTTP_PORT: String(await freePort()),
      LOG_LEVEL: 'silent',
      DATABASE_URL: referenceDb.url,
      NATS_URL: nats.url,
      OTEL_SERVICE_NAME: 'ledger',
      ...options.gatewayEnv,
    }),
  );
  const nc = await connectNats({ servers: [nats.url], name: `${name}-test` });
  const ledger = new LedgerClient(nc);

  const tokens = new Map<string, string>();
  const tokenOf = async (username: string): Promise<string> => {
    const known = tokens.get(username);
    if (known !== undefined) return known;
    const res = await fetch(`${gateway.url}/api/v1/auth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username, password: defaultDemoPassword }),
    });
    expect(res.status).toBe(200);
    const { accessToken } = (await res.json()) as { accessToken: string };
    tokens.set(username, accessToken);
    return accessToken;
  };
  const request = async (
    method: 'GET' | 'POST',
    path: string,
    body: unknown,
    opts: RequestOptions = {},
  ): Promise<Answer> => {
    const headers: Record<string, string> = { ...opts.headers };
    if (method === 'POST') headers['content-type'] ??= 'application/json';
    if (opts.user !== undefined) headers['authorization'] = `Bearer ${await tokenOf(opts.user)}`;
    if (opts.idempotencyKey !== undefined) headers['idempotency-key'] = opts.idempotencyKey;
    const res = await fetch(`${gateway.url}/api/v1${path}`, {
      method,
      headers,
      ...(method === 'POST'
        ? { body: opts.raw === true && typeof body === 'string' ? body : JSON.stringify(body) }
        : {}),
    });
    const text = await res.text();
    let parsed: Record<string, unknown>;
    try {
      parsed = text.length === 0 ? {} : (JSON.parse(text) as Record<string, unknown>);
    } catch {
      parsed = { text };
    }
    return { status: res.status, headers: res.headers, body: parsed };
  };
  const head = async (): Promise<number> => {
    const h = await ledger.head();
    if (!h.ok) throw new Error(h.error.code);
    return h.value.position;
  };
  return {
    gateway,
    ledger,
    nc,
    referenceDatabaseUrl: referenceDb.url,
    tokenOf,
    get: (path, opts) => request('GET', path, undefined, opts),
    post: (path, body, opts) => request('POST', path, body, opts),
    head,
    appendsNothing: async (act) => {
      const before = await head();
      await act();
      expect(await head()).toBe(before);
    },
    stop: async () => {
      await gateway.close();
      await closeNats(nc);
      for (const service of services.reverse()) await service.close();
      await ledgerService.close();
      await nats.stop();
      await Promise.all([ledgerDb.drop(), referenceDb.drop()]);
    },
  };
}
