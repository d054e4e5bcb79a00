// The role table of design/api.md as one test: every endpoint (commands and queries) × every role
// (admin, ops, police, auditor, commune, reporter, anonymous) on real servers, and the scope
// violations (a reporter for another area, a commune outside itself). The expectations come from
// the table below, transcribed from api.md, never from the gateway's own access table. An allowed
// role sends a deliberately empty or harmless request in its own scope: it may get 400/404/422,
// never 401/403 (and never a 5xx); a refused role gets 403 FORBIDDEN_ROLE; no token, 401.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultDemoPassword } from '@hpe/read-models';
import { demoVoterKeySecret } from '@hpe/voter-cards/settings';
import { voterKeyHasher } from '@hpe/voter-cards/service';
import {
  expectProblem,
  startGatewayHarness,
  type Answer,
  type GatewayHarness,
  type ReferenceArea,
} from '../testing/gateway-harness.test-support.js';
import { openSse } from '../testing/sse-client.test-support.js';
import { allServices } from '../testing/service-starters.test-support.js';

type Role = 'admin' | 'ops' | 'police' | 'auditor' | 'commune' | 'reporter';
const roles: readonly Role[] = ['admin', 'ops', 'police', 'auditor', 'commune', 'reporter'];

/**
 * design/api.md, "Auth": the rows of the role table, the roles with a ✓. `commune` and `reporter`
 * act and read in their own commune / polling area only ("own").
 */
const apiTable = {
  'open / close polling, turnout report, check-in, counting minute': [
    'admin',
    'commune',
    'reporter',
  ],
  'correct a counting minute (with reason)': ['admin', 'commune'],
  'voter import, card delivery, strike a voter': ['admin', 'commune'],
  'report an incident': ['admin', 'ops', 'police', 'commune', 'reporter'],
  'triage an incident (acknowledge, assign, resolve, reopen)': ['admin', 'police'],
  'acknowledge / dismiss an anomaly': ['admin', 'ops'],
  "declare an electoral unit's result": ['admin'],
  'read overview, communes, areas, turnout, results': [
    'admin',
    'ops',
    'police',
    'auditor',
    'commune',
    'reporter',
  ],
  'read incidents': ['admin', 'ops', 'police', 'auditor', 'commune'],
  'read the event log, verify the chain': ['admin', 'auditor'],
} as const satisfies Record<string, readonly Role[]>;
type Row = keyof typeof apiTable;

/**
 * Endpoints the table has no row of its own for, and the row (or roles) they follow here:
 * - adding a note to an incident: the triage roles on any incident, and the reporting roles on an
 *   incident they filed themselves (checked as a scope below); auditors may not write at all;
 * - a vote-elsewhere certificate: with "strike a voter" (the home list strikes the voter);
 * - the bulk acknowledge of the incidents board: triage;
 * - anomalies: read like incidents (the operations centre, police, auditors, a commune its own);
 * - the electoral units and the live feed: read like results; who-am-I: any signed-in role.
 */
const noteRoles: readonly Role[] = [
  ...new Set<Role>([
    ...apiTable['triage an incident (acknowledge, assign, resolve, reopen)'],
    ...apiTable['report an incident'],
  ]),
];

interface Context {
  readonly a: ReferenceArea;
  readonly incidentAtA: string;
}

interface Endpoint {
  readonly method: 'GET' | 'POST';
  /** The path for a caller of `role`, in that caller's own scope. */
  readonly path: (role: Role, c: Context) => string;
  readonly allowed: Row | readonly Role[] | 'any';
  readonly body?: string;
  readonly contentType?: string;
  /** Roles allowed by the table whose "own" scope holds no such resource: 403 FORBIDDEN_SCOPE. */
  readonly outOfScope?: readonly Role[];
  readonly sse?: boolean;
}

const area = (c: Context): string => `/polling-areas/${c.a.pollingAreaId}`;
const unknownIncident = '019500aa-0000-7000-8000-000000000000';
const unknownAnomaly = '019500aa-0000-7000-8000-0000000000aa';

const endpoints: readonly Endpoint[] = [
  // Commands.
  ...(['open', 'turnout-reports', 'close', 'minutes/na'] as const).map((action): Endpoint => ({
    method: 'POST',
    path: (_r, c) => `${area(c)}/${action}`,
    allowed: 'open / close polling, turnout report, check-in, counting minute',
  })),
  {
    method: 'POST',
    path: () => '/check-ins',
    allowed: 'open / close polling, turnout report, check-in, counting minute',
  },
  {
    method: 'POST',
    path: (_r, c) => `${area(c)}/minutes/na/corrections`,
    allowed: 'correct a counting minute (with reason)',
  },
  {
    method: 'POST',
    path: () => '/voters/import',
    allowed: 'voter import, card delivery, strike a voter',
    body: '',
    contentType: 'application/x-ndjson',
  },
  ...(['delivered', 'unreachable'] as const).map((action): Endpoint => ({
    method: 'POST',
    path: (_r, c) => `/voter-cards/${c.a.pollingAreaId}-0001/${action}`,
    allowed: 'voter import, card delivery, strike a voter',
  })),
  ...(['strike', 'vote-elsewhere'] as const).map((action): Endpoint => ({
    method: 'POST',
    path: () => `/voters/${'e'.repeat(64)}/${action}`,
    allowed: 'voter import, card delivery, strike a voter',
  })),
  { method: 'POST', path: () => '/incidents', allowed: 'report an incident' },
  ...(['acknowledge', 'assign', 'resolve', 'reopen'] as const).map((action): Endpoint => ({
    method: 'POST',
    path: () => `/incidents/${unknownIncident}/${action}`,
    allowed: 'triage an incident (acknowledge, assign, resolve, reopen)',
  })),
  {
    method: 'POST',
    path: () => '/incidents/acknowledge',
    allowed: 'triage an incident (acknowledge, assign, resolve, reopen)',
  },
  { method: 'POST', path: (_r, c) => `/incidents/${c.incidentAtA}/notes`, allowed: noteRoles },
  ...(['acknowledge', 'dismiss'] as const).map((action): Endpoint => ({
    method: 'POST',
    path: () => `/anomalies/${unknownAnomaly}/${action}`,
    allowed: 'acknowledge / dismiss an anomaly',
  })),
  {
    method: 'POST',
    path: () => '/results/na/NA-99/declare',
    allowed: "declare an electoral unit's result",
  },
  // Queries.
  ...[
    '/overview',
    '/communes',
    '/polling-areas',
    '/turnout/timeline',
    '/results/na',
    '/electoral-units',
  ].map((path): Endpoint => ({
    method: 'GET',
    path: () => path,
    allowed: 'read overview, communes, areas, turnout, results',
  })),
  {
    method: 'GET',
    path: (_r, c) => `/communes/${c.a.communeId}`,
    allowed: 'read overview, communes, areas, turnout, results',
    // A reporter's own is one polling area: no commune is in it.
    outOfScope: ['reporter'],
  },
  {
    method: 'GET',
    path: (_r, c) => area(c),
    allowed: 'read overview, communes, areas, turnout, results',
  },
  {
    method: 'GET',
    path: (_r, c) => `/turnout/timeline?pollingAreaId=${c.a.pollingAreaId}`,
    allowed: 'read overview, communes, areas, turnout, results',
  },
  {
    method: 'GET',
    path: (_r, c) => `/results/na/${c.a.units.na}`,
    allowed: 'read overview, communes, areas, turnout, results',
  },
  {
    method: 'GET',
    path: () => '/live',
    allowed: 'read overview, communes, areas, turnout, results',
    sse: true,
  },
  { method: 'GET', path: () => '/incidents', allowed: 'read incidents' },
  { method: 'GET', path: (_r, c) => `/incidents/${c.incidentAtA}`, allowed: 'read incidents' },
  { method: 'GET', path: () => '/anomalies', allowed: 'read incidents' },
  { method: 'GET', path: () => '/events', allowed: 'read the event log, verify the chain' },
  { method: 'GET', path: () => '/ledger/verify', allowed: 'read the event log, verify the chain' },
  { method: 'GET', path: () => '/auth/me', allowed: 'any' },
];

/** Names the tests: the path with its parameters as placeholders. */
const placeholders: Context = {
  a: {
    pollingAreaId: '{pollingAreaId}',
    communeId: '{communeId}',
    votersOnList: 0,
    electionDate: '',
    units: { na: '{unitId}', city: '{unitId}', commune: '{unitId}' },
  },
  incidentAtA: '{incidentId}',
};

function allowedRoles(endpoint: Endpoint): readonly Role[] {
  if (endpoint.allowed === 'any') return roles;
  return typeof endpoint.allowed === 'string' ? apiTable[endpoint.allowed] : endpoint.allowed;
}

let h: GatewayHarness;
/** Areas A and B of commune C; D of another commune E. */
let a: ReferenceArea;
let b: ReferenceArea;
let d: ReferenceArea;
let incidentAtA = '';
let incidentAtD = '';
let voterAtD = '';
const users: Record<Role, string> = {
  admin: 'admin',
  ops: 'ops',
  police: 'police',
  auditor: 'auditor',
  commune: '',
  reporter: '',
};

async function call(endpoint: Endpoint, role: Role | undefined): Promise<Answer> {
  const user = role === undefined ? undefined : users[role];
  const path = endpoint.path(role ?? 'admin', { a, incidentAtA });
  if (endpoint.sse === true) {
    const token = user === undefined ? undefined : await h.tokenOf(user);
    const sse = await openSse(
      `${h.gateway.url}/api/v1${path}`,
      token === undefined ? {} : { authorization: `Bearer ${token}` },
    );
    sse.close();
    let body: Record<string, unknown> = {};
    let text = '';
    if (sse.status !== 200) {
      const again = await h.get(path, { user });
      ({ body, text } = again);
    }
    return { status: sse.status, headers: sse.headers, body, text };
  }
  if (endpoint.method === 'GET') return h.get(path, { user });
  return h.post(path, endpoint.body ?? {}, {
    user,
    ...(endpoint.body === undefined ? {} : { raw: true }),
    ...(endpoint.contentType === undefined
      ? {}
      : { headers: { 'content-type': endpoint.contentType } }),
  });
}

function created(answer: Answer): Answer {
  expect(answer.status, JSON.stringify(answer.body)).toBe(201);
  return answer;
}

beforeAll(async () => {
  h = await startGatewayHarness('gateway_role_table', { services: allServices(), projector: true });
  const voting = h.areas.filter((x) => x.electionDate === '2026-03-15');
  const byCommune = new Map<string, ReferenceArea[]>();
  for (const x of voting) byCommune.set(x.communeId, [...(byCommune.get(x.communeId) ?? []), x]);
  const [first, second] = [...byCommune.values()].filter((areas) => areas.length >= 2);
  [a, b] = first as [ReferenceArea, ReferenceArea];
  [d] = second as [ReferenceArea];
  users.commune = `commune-${a.communeId}`;
  users.reporter = `pa-${a.pollingAreaId}`;
  incidentAtA = String(
    created(
      await h.post(
        '/incidents',
        {
          pollingAreaId: a.pollingAreaId,
          category: 'other',
          severity: 'low',
          description: 'Filed by the team of A.',
          occurredAt: '2026-03-15T08:00:00+07:00',
        },
        { user: users.reporter },
      ),
    ).body['incidentId'],
  );
  incidentAtD = String(
    created(
      await h.post(
        '/incidents',
        {
          pollingAreaId: d.pollingAreaId,
          category: 'other',
          severity: 'low',
          description: 'Filed by the commune of D.',
          occurredAt: '2026-03-15T08:00:00+07:00',
        },
        { user: `commune-${d.communeId}` },
      ),
    ).body['incidentId'],
  );
  const citizenId = '031075900001';
  const imported = await h.post(
    '/voters/import',
    `${JSON.stringify({
      citizenId,
      fullName: 'Trần Văn Minh',
      birthYear: 1975,
      gender: 'male',
      pollingAreaId: d.pollingAreaId,
      cardNumber: `${d.pollingAreaId}-0001`,
    })}\n`,
    { user: 'admin', raw: true, headers: { 'content-type': 'application/x-ndjson' } },
  );
  expect(imported.body['imported'], JSON.stringify(imported.body)).toBe(1);
  voterAtD = voterKeyHasher(demoVoterKeySecret)(citizenId);
}, 180_000);

afterAll(async () => {
  await h?.stop();
});

describe('the role table of design/api.md: every endpoint × every role', () => {
  it.each(endpoints.map((e) => [`${e.method} ${e.path('admin', placeholders)}`, e] as const))(
    '%s',
    async (_name, endpoint) => {
      const allowed = allowedRoles(endpoint);
      await h.appendsNothing(async () => {
        for (const role of roles) {
          const answer = await call(endpoint, role);
          const seen = `${role}: ${answer.status} ${JSON.stringify(answer.body)}`;
          if (!allowed.includes(role)) {
            expect({ status: answer.status, code: answer.body['code'] }, seen).toEqual({
              status: 403,
              code: 'FORBIDDEN_ROLE',
            });
          } else if (endpoint.outOfScope?.includes(role) === true) {
            expect({ status: answer.status, code: answer.body['code'] }, seen).toEqual({
              status: 403,
              code: 'FORBIDDEN_SCOPE',
            });
          } else {
            expect([401, 403], seen).not.toContain(answer.status);
            expect(answer.status, seen).toBeLessThan(500);
          }
        }
        const anonymous = await call(endpoint, undefined);
        expect({ status: anonymous.status, code: anonymous.body['code'] }).toEqual({
          status: 401,
          code: 'UNAUTHENTICATED',
        });
      });
    },
  );

  it('leaves sign-in, health and the OpenAPI document open to anyone', async () => {
    for (const path of ['/health/live', '/health/ready', '/openapi.json']) {
      expect((await h.get(path)).status, path).toBe(200);
    }
    const signIn = await h.post('/auth/token', {
      username: 'ops',
      password: defaultDemoPassword,
    });
    expect(signIn.status).toBe(200);
    expect(signIn.body).toMatchObject({ tokenType: 'Bearer', role: 'ops' });
  });
});

describe('scope: a reporter acts for its own area, a commune inside itself', () => {
  const at = '2026-03-15T08:00:00+07:00';

  it('refuses a reporter of A every command for area B of the same commune', async () => {
    const reporter = users.reporter;
    const other = b.pollingAreaId;
    await h.appendsNothing(async () => {
      for (const [path, body] of [
        [`/polling-areas/${other}/open`, { at }],
        [`/polling-areas/${other}/turnout-reports`, { asOf: at, votersVoted: 1 }],
        [`/polling-areas/${other}/close`, { at: '2026-03-15T19:00:00+07:00', votersVoted: 1 }],
        ['/check-ins', { cardNumber: `${other}-0001`, pollingAreaId: other, at }],
        [
          '/incidents',
          {
            pollingAreaId: other,
            category: 'other',
            severity: 'low',
            description: 'Not my area.',
            occurredAt: at,
          },
        ],
      ] as const) {
        expectProblem(await h.post(path, body, { user: reporter }), 403, 'FORBIDDEN_SCOPE');
      }
      expectProblem(
        await h.post(`/polling-areas/${other}/minutes/na`, minuteOf(b), { user: reporter }),
        403,
        'FORBIDDEN_SCOPE',
      );
    });
  });

  it('refuses a commune account every command for an area, card or voter of another commune', async () => {
    const commune = users.commune;
    const other = d.pollingAreaId;
    await h.appendsNothing(async () => {
      for (const [path, body] of [
        [`/polling-areas/${other}/open`, { at }],
        [`/polling-areas/${other}/turnout-reports`, { asOf: at, votersVoted: 1 }],
        [`/polling-areas/${other}/close`, { at: '2026-03-15T19:00:00+07:00', votersVoted: 1 }],
        [`/polling-areas/${other}/minutes/na`, minuteOf(d)],
        [`/polling-areas/${other}/minutes/na/corrections`, { ...minuteOf(d), reason: 'Typo.' }],
        ['/check-ins', { cardNumber: `${other}-0001`, pollingAreaId: other, at }],
        [
          '/incidents',
          {
            pollingAreaId: other,
            category: 'other',
            severity: 'low',
            description: 'Not my commune.',
            occurredAt: at,
          },
        ],
        [`/voter-cards/${other}-0001/delivered`, { at: '2026-03-08T09:00:00+07:00' }],
        [
          `/voter-cards/${other}-0001/unreachable`,
          { at: '2026-03-08T09:00:00+07:00', note: 'Moved away.' },
        ],
        [`/voters/${voterAtD}/strike`, { reason: 'Not my list.' }],
        [`/voters/${voterAtD}/vote-elsewhere`, { toPollingAreaId: a.pollingAreaId }],
      ] as const) {
        expectProblem(await h.post(path, body, { user: commune }), 403, 'FORBIDDEN_SCOPE');
      }
    });
    // An import is answered row by row: the rows of another commune are refused, none written.
    await h.appendsNothing(async () => {
      const answer = await h.post(
        '/voters/import',
        `${JSON.stringify({
          citizenId: '031075900002',
          fullName: 'Lê Văn Hùng',
          birthYear: 1975,
          gender: 'male',
          pollingAreaId: other,
          cardNumber: `${other}-0002`,
        })}\n`,
        { user: commune, raw: true, headers: { 'content-type': 'application/x-ndjson' } },
      );
      expect(answer.status).toBe(200);
      expect(answer.body).toMatchObject({
        imported: 0,
        rejected: [{ line: 1, code: 'FORBIDDEN_SCOPE' }],
      });
    });
  });

  it('lets only the filer of an incident, among the reporting roles, add notes to it', async () => {
    await h.appendsNothing(async () => {
      for (const user of [`pa-${b.pollingAreaId}`, `commune-${d.communeId}`, 'ops']) {
        expectProblem(
          await h.post(`/incidents/${incidentAtA}/notes`, { text: 'Not mine.' }, { user }),
          403,
          'FORBIDDEN_SCOPE',
        );
      }
    });
    created(
      await h.post(`/incidents/${incidentAtA}/notes`, { text: 'Fixed.' }, { user: users.reporter }),
    );
    created(await h.post(`/incidents/${incidentAtA}/notes`, { text: 'Seen.' }, { user: 'police' }));
  });

  it('refuses reads outside the scope: 403 for one resource, filtered lists', async () => {
    const [commune, reporter] = [users.commune, users.reporter];
    for (const [path, user] of [
      [`/polling-areas/${d.pollingAreaId}`, commune],
      [`/polling-areas/${b.pollingAreaId}`, reporter],
      [`/communes/${d.communeId}`, commune],
      [`/turnout/timeline?pollingAreaId=${b.pollingAreaId}`, reporter],
      [`/turnout/timeline?communeId=${d.communeId}`, commune],
      [`/results/na/${otherNaUnit()}`, reporter],
      [`/incidents/${incidentAtD}`, commune],
      [`/incidents?communeId=${d.communeId}`, commune],
      [`/anomalies?communeId=${d.communeId}`, commune],
      [`/polling-areas?communeId=${d.communeId}`, commune],
    ] as const) {
      const answer = await h.get(path, { user });
      expect([answer.status, answer.body['code']], `${user} ${path}`).toEqual([
        403,
        'FORBIDDEN_SCOPE',
      ]);
    }
    const areas = await h.get('/polling-areas', { user: reporter });
    expect(
      (areas.body['pollingAreas'] as { pollingAreaId: string }[]).map((x) => x.pollingAreaId),
    ).toEqual([a.pollingAreaId]);
    const incidents = await h.get('/incidents', { user: commune });
    expect(
      (incidents.body['incidents'] as { incidentId: string }[]).map((i) => i.incidentId),
    ).toEqual([incidentAtA]);
  });
});

/** A National Assembly unit area A does not vote in. */
function otherNaUnit(): string {
  const unit = h.areas.find((x) => x.units.na !== a.units.na)?.units.na;
  if (unit === undefined) throw new Error('one NA unit only');
  return unit;
}

function minuteOf(x: ReferenceArea) {
  return {
    votersOnList: x.votersOnList,
    votersVoted: 10,
    ballotsIssued: 10,
    ballotsReceived: 10,
    validBallots: 10,
    invalidBallots: 0,
    votes: {},
    complaints: { received: 0, resolved: 0, forwarded: 0 },
  };
}
