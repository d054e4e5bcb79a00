// Acknowledge and dismiss through HTTP against real servers: PostgreSQL with the reference data and
// demo users, nats-server, a ledger, the anomalies service (with its detector) and the gateway
// in-process. The anomalies are raised by the detector from events appended through the ledger.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deterministicUuidV7 } from '@hpe/domain';
import type { RunningAnomaliesService } from '@hpe/anomalies/service';
import {
  startGatewayHarness,
  type GatewayHarness,
  type ReferenceArea,
  type RequestOptions,
} from '../testing/gateway-harness.test-support.js';
import { anomaliesService } from '../testing/service-starters.test-support.js';

let h: GatewayHarness;
let anomalies: RunningAnomaliesService | undefined;
let area: ReferenceArea;
let ledger: GatewayHarness['ledger'];

beforeAll(async () => {
  const startAnomalies = anomaliesService();
  h = await startGatewayHarness('gateway_anomalies', {
    services: [async (context) => (anomalies = await startAnomalies(context))],
  });
  ledger = h.ledger;
  const [first] = h.areas;
  if (first === undefined) throw new Error('no reference areas');
  area = first;
}, 180_000);

afterAll(async () => {
  await h.stop();
}, 60_000);

const head: GatewayHarness['head'] = () => h.head();

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

interface Answer {
  readonly status: number;
  readonly body: Record<string, unknown>;
}

/** Status and body only: a replay is compared whole with the first answer. */
async function post(path: string, body: unknown, options: RequestOptions = {}): Promise<Answer> {
  const { status, body: parsed } = await h.post(path, body, options);
  return { status, body: parsed };
}

const acknowledge = (id: string, body: unknown, user = 'ops', extra = {}) =>
  post(`/anomalies/${id}/acknowledge`, body, { user, ...extra });
const dismiss = (id: string, body: unknown, user = 'ops', extra = {}) =>
  post(`/anomalies/${id}/dismiss`, body, { user, ...extra });

const appendsNothing: GatewayHarness['appendsNothing'] = (act) => h.appendsNothing(act);

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
