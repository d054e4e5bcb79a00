// GET /api/v1/events on the real path (gateway → NATS → ledger): the log as stored, with hashes,
// for auditors and admins only; filters by stream, type and position; bad queries are 400s.
import { v7 as uuidv7 } from 'uuid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  expectProblem,
  startGatewayHarness,
  type GatewayHarness,
} from '../testing/gateway-harness.test-support.js';

let h: GatewayHarness;
const metadata = {
  occurredAt: '2026-03-15T09:00:00+07:00',
  actor: { id: 'admin', role: 'admin' as const },
  correlationId: 'events-test',
};

async function append(streamId: string, types: readonly string[]): Promise<void> {
  const appended = await h.ledger.append({
    streamId,
    expectedRevision: 'any',
    events: types.map((type, i) => ({
      eventId: uuidv7(),
      type,
      schemaVersion: 1,
      streamId,
      data: { n: i },
      metadata,
    })),
  });
  expect(appended.ok).toBe(true);
}

interface EventsAnswer {
  asOfPosition: number;
  nextPosition?: number;
  events: { position: number; type: string; streamId: string; hash: string; prevHash: string }[];
}

beforeAll(async () => {
  h = await startGatewayHarness('gateway_events');
  await append('incident-a1', ['IncidentReported', 'IncidentAcknowledged']);
  await append('incident-b2', ['IncidentReported']);
  await append('incident-a1', ['IncidentResolved']);
}, 120_000);
afterAll(async () => {
  await h.stop();
});

describe('GET /api/v1/events', () => {
  it('gives auditors the log as stored, hashes chained, from a position, page by page', async () => {
    const first = await h.get('/events?limit=2', { user: 'auditor' });
    expect(first.status).toBe(200);
    const page = first.body as unknown as EventsAnswer;
    expect(page.events.map((e) => e.position)).toEqual([1, 2]);
    expect(page.events[1]?.prevHash).toBe(page.events[0]?.hash);
    expect(page.nextPosition).toBe(3);
    expect(page.asOfPosition).toBeGreaterThanOrEqual(4);
    const rest = (await h.get(`/events?fromPosition=3`, { user: 'admin' }))
      .body as unknown as EventsAnswer;
    expect(rest.events.map((e) => e.position)).toEqual(
      Array.from({ length: rest.asOfPosition - 2 }, (_, i) => i + 3),
    );
  });

  it('filters by stream and by type', async () => {
    const stream = (await h.get('/events?streamId=incident-a1', { user: 'auditor' }))
      .body as unknown as EventsAnswer;
    expect(stream.events.map((e) => e.type)).toEqual([
      'IncidentReported',
      'IncidentAcknowledged',
      'IncidentResolved',
    ]);
    const typed = (await h.get('/events?type=IncidentReported', { user: 'auditor' }))
      .body as unknown as EventsAnswer;
    expect(typed.events.map((e) => e.streamId)).toEqual(['incident-a1', 'incident-b2']);
    const both = (
      await h.get('/events?streamId=incident-a1&type=IncidentResolved&limit=1', {
        user: 'auditor',
      })
    ).body as unknown as EventsAnswer;
    expect(both.events).toHaveLength(1);
  });

  it('is refused to every role but admin and auditor', async () => {
    for (const user of ['ops', 'police', 'commune-10507']) {
      expectProblem(await h.get('/events', { user }), 403, 'FORBIDDEN_ROLE');
    }
    expectProblem(await h.get('/events'), 401, 'UNAUTHENTICATED');
  });

  it.each([
    ['a stream id of no category', 'streamId=nope-1'],
    ['a position below 1', 'fromPosition=0'],
    ['a limit above 1,000', 'limit=5000'],
    ['a fractional limit', 'limit=1.5'],
    ['an unknown parameter', 'where=1'],
    ['a type that is not a name', 'type=drop%20table'],
  ])('answers %s with 400 VALIDATION_FAILED', async (_name, query) => {
    expectProblem(await h.get(`/events?${query}`, { user: 'auditor' }), 400, 'VALIDATION_FAILED');
  });
});
