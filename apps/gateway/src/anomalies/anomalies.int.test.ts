// Acknowledge and dismiss through HTTP against real servers: PostgreSQL with the reference data and
// demo users, nats-server, a ledger, the anomalies service (with its detector) and the gateway
// in-process. The anomalies are raised by the detector from events appended through the ledger.
import { randomUUID } from 'node:crypto';
import type {} from '@hpe/test-kit/global-setup';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { deterministicUuidV7 } from '@hpe/domain';
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
import { loadAnomaliesSettings } from '@hpe/anomalies/settings';
import { startAnomaliesService, type RunningAnomaliesService } from '@hpe/anomalies/service';
import { startGateway, type RunningGateway } from '../gateway.js';
import { loadGatewaySettings } from '../settings.js';

let nats: TestNats;
let ledgerDb: TestDatabase;
let referenceDb: TestDatabase;
let ledgerService: LedgerService;
let anomalies: RunningAnomaliesService | undefined;
let gateway: RunningGateway;
let nc: NatsConnection;
let ledger: LedgerClient;
let area = { pollingAreaId: '', communeId: '' };

beforeAll(async () => {
  const adminUrl = inject('postgresAdminUrl');
  nats = await startTestNats();
  ledgerDb = await createTestDatabase(adminUrl, 'gateway_anomalies_ledger');
  referenceDb = await createTestDatabase(adminUrl, 'gateway_anomalies_reference');
  await applyMigrations(referenceDb.url);
  await seedReferenceData(referenceDb.url, { seed: 'haiphong-2026' });
  await seedDemoUsers(referenceDb.url, { password: defaultDemoPassword });
  const client = new pg.Client({ connectionString: referenceDb.url });
  await client.connect();
  try {
    const { rows } = await client.query<{ polling_area_id: string; commune_id: string }>(
      `select polling_area_id, commune_id from polling_area order by polling_area_id limit 1`,
    );
    const row = rows[0];
    if (row === undefined) throw new Error('no reference areas');
    area = { pollingAreaId: row.polling_area_id, communeId: row.commune_id };
  } finally {
    await client.end();
  }
  ledgerService = await startLedgerService(await ledgerSettings(ledgerDb.url, nats.url));
  anomalies = await startAnomaliesService(
    loadAnomaliesSettings({
      DATABASE_URL: referenceDb.url,
      NATS_URL: nats.url,
      HTTP_PORT: String(await freePort()),
      LOG_LEVEL: 'silent',
      OTEL_SERVICE_NAME: 'ledger',
      ANOMALY_SCHEDULE_ENABLED: 'false',
    }),
  );
  gateway = await startGateway(
    loadGatewaySettings({
      HTTP_PORT: String(await freePort()),
      LOG_LEVEL: 'silent',
      DATABASE_URL: referenceDb.url,
      NATS_URL: nats.url,
      OTEL_SERVICE_NAME: 'ledger',
    }),
  );
  nc = await connectNats({ servers: [nats.url], name: 'gateway-anomalies-test' });
  ledger = new LedgerClient(nc);
}, 180_000);

afterAll(async () => {
  await gateway?.close();
  await closeNats(nc);
  await anomalies?.close();
  await ledgerService?.close();
  await nats?.stop();
  await Promise.all([ledgerDb?.drop(), referenceDb?.drop()]);
}, 60_000);

async function head(): Promise<number> {
  const h = await ledger.head();
  if (!h.ok) throw new Error(h.error.code);
  return h.value.position;
}

let card = 0;
/** Appends a refused second check-in through the ledger; the detector raises `card_reused`. */
async function newAnomaly(): Promise<string> {
  card += 1;
  const streamId = `voter-${card.toString(16).padStart(64, 'c')}`;
  const eventId = deterministicUuidV7(['gateway-anomalies', String(Date.now()), String(card)]);
  const cardNumber = `${area.pollingAreaId}-${String(card).padStart(4, '0')}`;
  const appended = await ledger.append({
    streamId,
    expectedRevision: 'any',
    events: [
      {
        eventId,
        type: 'CheckInRefused',
        schemaVersion: 1,
        streamId,
        data: {
          cardNumber,
          reason: 'CARD_ALREADY_USED',
          pollingAreaId: area.pollingAreaId,
          attemptedAt: '2026-03-15T10:00:00+07:00',
          listedPollingAreaId: area.pollingAreaId,
        },
        metadata: {
          occurredAt: '2026-03-15T10:00:00+07:00',
          actor: { id: `pa-${area.pollingAreaId}`, role: 'reporter' },
          correlationId: randomUUID(),
        },
      },
    ],
  });
  if (!appended.ok) throw new Error(appended.error.code);
  await anomalies?.detector?.waitForPosition(appended.value.positions[1]);
  for await (const page of ledger.events(appended.value.positions[1] + 1)) {
    const raised = page.find(
      (e) => e.type === 'AnomalyDetected' && e.metadata.causationId === eventId,
    );
    if (raised !== undefined) return String(raised.data['anomalyId']);
  }
  throw new Error('the detector raised no anomaly');
}

const tokens = new Map<string, string>();
async function tokenOf(username: string): Promise<string> {
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
}

interface Answer {
  readonly status: number;
  readonly body: Record<string, unknown>;
}

async function post(
  path: string,
  body: unknown,
  options: { user?: string; idempotencyKey?: string; raw?: boolean } = {},
): Promise<Answer> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (options.user !== undefined)
    headers['authorization'] = `Bearer ${await tokenOf(options.user)}`;
  if (options.idempotencyKey !== undefined) headers['idempotency-key'] = options.idempotencyKey;
  const res = await fetch(`${gateway.url}/api/v1${path}`, {
    method: 'POST',
    headers,
    body: options.raw === true && typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

const acknowledge = (id: string, body: unknown, user = 'ops', extra = {}) =>
  post(`/anomalies/${id}/acknowledge`, body, { user, ...extra });
const dismiss = (id: string, body: unknown, user = 'ops', extra = {}) =>
  post(`/anomalies/${id}/dismiss`, body, { user, ...extra });

/** Runs `act` and checks that the ledger's head did not move. */
async function appendsNothing(act: () => Promise<void>): Promise<void> {
  const before = await head();
  await act();
  expect(await head()).toBe(before);
}

describe('POST /anomalies/{anomalyId}/acknowledge and /dismiss', () => {
  it('acknowledges (ops) and dismisses (admin) with 201, eventIds and position', async () => {
    const id = await newAnomaly();
    const ack = await acknowledge(id, { note: 'team called back' });
    expect(ack.status).toBe(201);
    expect(ack.body).toMatchObject({ eventIds: [expect.any(String)], position: await head() });
    const dis = await dismiss(id, { reason: 'scanner read the card twice' }, 'admin');
    expect(dis.status).toBe(201);
    const stream = await ledger.readStream(`anomaly-${id}`);
    if (!stream.ok) throw new Error(stream.error.code);
    expect(
      stream.value.events.map((e) => [
        e.type,
        e.metadata.actor.id,
        e.data['note'] ?? e.data['reason'],
      ]),
    ).toEqual([
      ['AnomalyDetected', 'anomaly-detector', undefined],
      ['AnomalyAcknowledged', 'ops', 'team called back'],
      ['AnomalyDismissed', 'admin', 'scanner read the card twice'],
    ]);
  });

  it('answers 422 with the decider code for illegal steps, appending nothing', async () => {
    const id = await newAnomaly();
    expect((await acknowledge(id, { note: 'on it' })).status).toBe(201);
    await appendsNothing(async () => {
      const again = await acknowledge(id, { note: 'again' });
      expect([again.status, again.body['code']]).toEqual([422, 'ANOMALY.ALREADY_ACKNOWLEDGED']);
    });
    expect((await dismiss(id, { reason: 'false alarm' })).status).toBe(201);
    await appendsNothing(async () => {
      const twice = await dismiss(id, { reason: 'twice' });
      expect([twice.status, twice.body['code']]).toEqual([422, 'ANOMALY.ALREADY_DISMISSED']);
      const late = await acknowledge(id, { note: 'late' });
      expect([late.status, late.body['code']]).toEqual([422, 'ANOMALY.ALREADY_DISMISSED']);
    });
  });

  it('answers 404 for an unknown or malformed anomaly id', async () => {
    await appendsNothing(async () => {
      const unknown = await acknowledge('0195a3c2-1111-7aaa-8bbb-123456789abc', { note: 'x' });
      expect([unknown.status, unknown.body['code']]).toEqual([404, 'NOT_FOUND']);
      const malformed = await dismiss('not-an-id', { reason: 'x' });
      expect([malformed.status, malformed.body['code']]).toEqual([404, 'NOT_FOUND']);
    });
  });

  it('answers 401 without a token and 403 to roles that may not handle anomalies', async () => {
    const id = await newAnomaly();
    await appendsNothing(async () => {
      expect((await post(`/anomalies/${id}/acknowledge`, { note: 'x' })).status).toBe(401);
      for (const user of [
        'police',
        'auditor',
        `commune-${area.communeId}`,
        `pa-${area.pollingAreaId}`,
      ]) {
        const refused = await acknowledge(id, { note: 'x' }, user);
        expect(refused.status, user).toBe(403);
        expect((await dismiss(id, { reason: 'x' }, user)).status, user).toBe(403);
      }
    });
  });

  it('answers 400 VALIDATION_FAILED to hostile bodies', async () => {
    const id = await newAnomaly();
    await appendsNothing(async () => {
      for (const body of [
        {},
        { note: '' },
        { note: '   ' },
        { note: 42 },
        { note: 'x'.repeat(1_001) },
        { note: 'ok', anomalyId: id },
        { note: 'ok', status: 'dismissed' },
        [],
        null,
      ]) {
        const answer = await acknowledge(id, body);
        expect([answer.status, answer.body['code']], JSON.stringify(body)).toEqual([
          400,
          'VALIDATION_FAILED',
        ]);
      }
      const noReason = await dismiss(id, { note: 'wrong field' });
      expect(noReason.status).toBe(400);
      const notJson = await acknowledge(id, '{"note": ', 'ops', { raw: true });
      expect(notJson.status).toBe(400);
    });
  });

  it('replays the first answer for a reused Idempotency-Key and refuses it with another body', async () => {
    const id = await newAnomaly();
    const key = randomUUID();
    const first = await acknowledge(id, { note: 'on it' }, 'ops', { idempotencyKey: key });
    expect(first.status).toBe(201);
    await appendsNothing(async () => {
      const replay = await acknowledge(id, { note: 'on it' }, 'ops', { idempotencyKey: key });
      expect(replay).toEqual(first);
      const other = await acknowledge(id, { note: 'other' }, 'ops', { idempotencyKey: key });
      expect([other.status, other.body['code']]).toEqual([409, 'IDEMPOTENCY_KEY_REUSED']);
    });
  });
});
