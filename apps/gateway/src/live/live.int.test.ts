// GET /api/v1/live on real servers (the turnout, incidents and anomalies services, the ledger's relay
// to JetStream, the gateway): a committed event reaches a connected client within a second; each
// client sees only its scope (a reporter its area, a commune its commune, anomalies and incident
// triage included); Last-Event-ID replays what a client missed, from the ledger when the feed's
// memory does not reach back that far.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  expectProblem,
  handOut,
  startGatewayHarness,
  type Answer,
  type GatewayHarness,
  type ReferenceArea,
} from '../testing/gateway-harness.test-support.js';
import { openSse, type SseConnection, type SseFrame } from '../testing/sse-client.test-support.js';
import {
  anomaliesService,
  incidentsService,
  turnoutService,
} from '../testing/service-starters.test-support.js';

interface Committed {
  readonly position: number;
  readonly type: string;
  readonly streamId: string;
  readonly pollingAreaId?: string;
  readonly communeId?: string;
  readonly data?: Record<string, unknown>;
}

let h: GatewayHarness;
/** Areas of 15 March, one per commune, handed out one at a time. */
let areas: ReferenceArea[];
let freshArea: () => ReferenceArea;
let earlyIncident = { incidentId: '', position: 0 };
const open: SseConnection[] = [];

function created(answer: Answer): number {
  expect(answer.status, JSON.stringify(answer.body)).toBe(201);
  return answer.body['position'] as number;
}

const openArea = (area: ReferenceArea, user = 'admin'): Promise<Answer> =>
  h.post(
    `/polling-areas/${area.pollingAreaId}/open`,
    { at: '2026-03-15T07:00:00+07:00' },
    { user },
  );

const report = (area: ReferenceArea, asOf: string, votersVoted: number): Promise<Answer> =>
  h.post(
    `/polling-areas/${area.pollingAreaId}/turnout-reports`,
    { asOf, votersVoted },
    { user: 'admin' },
  );

async function connect(
  user: string | undefined,
  headers: Record<string, string> = {},
): Promise<SseConnection> {
  const auth = user === undefined ? {} : { authorization: `Bearer ${await h.tokenOf(user)}` };
  const sse = await openSse(`${h.gateway.url}/api/v1/live`, { ...auth, ...headers });
  open.push(sse);
  return sse;
}

const committed = (sse: SseConnection): Committed[] =>
  sse.frames.filter((f) => f.event === 'committed').map((f) => JSON.parse(f.data) as Committed);

const isCommitted =
  (position: number) =>
  (frame: SseFrame): boolean =>
    frame.event === 'committed' && frame.id === String(position);

beforeAll(async () => {
  h = await startGatewayHarness('gateway_live', {
    services: [turnoutService(), incidentsService(), anomaliesService()],
  });
  areas = [
    ...new Map(
      h.areas
        .filter((a) => a.electionDate === '2026-03-15' && a.votersOnList >= 200)
        .map((a) => [a.communeId, a]),
    ).values(),
  ];
  freshArea = handOut(areas, 'areas');
  // Written before any client connects: the feed has not seen it (Last-Event-ID must still get it).
  const area = freshArea();
  const reported = await h.post(
    '/incidents',
    {
      pollingAreaId: area.pollingAreaId,
      category: 'security',
      severity: 'medium',
      description: 'A crowd at the gate before opening.',
      occurredAt: '2026-03-15T06:30:00+07:00',
    },
    { user: 'police' },
  );
  earlyIncident = {
    incidentId: String(reported.body['incidentId']),
    position: created(reported),
  };
}, 120_000);

afterAll(async () => {
  for (const sse of open) sse.close();
  await h?.stop();
});

describe('GET /api/v1/live', () => {
  it('delivers a committed event to ops and to the reporter of its area within a second', async () => {
    const area = freshArea();
    const ops = await connect('ops');
    const reporter = await connect(`pa-${area.pollingAreaId}`);
    const admin = await connect('admin');
    for (const sse of [ops, reporter, admin]) {
      expect(sse.status).toBe(200);
      expect(sse.headers.get('content-type')).toContain('text/event-stream');
    }
    const answer = await openArea(area);
    const answeredAt = performance.now();
    const position = created(answer);
    for (const sse of [ops, reporter, admin]) {
      const frame = await sse.waitFor(isCommitted(position), 1_000);
      expect(frame.receivedAt - answeredAt).toBeLessThan(1_000);
      expect(JSON.parse(frame.data)).toMatchObject({
        position,
        type: 'PollingAreaOpened',
        streamId: `turnout-${area.pollingAreaId}`,
        pollingAreaId: area.pollingAreaId,
        communeId: area.communeId,
      });
    }
    // Only the roles that may read the event log get the events' data.
    expect(JSON.parse((await admin.waitFor(isCommitted(position))).data)).toMatchObject({
      data: { pollingAreaId: area.pollingAreaId, at: '2026-03-15T07:00:00+07:00' },
    });
    expect(JSON.parse((await ops.waitFor(isCommitted(position))).data)).not.toHaveProperty('data');
  });

  it("keeps other areas' events from a reporter, other communes' from a commune account", async () => {
    const mine = freshArea();
    const other = freshArea();
    const ops = await connect('ops');
    const reporter = await connect(`pa-${mine.pollingAreaId}`);
    const commune = await connect(`commune-${mine.communeId}`);
    const elsewhere = created(await openArea(other));
    await ops.waitFor(isCommitted(elsewhere), 1_000);
    const own = created(await openArea(mine));
    await reporter.waitFor(isCommitted(own), 1_000);
    await commune.waitFor(isCommitted(own), 1_000);
    // The feed keeps log order: the reporter got its own later event, so the other one was dropped.
    for (const sse of [reporter, commune]) {
      const seen = committed(sse);
      expect(seen.length).toBeGreaterThan(0);
      expect(seen.every((e) => e.pollingAreaId === mine.pollingAreaId)).toBe(true);
      expect(seen.some((e) => e.pollingAreaId === other.pollingAreaId)).toBe(false);
    }
    expect(committed(ops).some((e) => e.pollingAreaId === other.pollingAreaId)).toBe(true);
  });

  it("gives a commune account its commune's anomalies and incident triage, which carry no area field", async () => {
    const area = freshArea();
    const commune = await connect(`commune-${area.communeId}`);
    const reporter = await connect(`pa-${area.pollingAreaId}`);
    created(await openArea(area));
    // 40 % of the list by 07:30 is "very high very early": the detector raises an anomaly.
    created(await report(area, '2026-03-15T07:30:00+07:00', Math.ceil(area.votersOnList * 0.4)));
    const anomaly = await commune.waitFor(
      (f) => f.event === 'committed' && f.data.includes('"AnomalyDetected"'),
      5_000,
    );
    expect(JSON.parse(anomaly.data)).toMatchObject({
      type: 'AnomalyDetected',
      pollingAreaId: area.pollingAreaId,
      communeId: area.communeId,
    });
    const reported = await h.post(
      '/incidents',
      {
        pollingAreaId: area.pollingAreaId,
        category: 'equipment',
        severity: 'low',
        description: 'The ballot box lid is cracked.',
        occurredAt: '2026-03-15T08:00:00+07:00',
      },
      { user: `commune-${area.communeId}` },
    );
    created(reported);
    const acknowledged = created(
      await h.post(
        `/incidents/${String(reported.body['incidentId'])}/acknowledge`,
        {},
        { user: 'police' },
      ),
    );
    const frame = await commune.waitFor(isCommitted(acknowledged), 1_000);
    expect(JSON.parse(frame.data)).toMatchObject({
      type: 'IncidentAcknowledged',
      pollingAreaId: area.pollingAreaId,
      communeId: area.communeId,
    });
    await reporter.waitFor(isCommitted(acknowledged), 1_000);
  });

  it('replays what a client missed when it reconnects with Last-Event-ID, in order, in its scope', async () => {
    const area = freshArea();
    const other = freshArea();
    const user = `pa-${area.pollingAreaId}`;
    const first = await connect(user);
    const opened = created(await openArea(area));
    const lastSeen = await first.waitFor(isCommitted(opened), 1_000);
    first.close();
    const missed = [
      created(await report(area, '2026-03-15T09:00:00+07:00', 30)),
      created(await openArea(other)),
      created(await report(area, '2026-03-15T10:00:00+07:00', 60)),
    ];
    const again = await connect(user, { 'last-event-id': String(lastSeen.id) });
    await again.waitFor(isCommitted(missed[2] ?? 0), 1_000);
    const replayed = committed(again);
    expect(replayed.map((e) => [e.position, e.type])).toEqual([
      [missed[0], 'TurnoutReported'],
      [missed[2], 'TurnoutReported'],
    ]);
  });

  it('replays from the ledger what happened before the feed saw anything', async () => {
    const ops = await connect('ops', { 'last-event-id': String(earlyIncident.position - 1) });
    const frame = await ops.waitFor(isCommitted(earlyIncident.position), 2_000);
    expect(JSON.parse(frame.data)).toMatchObject({
      type: 'IncidentReported',
      streamId: `incident-${earlyIncident.incidentId}`,
    });
    // Every position after the one given, once each, in order, up to what is live now.
    const positions = committed(ops).map((e) => e.position);
    expect(positions[0]).toBe(earlyIncident.position);
    expect(positions).toEqual([...positions].sort((a, b) => a - b));
    expect(new Set(positions).size).toBe(positions.length);
    expect(positions).toEqual(
      Array.from({ length: positions.length }, (_, i) => earlyIncident.position + i),
    );
  });

  it('takes the token as ?access_token= (a browser EventSource), and refuses a caller without one', async () => {
    const token = await h.tokenOf('auditor');
    const sse = await openSse(`${h.gateway.url}/api/v1/live?access_token=${token}`);
    open.push(sse);
    expect(sse.status).toBe(200);
    const area = freshArea();
    const position = created(await openArea(area));
    await sse.waitFor(isCommitted(position), 1_000);
    expectProblem(await h.get('/live'), 401, 'UNAUTHENTICATED');
    expectProblem(await h.get('/live?access_token=not-a-token'), 401, 'UNAUTHENTICATED');
  });
});
