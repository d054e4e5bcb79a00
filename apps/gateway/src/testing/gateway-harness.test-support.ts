// Real servers for the gateway's integration tests: a nats-server of the file's own, a ledger
// in-process on a test database, the reference data and demo users in another, the services the
// test asks for (each started by the caller's function), the projector when asked, and the
// gateway; plus HTTP helpers that sign in as demo users, and the ledger's head to prove a refusal
// wrote nothing.
import type {} from '@hpe/test-kit/global-setup';
import { freePort } from '@hpe/embedded';
import type { Level } from '@hpe/domain';
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
import { startProjector, type RunningProjector } from '@hpe/projector';
import { loadProjectorSettings } from '@hpe/projector/settings';
import pg from 'pg';
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

/** A polling area of the reference data with what tests need to address and check it. */
export interface ReferenceArea {
  readonly pollingAreaId: string;
  readonly communeId: string;
  readonly votersOnList: number;
  readonly electionDate: string;
  readonly units: Readonly<Record<Level, string>>;
}

export interface GatewayHarnessOptions {
  readonly services?: readonly ServiceStarter[];
  /** Starts the projector in-process on the read models, so queries see what commands wrote. */
  readonly projector?: boolean;
  /** More settings of the ledger (a signing key, checkpoint intervals). */
  readonly ledgerEnv?: Record<string, string>;
  readonly gatewayEnv?: Record<string, string>;
}

export interface GatewayHarness {
  readonly gateway: RunningGateway;
  readonly ledger: LedgerClient;
  readonly nc: NatsConnection;
  readonly natsUrl: string;
  readonly referenceDatabaseUrl: string;
  /** The ledger's own database (ledger.events), as a superuser: tamper tests edit it. */
  readonly ledgerDatabaseUrl: string;
  /** The projector, when the harness was asked for one. */
  readonly projector: RunningProjector | undefined;
  /** Every polling area of the reference data, by id order. */
  readonly areas: readonly ReferenceArea[];
  tokenOf(username: string): Promise<string>;
  get(path: string, options?: RequestOptions): Promise<Answer>;
  post(path: string, body: unknown, options?: RequestOptions): Promise<Answer>;
  head(): Promise<number>;
  /** Resolves once the projector has applied `position` (fails without a projector). */
  projected(position: number): Promise<void>;
  /** Runs `act` and checks that the ledger's head did not move. */
  appendsNothing(act: () => Promise<void>): Promise<void>;
  stop(): Promise<void>;
}

export function expectProblem(answer: Answer, status: number, code: string): void {
  expect({ status: answer.status, code: answer.body['code'] }).toEqual({ status, code });
  expect(answer.headers.get('content-type')).toContain('application/problem+json');
}

async function readAreas(databaseUrl: string): Promise<ReferenceArea[]> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{
      polling_area_id: string;
      commune_id: string;
      voters_on_list: number;
      election_date: string;
      na_unit_id: string;
      city_unit_id: string;
      commune_unit_id: string;
    }>(
      `select p.polling_area_id, p.commune_id, p.voters_on_list, c.election_date,
              p.na_unit_id, p.city_unit_id, p.commune_unit_id
         from polling_area p join commune c using (commune_id) order by p.polling_area_id`,
    );
    return rows.map((r) => ({
      pollingAreaId: r.polling_area_id,
      communeId: r.commune_id,
      votersOnList: Number(r.voters_on_list),
      electionDate: r.election_date,
      units: { na: r.na_unit_id, city: r.city_unit_id, commune: r.commune_unit_id },
    }));
  } finally {
    await client.end();
  }
}

export async function startGatewayHarness(
  name: string,
  options: GatewayHarnessOptions = {},
): Promise<GatewayHarness> {
  const adminUrl = inject('postgresAdminUrl');
  const nats: TestNats = await startTestNats();
  const ledgerDb: TestDatabase = await createTestDatabase(adminUrl, `${name}_ledger`);
  const referenceDb: TestDatabase = await createTestDatabase(adminUrl, `${name}_reference`);
  await applyMigrations(referenceDb.url);
  await seedReferenceData(referenceDb.url, { seed: 'haiphong-2026' });
  await seedDemoUsers(referenceDb.url, { password: defaultDemoPassword });
  const ledgerService: LedgerService = await startLedgerService(
    await ledgerSettings(ledgerDb.url, nats.url, options.ledgerEnv),
  );
  const areas = await readAreas(referenceDb.url);
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
  const projector =
    options.projector === true
      ? await startProjector(
          loadProjectorSettings({
            ...(await context.env()),
            // Batches close fast: tests wait on single commands, not on throughput.
            PROJECTOR_BATCH_WAIT_MS: '5',
          }),
        )
      : undefined;
  const gateway = await startGateway(
    loadGatewaySettings({
      HTTP_PORT: String(await freePort()),
      LOG_LEVEL: 'silent',
      DATABASE_URL: referenceDb.url,
      LEDGER_DATABASE_URL: ledgerDb.url,
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
    natsUrl: nats.url,
    referenceDatabaseUrl: referenceDb.url,
    ledgerDatabaseUrl: ledgerDb.url,
    projector,
    areas,
    tokenOf,
    get: (path, opts) => request('GET', path, undefined, opts),
    post: (path, body, opts) => request('POST', path, body, opts),
    head,
    projected: async (position) => {
      if (projector === undefined) throw new Error('the harness was started without a projector');
      await projector.waitFor(position);
    },
    appendsNothing: async (act) => {
      const before = await head();
      await act();
      expect(await head()).toBe(before);
    },
    stop: async () => {
      await gateway.close();
      await closeNats(nc);
      await projector?.close();
      for (const service of services.reverse()) await service.close();
      await ledgerService.close();
      await nats.stop();
      await Promise.all([ledgerDb.drop(), referenceDb.drop()]);
    },
  };
}
