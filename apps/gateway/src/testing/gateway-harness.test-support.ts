// Real servers for the gateway's integration tests: the ledger stack (a nats-server of the file's
// own, a ledger in-process on a test database, the reference data in another) with the demo users,
// the services the test asks for (each started by the caller's function), the projector when asked,
// and the gateway; plus HTTP helpers that sign in as demo users, the ledger's head to prove a
// refusal wrote nothing, and ways to hand out reference areas no other test has touched.
import { freePort } from '@hpe/embedded';
import type { Level, RecordedEvent } from '@hpe/domain';
import type { LedgerClient } from '@hpe/ledger-client';
import { defaultDemoPassword, seedDemoUsers } from '@hpe/read-models';
import type { NatsConnection } from '@nats-io/transport-node';
import { startLedgerStack } from '@hpe/ledger/testing/stack';
import { startProjector, type RunningProjector } from '@hpe/projector';
import { loadProjectorSettings } from '@hpe/projector/settings';
import pg from 'pg';
import { expect } from 'vitest';
import { startGateway, type RunningGateway } from '../gateway.js';
import { loadGatewaySettings } from '../settings.js';

/** What a service needs to start beside the gateway. */
export interface ServiceContext {
  readonly databaseUrl: string;
  readonly natsUrl: string;
  /**
   * Settings every in-process service shares (a free health port, silent logs, one telemetry),
   * then `extra`.
   */
  env(extra?: Record<string, string>): Promise<Record<string, string>>;
}
export interface StartedService {
  /** May be called by the test before the harness stops (a service going away); once is enough. */
  close(): Promise<void>;
}
/** Starts a service beside the gateway; what it answers (the running service) is how to stop it. */
export type ServiceStarter<S extends StartedService = StartedService> = (
  context: ServiceContext,
) => Promise<S>;

export interface Answer {
  readonly status: number;
  readonly headers: Headers;
  /** The body parsed as JSON; `{ text }` when it is not JSON, `{}` when it is empty. */
  readonly body: Record<string, unknown>;
  /** The body as it came. */
  readonly text: string;
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
  /** The events of one stream of the ledger, from its first. */
  readStream(streamId: string): Promise<RecordedEvent[]>;
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

/** The demo user reporting for one polling area. */
export const reporterOf = (area: Pick<ReferenceArea, 'pollingAreaId'>): string =>
  `pa-${area.pollingAreaId}`;
/** The demo user of an area's commune. */
export const communeUserOf = (area: Pick<ReferenceArea, 'communeId'>): string =>
  `commune-${area.communeId}`;

/** The areas grouped by commune, in the order their communes first come. */
export function groupByCommune<A extends Pick<ReferenceArea, 'communeId'>>(
  areas: readonly A[],
): A[][] {
  const byCommune = new Map<string, A[]>();
  for (const area of areas) {
    const list = byCommune.get(area.communeId) ?? [];
    list.push(area);
    byCommune.set(area.communeId, list);
  }
  return [...byCommune.values()];
}

/**
 * Hands out `items` one at a time, each once, so that tests sharing one ledger never touch the
 * same stream; throws `out of <what>` when none is left.
 */
export function handOut<T>(items: readonly T[], what: string): () => T {
  let next = 0;
  return () => {
    const item = items[next];
    next += 1;
    if (item === undefined) throw new Error(`out of ${what}`);
    return item;
  };
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
  const stack = await startLedgerStack(
    name,
    options.ledgerEnv === undefined ? {} : { ledgerEnv: options.ledgerEnv },
  );
  const { nc, ledger, head, referenceDatabaseUrl, ledgerDatabaseUrl } = stack;
  const natsUrl = stack.nats.url;
  await seedDemoUsers(referenceDatabaseUrl, { password: defaultDemoPassword });
  const areas = await readAreas(referenceDatabaseUrl);
  const context: ServiceContext = {
    databaseUrl: referenceDatabaseUrl,
    natsUrl,
    env: (extra) => stack.serviceEnv(extra),
  };
  const services: StartedService[] = [];
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
      DATABASE_URL: referenceDatabaseUrl,
      LEDGER_DATABASE_URL: ledgerDatabaseUrl,
      NATS_URL: natsUrl,
      OTEL_SERVICE_NAME: 'ledger',
      ...options.gatewayEnv,
    }),
  );

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
    // A POST without a body (undefined) goes without one and without a content type.
    const sendsBody = method === 'POST' && body !== undefined;
    const headers: Record<string, string> = { ...opts.headers };
    if (sendsBody) headers['content-type'] ??= 'application/json';
    if (opts.user !== undefined) headers['authorization'] = `Bearer ${await tokenOf(opts.user)}`;
    if (opts.idempotencyKey !== undefined) headers['idempotency-key'] = opts.idempotencyKey;
    const res = await fetch(`${gateway.url}/api/v1${path}`, {
      method,
      headers,
      ...(sendsBody
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
    return { status: res.status, headers: res.headers, body: parsed, text };
  };
  return {
    gateway,
    ledger,
    nc,
    natsUrl,
    referenceDatabaseUrl,
    ledgerDatabaseUrl,
    projector,
    areas,
    tokenOf,
    get: (path, opts) => request('GET', path, undefined, opts),
    post: (path, body, opts) => request('POST', path, body, opts),
    head,
    readStream: stack.readStream,
    projected: async (position) => {
      if (projector === undefined) throw new Error('the harness was started without a projector');
      await projector.waitFor(position);
    },
    appendsNothing: stack.appendsNothing,
    stop: async () => {
      await gateway.close();
      await projector?.close();
      for (const service of services.reverse()) await service.close();
      await stack.stop();
    },
  };
}
