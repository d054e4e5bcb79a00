// The incident commands through HTTP against real servers: PostgreSQL with the reference data and
// the demo users, nats-server, a ledger and the incidents service in-process. The lifecycle as
// police, the role table and scopes, hostile bodies, unknown ids, Idempotency-Key and the bulk
// acknowledge, each refusal checked against the ledger's head.
import { randomUUID } from 'node:crypto';
import { legalFrom } from '@hpe/domain';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  communeUserOf,
  expectProblem,
  reporterOf,
  startGatewayHarness,
  type Answer,
  type GatewayHarness,
  type ReferenceArea,
} from '../testing/gateway-harness.test-support.js';
import { incidentsService } from '../testing/service-starters.test-support.js';
import { newIncidentId } from './incident-id.js';

type Area = ReferenceArea;

const uuidV7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

let h: GatewayHarness;
/** Two areas of one commune, and one of another commune. */
let a: Area;
let sameCommune: Area;
let otherCommune: Area;

beforeAll(async () => {
  h = await startGatewayHarness('gateway_incidents', {
    services: [incidentsService(new Date('2026-03-15T10:00:00+07:00'))],
  });
  const [first, second] = h.areas;
  const other = h.areas.find((x) => x.communeId !== first?.communeId);
  if (first === undefined || second?.communeId !== first.communeId || other === undefined)
    throw new Error('the reference data should have two areas in a commune, and another commune');
  [a, sameCommune, otherCommune] = [first, second, other];
}, 120_000);

afterAll(async () => {
  await h.stop();
});

const post: GatewayHarness['post'] = (path, body, options) => h.post(path, body, options);
const head: GatewayHarness['head'] = () => h.head();
const appendsNothing: GatewayHarness['appendsNothing'] = (run) => h.appendsNothing(run);
const streamEvents = (incidentId: string) => h.readStream(`incident-${incidentId}`);

const reportBody = (area: Area, patch: Record<string, unknown> = {}) => ({
  pollingAreaId: area.pollingAreaId,
  category: 'public_order',
  severity: 'high',
  description: 'Đám đông tụ tập trước cổng khu vực bỏ phiếu',
  occurredAt: '2026-03-15T09:40:00+07:00',
  ...patch,
});

const report = (
  user: string | undefined,
  body: unknown,
  idempotencyKey?: string,
): Promise<Answer> =>
  post('/incidents', body, {
    user,
    ...(idempotencyKey === undefined ? {} : { idempotencyKey }),
  });

/** Reports an incident at `area` as `user` and answers its id. */
async function reported(user = 'police', area: Area = a): Promise<string> {
  const answer = await report(user, reportBody(area));
  expect(answer.status).toBe(201);
  const { incidentId } = answer.body;
  if (typeof incidentId !== 'string') throw new Error('no incident id');
  return incidentId;
}

const triageBodies = {
  acknowledge: {},
  assign: { unit: 'Công an phường Hồng Bàng' },
  notes: { text: 'Tổ cơ động đang đến' },
  resolve: { resolution: 'crowd dispersed at 10:20' },
  reopen: { reason: 'the crowd is back' },
} as const;
type TriageRoute = keyof typeof triageBodies;

const act = (
  incidentId: string,
  route: TriageRoute,
  user: string | undefined = 'police',
  body: unknown = triageBodies[route],
): Promise<Answer> => post(`/incidents/${incidentId}/${route}`, body, { user });

describe('an incident through its lifecycle, as police', () => {
  it('reports (201 with incidentId, eventIds, position), then triages it to the end and back', async () => {
    const answer = await report('police', reportBody(a));
    expect(answer.status).toBe(201);
    const incidentId = String(answer.body['incidentId']);
    expect(incidentId).toMatch(uuidV7);
    const [first] = await streamEvents(incidentId);
    expect(answer.body).toEqual({
      incidentId,
      eventIds: [first?.eventId],
      position: first?.position,
    });
    expect(first?.data).toMatchObject({
      pollingAreaId: a.pollingAreaId,
      communeId: a.communeId,
      category: 'public_order',
      severity: 'high',
    });
    expect(first?.metadata).toMatchObject({
      actor: { id: 'police', role: 'police' },
      traceparent: expect.stringMatching(/^00-[0-9a-f]{32}-[0-9a-f]{16}-0[01]$/),
    });
    const steps: [TriageRoute, unknown][] = [
      ['acknowledge', {}],
      ['assign', triageBodies.assign],
      ['notes', triageBodies.notes],
      ['resolve', triageBodies.resolve],
      ['reopen', triageBodies.reopen],
      ['assign', { unit: 'Đội cảnh sát cơ động' }],
      ['notes', { text: 'second unit on site' }],
      ['resolve', triageBodies.resolve],
    ];
    for (const [route, body] of steps) {
      const step = await act(incidentId, route, 'police', body);
      expect({ route, status: step.status }).toEqual({ route, status: 201 });
      expect(step.body['position']).toBe(await head());
    }
    const events = await streamEvents(incidentId);
    expect(events.map((e) => e.type)).toEqual([
      'IncidentReported',
      'IncidentAcknowledged',
      'IncidentAssigned',
      'IncidentNoteAdded',
      'IncidentResolved',
      'IncidentReopened',
      'IncidentAssigned',
      'IncidentNoteAdded',
      'IncidentResolved',
    ]);
    expect(events[6]?.data).toEqual({
      incidentId,
      unit: 'Đội cảnh sát cơ động',
      previousUnit: 'Công an phường Hồng Bàng',
    });
  });

  it('takes an acknowledge without any body', async () => {
    const incidentId = await reported();
    expect((await act(incidentId, 'acknowledge', 'police', undefined)).status).toBe(201);
  });

  it('refuses an illegal transition with 422 INCIDENT.ILLEGAL_TRANSITION, naming from, action and legalFrom', async () => {
    const incidentId = await reported();
    await appendsNothing(async () => {
      for (const route of ['assign', 'resolve', 'reopen'] as const) {
        const answer = await act(incidentId, route);
        expectProblem(answer, 422, 'INCIDENT.ILLEGAL_TRANSITION');
        expect(answer.body['details']).toEqual({
          from: 'reported',
          action: route,
          legalFrom: legalFrom[route],
        });
      }
    });
    expect((await act(incidentId, 'acknowledge')).status).toBe(201);
    await appendsNothing(async () => {
      expectProblem(await act(incidentId, 'acknowledge'), 422, 'INCIDENT.ILLEGAL_TRANSITION');
    });
  });

  it('refuses the unit that already has it with 422 INCIDENT.ALREADY_ASSIGNED', async () => {
    const incidentId = await reported();
    expect((await act(incidentId, 'acknowledge')).status).toBe(201);
    expect((await act(incidentId, 'assign')).status).toBe(201);
    await appendsNothing(async () => {
      expectProblem(await act(incidentId, 'assign'), 422, 'INCIDENT.ALREADY_ASSIGNED');
    });
  });

  it('refuses an incident more than five minutes ahead of now with 422 INCIDENT.TIME_IN_FUTURE', async () => {
    await appendsNothing(async () => {
      expectProblem(
        await report('police', reportBody(a, { occurredAt: '2026-03-15T03:05:01Z' })),
        422,
        'INCIDENT.TIME_IN_FUTURE',
      );
    });
  });
});

describe('unknown ids', () => {
  it.each(Object.keys(triageBodies) as TriageRoute[])(
    'answers 404 NOT_FOUND to %s on an incident that does not exist, or cannot',
    async (route) => {
      await appendsNothing(async () => {
        expectProblem(await act(newIncidentId(), route), 404, 'NOT_FOUND');
        expectProblem(await act('no.such.incident', route), 404, 'NOT_FOUND');
      });
    },
  );

  it('answers 404 to a note from a reporting account on an unknown incident', async () => {
    await appendsNothing(async () => {
      expectProblem(await act(newIncidentId(), 'notes', reporterOf(a)), 404, 'NOT_FOUND');
    });
  });

  it('answers 404 NOT_FOUND to a report for an area the reference data does not hold', async () => {
    await appendsNothing(async () => {
      expectProblem(
        await report('police', reportBody(a, { pollingAreaId: 'PA-99999-999' })),
        404,
        'NOT_FOUND',
      );
    });
  });
});

describe('roles and scope', () => {
  it('lets the reporter of an area and its commune report there, and refuses them elsewhere', async () => {
    const byReporter = await report(reporterOf(a), reportBody(a));
    expect(byReporter.status).toBe(201);
    const [event] = await streamEvents(String(byReporter.body['incidentId']));
    expect(event?.metadata.actor).toEqual({ id: reporterOf(a), role: 'reporter' });
    expect((await report(communeUserOf(a), reportBody(sameCommune))).status).toBe(201);
    await appendsNothing(async () => {
      expectProblem(await report(reporterOf(a), reportBody(sameCommune)), 403, 'FORBIDDEN_SCOPE');
      expectProblem(await report(reporterOf(a), reportBody(otherCommune)), 403, 'FORBIDDEN_SCOPE');
      expectProblem(
        await report(communeUserOf(a), reportBody(otherCommune)),
        403,
        'FORBIDDEN_SCOPE',
      );
    });
  });

  it('lets ops and admin report anywhere; ops may not triage', async () => {
    expect((await report('admin', reportBody(otherCommune))).status).toBe(201);
    const incidentId = await reported('ops', otherCommune);
    await appendsNothing(async () => {
      for (const route of ['acknowledge', 'assign', 'resolve', 'reopen'] as const)
        expectProblem(await act(incidentId, route, 'ops'), 403, 'FORBIDDEN_ROLE');
    });
    expect((await act(incidentId, 'acknowledge', 'admin')).status).toBe(201);
  });

  it.each(['commune', 'reporter'])('refuses triage to a %s account', async (kind) => {
    const user = kind === 'commune' ? communeUserOf(a) : reporterOf(a);
    const incidentId = await reported(user);
    await appendsNothing(async () => {
      for (const route of ['acknowledge', 'assign', 'resolve', 'reopen'] as const)
        expectProblem(await act(incidentId, route, user), 403, 'FORBIDDEN_ROLE');
    });
  });

  it('refuses the auditor any incident command with 403 FORBIDDEN_ROLE', async () => {
    const incidentId = await reported();
    await appendsNothing(async () => {
      expectProblem(await report('auditor', reportBody(a)), 403, 'FORBIDDEN_ROLE');
      for (const route of Object.keys(triageBodies) as TriageRoute[])
        expectProblem(await act(incidentId, route, 'auditor'), 403, 'FORBIDDEN_ROLE');
    });
  });

  it('takes notes from police and admin on any incident, and from others only on their own', async () => {
    const byReporter = await reported(reporterOf(a));
    const byPolice = await reported('police');
    expect((await act(byReporter, 'notes', reporterOf(a))).status).toBe(201);
    expect((await act(byReporter, 'notes', 'police')).status).toBe(201);
    expect((await act(byPolice, 'notes', 'admin')).status).toBe(201);
    await appendsNothing(async () => {
      expectProblem(await act(byPolice, 'notes', reporterOf(a)), 403, 'FORBIDDEN_SCOPE');
      expectProblem(await act(byReporter, 'notes', communeUserOf(a)), 403, 'FORBIDDEN_SCOPE');
      expectProblem(await act(byReporter, 'notes', 'ops'), 403, 'FORBIDDEN_SCOPE');
    });
    const notes = (await streamEvents(byReporter)).filter((e) => e.type === 'IncidentNoteAdded');
    expect(notes.map((e) => e.metadata.actor.id)).toEqual([reporterOf(a), 'police']);
  });

  it('refuses a request without a token with 401', async () => {
    await appendsNothing(async () => {
      expectProblem(await report(undefined, reportBody(a)), 401, 'UNAUTHENTICATED');
    });
  });
});

describe('hostile bodies', () => {
  it.each<[string, unknown]>([
    // JSON.stringify leaves an undefined field out.
    ['a missing description', { description: undefined }],
    ['an extra field', { extra: true }],
    ['a commune named by the client', { communeId: '10507' }],
    ['an incident id named by the client', { incidentId: '0195f000-0000-7000-8000-000000000000' }],
    ['a severity of the wrong type', { severity: 3 }],
    ['an unknown category', { category: 'riot' }],
    ['an unknown severity', { severity: 'apocalyptic' }],
    ['a blank description', { description: '   ' }],
    ['a 100 KB description', { description: 'x'.repeat(100_000) }],
    ['a time without offset', { occurredAt: '2026-03-15T09:40:00' }],
    ['a date only', { occurredAt: '2026-03-15' }],
    ['an area id of the wrong type', { pollingAreaId: 42 }],
  ])('refuses a report with %s: 400 VALIDATION_FAILED, appending nothing', async (_name, patch) => {
    const body = reportBody(a, patch as Record<string, unknown>);
    await appendsNothing(async () => {
      const answer = await report('police', body);
      expectProblem(answer, 400, 'VALIDATION_FAILED');
      expect(Array.isArray(answer.body['errors'])).toBe(true);
    });
  });

  it.each<[string, unknown]>([
    ['an array', [{ pollingAreaId: 'PA-1' }]],
    ['null', null],
    ['a string', 'incident'],
  ])('refuses %s as a report body with 400', async (_name, body) => {
    await appendsNothing(async () => {
      expectProblem(await report('police', body), 400, 'VALIDATION_FAILED');
    });
  });

  it('refuses broken JSON with 400', async () => {
    await appendsNothing(async () => {
      const answer = await post('/incidents', '{"pollingAreaId":', { user: 'police', raw: true });
      expect(answer.status).toBe(400);
    });
  });

  it('refuses hostile triage bodies with 400, appending nothing', async () => {
    const incidentId = await reported();
    await appendsNothing(async () => {
      for (const [route, body] of [
        ['acknowledge', { note: 'x' }],
        ['assign', {}],
        ['assign', { unit: 7 }],
        ['assign', { unit: 'u'.repeat(201) }],
        ['notes', { text: '' }],
        ['notes', { text: 'x'.repeat(100_000) }],
        ['resolve', { resolution: 'done', status: 'resolved' }],
        ['reopen', []],
      ] as const)
        expectProblem(await act(incidentId, route, 'police', body), 400, 'VALIDATION_FAILED');
    });
  });
});

describe('Idempotency-Key', () => {
  it('answers a replay with the same incidentId and writes nothing; another body is 409', async () => {
    const key = randomUUID();
    const first = await report('police', reportBody(a), key);
    expect(first.status).toBe(201);
    await appendsNothing(async () => {
      const again = await report('police', reportBody(a), key);
      expect(again.status).toBe(201);
      expect(again.body).toEqual(first.body);
      expectProblem(
        await report('police', reportBody(a, { severity: 'low' }), key),
        409,
        'IDEMPOTENCY_KEY_REUSED',
      );
    });
    const events = await streamEvents(String(first.body['incidentId']));
    expect(events).toHaveLength(1);
    expect(events[0]?.metadata.correlationId).toBe(key);
  });

  it('replays a triage command once', async () => {
    const incidentId = await reported();
    const key = randomUUID();
    const path = `/incidents/${incidentId}/acknowledge`;
    const first = await post(path, {}, { user: 'police', idempotencyKey: key });
    expect(first.status).toBe(201);
    await appendsNothing(async () => {
      const again = await post(path, {}, { user: 'police', idempotencyKey: key });
      expect(again.body).toEqual(first.body);
    });
  });
});

describe('POST /api/v1/incidents/acknowledge (bulk, extension)', () => {
  it('acknowledges each incident it can and says why for each it cannot', async () => {
    const fresh = [await reported(), await reported(reporterOf(a))];
    const already = await reported();
    expect((await act(already, 'acknowledge')).status).toBe(201);
    const unknown = newIncidentId();
    const before = await head();
    const answer = await post(
      '/incidents/acknowledge',
      { incidentIds: [...fresh, already, unknown] },
      { user: 'police' },
    );
    expect(answer.status).toBe(200);
    expect(await head()).toBe(before + 2);
    expect(answer.body['acknowledged']).toBe(2);
    expect(answer.body['refused']).toBe(2);
    const results = answer.body['results'] as Record<string, unknown>[];
    expect(results.map((r) => [r['incidentId'], r['status'], r['code']])).toEqual([
      [fresh[0], 201, undefined],
      [fresh[1], 201, undefined],
      [already, 422, 'INCIDENT.ILLEGAL_TRANSITION'],
      [unknown, 404, 'NOT_FOUND'],
    ]);
    expect(results[2]?.['details']).toMatchObject({ from: 'acknowledged', action: 'acknowledge' });
    for (const id of fresh)
      expect((await streamEvents(id)).map((e) => e.type)).toEqual([
        'IncidentReported',
        'IncidentAcknowledged',
      ]);
  });

  it('replays an Idempotency-Key with the first answer, writing nothing', async () => {
    const ids = [await reported(), await reported()];
    const key = randomUUID();
    const first = await post(
      '/incidents/acknowledge',
      { incidentIds: ids },
      {
        user: 'police',
        idempotencyKey: key,
      },
    );
    expect(first.body['acknowledged']).toBe(2);
    await appendsNothing(async () => {
      const again = await post(
        '/incidents/acknowledge',
        { incidentIds: ids },
        {
          user: 'police',
          idempotencyKey: key,
        },
      );
      expect(again.body).toEqual(first.body);
      expectProblem(
        await post(
          '/incidents/acknowledge',
          { incidentIds: [ids[0]] },
          {
            user: 'police',
            idempotencyKey: key,
          },
        ),
        409,
        'IDEMPOTENCY_KEY_REUSED',
      );
    });
  });

  it('refuses more than 100 ids, repeated ids, bad ids and ops, appending nothing', async () => {
    const incidentId = await reported();
    await appendsNothing(async () => {
      const many = Array.from({ length: 101 }, () => newIncidentId());
      for (const body of [
        { incidentIds: many },
        { incidentIds: [] },
        { incidentIds: [incidentId, incidentId] },
        { incidentIds: ['a.b'] },
        { incidentIds: [incidentId], extra: 1 },
        { ids: [incidentId] },
      ])
        expectProblem(
          await post('/incidents/acknowledge', body, { user: 'police' }),
          400,
          'VALIDATION_FAILED',
        );
      expectProblem(
        await post('/incidents/acknowledge', { incidentIds: [incidentId] }, { user: 'ops' }),
        403,
        'FORBIDDEN_ROLE',
      );
    });
  });
});

describe('the OpenAPI document', () => {
  it('lists the incident routes with their roles and body schemas', async () => {
    const res = await fetch(`${h.gateway.url}/api/v1/openapi.json`);
    const doc = (await res.json()) as {
      paths: Record<string, Record<string, Record<string, unknown>>>;
    };
    const reportOp = doc.paths['/api/v1/incidents']?.['post'];
    expect(reportOp?.['x-roles']).toEqual(['admin', 'ops', 'police', 'commune', 'reporter']);
    const body = reportOp?.['requestBody'] as {
      content: Record<string, { schema: { properties: Record<string, unknown> } }>;
    };
    expect(Object.keys(body.content['application/json']?.schema.properties ?? {}).sort()).toEqual([
      'category',
      'description',
      'occurredAt',
      'pollingAreaId',
      'severity',
    ]);
    expect(doc.paths['/api/v1/incidents/{incidentId}/resolve']?.['post']?.['x-roles']).toEqual([
      'admin',
      'police',
    ]);
    expect(doc.paths['/api/v1/incidents/acknowledge']?.['post']).toBeDefined();
    expect(doc.paths['/api/v1/incidents/{incidentId}/notes']?.['post']?.['x-roles']).toEqual(
      expect.arrayContaining(['admin', 'police', 'reporter']),
    );
  });
});

describe('the role table, every incident endpoint × every role', () => {
  const allowed: Record<string, readonly string[]> = {
    report: ['admin', 'ops', 'police', 'commune', 'reporter'],
    bulk: ['admin', 'police'],
    acknowledge: ['admin', 'police'],
    assign: ['admin', 'police'],
    notes: ['admin', 'ops', 'police', 'commune', 'reporter'],
    resolve: ['admin', 'police'],
    reopen: ['admin', 'police'],
  };
  const pathOf = (endpoint: string, incidentId: string): string =>
    endpoint === 'report'
      ? '/incidents'
      : endpoint === 'bulk'
        ? '/incidents/acknowledge'
        : `/incidents/${incidentId}/${endpoint}`;
  const userOf = (role: string): string =>
    role === 'commune' ? communeUserOf(a) : role === 'reporter' ? reporterOf(a) : role;

  it('refuses a role outside the table with 403 FORBIDDEN_ROLE and lets the others reach validation', async () => {
    const incidentId = await reported();
    await appendsNothing(async () => {
      for (const [endpoint, roles] of Object.entries(allowed))
        for (const role of ['admin', 'ops', 'police', 'auditor', 'commune', 'reporter']) {
          // A body no endpoint accepts: an allowed role gets past the guard to the 400.
          const answer = await post(
            pathOf(endpoint, incidentId),
            { hostile: true },
            {
              user: userOf(role),
            },
          );
          expect({ endpoint, role, status: answer.status, code: answer.body['code'] }).toEqual({
            endpoint,
            role,
            status: roles.includes(role) ? 400 : 403,
            code: roles.includes(role) ? 'VALIDATION_FAILED' : 'FORBIDDEN_ROLE',
          });
        }
    });
  });
});
