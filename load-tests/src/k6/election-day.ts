// The k6 load test of election day: the shared scenario definitions run as constant-arrival-rate
// scenarios against a staging stack. k6 (>= 0.57, or 1.x) runs this TypeScript file directly.
import { check } from 'k6';
import crypto from 'k6/crypto';
import { SharedArray } from 'k6/data';
import exec from 'k6/execution';
import http from 'k6/http';
import { Counter } from 'k6/metrics';
import type { Options, Scenario } from 'k6/options';
import {
  isScenarioName,
  openAreaRequest,
  requestBuilders,
  scenarioNames,
  scenarioPlan,
  scenarioThresholds,
  type RequestSpec,
  type ScenarioName,
} from '../scenarios/definitions.ts';
import {
  fixtureUsers,
  type FixtureArea,
  type FixtureFile,
  type FixtureUnit,
  type FixtureView,
} from '../scenarios/fixture.ts';
import type { RandomBytes } from '../scenarios/random-ids.ts';

const baseUrl = (__ENV.BASE_URL ?? 'http://127.0.0.1:8080').replace(/\/+$/, '');
const password = __ENV.PASSWORD ?? 'election-day-2026';
const scale = Number(__ENV.SCALE ?? '0.01');
const duration = __ENV.DURATION ?? '5m';
// open() resolves relative to this script: the fixture tool writes ../../fixture/ by default.
const fixturePath = __ENV.FIXTURE ?? '../../fixture/fixture.json';
const chosen: ScenarioName[] = (__ENV.SCENARIOS ?? scenarioNames.join(','))
  .split(',')
  .map((name) => name.trim())
  .filter((name): name is ScenarioName => {
    if (name !== '' && !isScenarioName(name)) throw new Error(`unknown scenario ${name}`);
    return name !== '';
  });

// Loaded once in the init context and shared read-only by every VU (SharedArray parses once).
const meta = new SharedArray('meta', () => {
  const file = JSON.parse(open(fixturePath)) as FixtureFile;
  return [{ createdAtMs: Date.parse(file.createdAt) }];
});
const areas = new SharedArray<FixtureArea>(
  'areas',
  () => (JSON.parse(open(fixturePath)) as FixtureFile).areas as FixtureArea[],
);
const units = new SharedArray<FixtureUnit>(
  'units',
  () => (JSON.parse(open(fixturePath)) as FixtureFile).units as FixtureUnit[],
);
const cards = new SharedArray<string>(
  'cards',
  () => (JSON.parse(open(fixturePath)) as FixtureFile).cards as string[],
);
const fixture: FixtureView = { createdAtMs: meta[0]?.createdAtMs ?? 0, areas, units, cards };

const random: RandomBytes = (length) => new Uint8Array(crypto.randomBytes(length));
/** Iterations with nothing left to send (every card already checked in, every minute in). */
const fixtureExhausted = new Counter('fixture_exhausted');

function scenarios(): Record<string, Scenario> {
  const out: Record<string, Scenario> = {};
  for (const name of chosen) {
    const plan = scenarioPlan(name, scale, duration);
    out[name] = {
      executor: 'constant-arrival-rate',
      exec: plan.exec,
      rate: plan.rate,
      timeUnit: plan.timeUnit,
      duration: plan.duration,
      preAllocatedVUs: plan.preAllocatedVUs,
      maxVUs: plan.maxVUs,
    };
  }
  return out;
}

export const options: Options = {
  scenarios: scenarios(),
  // Per scenario through the `scenario` tag k6 puts on every metric sample.
  thresholds: scenarioThresholds(chosen),
  // setup() signs in one account per area and commune and opens the areas: minutes at full scale.
  setupTimeout: '10m',
  summaryTrendStats: ['avg', 'p(50)', 'p(90)', 'p(99)', 'max'],
};

interface SetupData {
  readonly tokens: Record<string, string>;
}

function send(spec: RequestSpec, token: string | undefined): http.RefinedResponse<'text'> {
  const headers: Record<string, string> = { ...spec.headers };
  if (token !== undefined) headers.authorization = `Bearer ${token}`;
  return http.request(
    spec.method,
    `${baseUrl}${spec.path}`,
    spec.body === undefined ? null : JSON.stringify(spec.body),
    {
      headers,
      tags: { endpoint: spec.tags.endpoint },
      responseCallback: http.expectedStatuses(...spec.expectedStatuses),
    },
  );
}

/** Sign-ins and openings go out this many at a time (http.batch): thousands at full scale. */
const setupBatch = 20;

export function setup(): SetupData {
  const tokens: Record<string, string> = {};
  const users = fixtureUsers(fixture);
  for (let from = 0; from < users.length; from += setupBatch) {
    const chunk = users.slice(from, from + setupBatch);
    const responses = http.batch(
      chunk.map((username) => ({
        method: 'POST',
        url: `${baseUrl}/api/v1/auth/token`,
        body: JSON.stringify({ username, password }),
        params: {
          headers: { 'content-type': 'application/json' },
          tags: { endpoint: 'POST /auth/token' },
        },
      })),
    );
    chunk.forEach((username, i) => {
      const res = responses[i];
      const token = res?.status === 200 ? accessTokenOf(res.body) : undefined;
      if (token === undefined) {
        throw new Error(`sign-in of ${username} failed: ${res?.status ?? 0} ${String(res?.body)}`);
      }
      tokens[username] = token;
    });
  }
  // Reports and check-ins need open areas; an area a previous run opened answers 409/422.
  const specs: RequestSpec[] = [];
  for (let i = 0; i < areas.length; i += 1) {
    const area = areas[i];
    if (area !== undefined)
      specs.push(openAreaRequest(area.pollingAreaId, area.electionDate, random));
  }
  for (let from = 0; from < specs.length; from += setupBatch) {
    const responses = http.batch(
      specs.slice(from, from + setupBatch).map((spec) => ({
        method: spec.method,
        url: `${baseUrl}${spec.path}`,
        body: JSON.stringify(spec.body),
        params: {
          headers: { ...spec.headers, authorization: `Bearer ${tokens[spec.user] ?? ''}` },
          tags: { endpoint: spec.tags.endpoint },
        },
      })),
    );
    for (const res of responses) {
      check(res, { 'area opened (or already open)': (r) => [201, 409, 422].includes(r.status) });
    }
  }
  return { tokens };
}

function accessTokenOf(body: unknown): string | undefined {
  if (typeof body !== 'string') return undefined;
  try {
    const parsed = JSON.parse(body) as { accessToken?: unknown } | null;
    return typeof parsed?.accessToken === 'string' ? parsed.accessToken : undefined;
  } catch {
    return undefined;
  }
}

function problemCode(body: unknown): string | undefined {
  if (typeof body !== 'string') return undefined;
  try {
    const parsed = JSON.parse(body) as { code?: unknown } | null;
    return typeof parsed?.code === 'string' ? parsed.code : undefined;
  } catch {
    return undefined;
  }
}

function iterate(name: ScenarioName, data: SetupData): void {
  const spec = requestBuilders[name](fixture, {
    iteration: exec.scenario.iterationInTest,
    nowMs: Date.now(),
    random,
  });
  if (spec === null) {
    fixtureExhausted.add(1, { scenario: name });
    return;
  }
  const res = send(spec, data.tokens[spec.user]);
  const expected = spec.expectedStatuses;
  check(res, {
    [`status is ${expected.join('/')}`]: (r) => expected.includes(r.status),
    // A refusal must still be a well-formed problem+json with a stable code (api.md).
    'refusal is problem+json with a code': (r) =>
      expected.includes(r.status) ||
      (String(r.headers['Content-Type'] ?? '').startsWith('application/problem+json') &&
        problemCode(r.body) !== undefined),
  });
}

export function checkIns(data: SetupData): void {
  iterate('checkIns', data);
}

export function turnoutReports(data: SetupData): void {
  iterate('turnoutReports', data);
}

export function minutes(data: SetupData): void {
  iterate('minutes', data);
}

export function incidents(data: SetupData): void {
  iterate('incidents', data);
}

export function overviewReaders(data: SetupData): void {
  iterate('overviewReaders', data);
}
