// The load scenarios as plain data plus request builders, shared by the k6 script and the Node
// driver (no k6 or Node imports): rates, VUs, thresholds, and what each iteration sends.
import { areaOfCard, levels, type FixtureView } from './fixture.ts';
import { mathRandomBytes, uuidV4, type RandomBytes } from './random-ids.ts';
import { traceparent } from './traceparent.ts';

export const scenarioNames = [
  'checkIns',
  'turnoutReports',
  'minutes',
  'incidents',
  'overviewReaders',
] as const;
export type ScenarioName = (typeof scenarioNames)[number];

export function isScenarioName(value: string): value is ScenarioName {
  return (scenarioNames as readonly string[]).includes(value);
}

export interface ScenarioDefinition {
  readonly name: ScenarioName;
  /** The k6 script's exported function for this scenario. */
  readonly exec: string;
  /**
   * Iterations per second at scale 1: the full-day benchmark's pace (3,189,339 check-ins, every
   * turnout report, minute and incident in about 20 minutes), not the real day's 12 hours.
   */
  readonly ratePerSecondAtScale1: number;
  /** The statuses that count as success (k6 `expectedStatuses`, the driver's error rate). */
  readonly expectedStatuses: readonly number[];
  readonly why: string;
}

export const scenarioDefinitions: Readonly<Record<ScenarioName, ScenarioDefinition>> = {
  checkIns: {
    name: 'checkIns',
    exec: 'checkIns',
    ratePerSecondAtScale1: 2_700,
    expectedStatuses: [201],
    why: '3,189,339 voters in 20 minutes: each card scanned once at its own polling area',
  },
  turnoutReports: {
    name: 'turnoutReports',
    exec: 'turnoutReports',
    ratePerSecondAtScale1: 13,
    expectedStatuses: [201],
    why: '2,577 areas x ~6 reporting rounds in 20 minutes',
  },
  minutes: {
    name: 'minutes',
    exec: 'minutes',
    ratePerSecondAtScale1: 7,
    expectedStatuses: [201],
    why: '2,577 areas x 3 levels of counting minutes in 20 minutes',
  },
  incidents: {
    name: 'incidents',
    exec: 'incidents',
    ratePerSecondAtScale1: 2,
    expectedStatuses: [201],
    why: 'a busy day of incident reports',
  },
  overviewReaders: {
    name: 'overviewReaders',
    exec: 'overviewReaders',
    ratePerSecondAtScale1: 100,
    expectedStatuses: [200],
    why: '200 console screens polling GET /overview every 2 s',
  },
};

/** The performance targets of architecture.md, per scenario: errors < 0.1 %, p99 < 100 ms. */
export const thresholdTargets = { maxErrorRate: 0.001, p99Ms: 100 } as const;

export interface ScenarioPlan {
  readonly name: ScenarioName;
  readonly exec: string;
  readonly executor: 'constant-arrival-rate';
  /** Iterations per timeUnit (k6 wants an integer). */
  readonly rate: number;
  readonly timeUnit: '1s' | '1m';
  readonly timeUnitMs: number;
  readonly duration: string;
  readonly durationMs: number;
  readonly preAllocatedVUs: number;
  readonly maxVUs: number;
}

/** "60s", "5m", "1h", "1m30s" → milliseconds. */
export function parseDuration(text: string): number {
  const parts = [...text.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h)/g)];
  const joined = parts.map((p) => p[0]).join('');
  if (parts.length === 0 || joined !== text) throw new Error(`not a duration: ${text}`);
  const unitMs: Record<string, number> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000 };
  return parts.reduce((sum, p) => sum + Number(p[1]) * (unitMs[p[2] ?? 's'] ?? 0), 0);
}

/**
 * The executor settings of one scenario at `scale`. Slow rates go per minute so that k6's integer
 * rate keeps the scale; VUs follow Little's law (rate x the 100 ms budget, doubled, plus slack).
 */
export function scenarioPlan(name: ScenarioName, scale: number, duration: string): ScenarioPlan {
  if (!(scale > 0)) throw new Error(`scale must be positive, not ${scale}`);
  const def = scenarioDefinitions[name];
  const perSecond = def.ratePerSecondAtScale1 * scale;
  const perMinute = perSecond < 10;
  const rate = Math.max(1, Math.round(perMinute ? perSecond * 60 : perSecond));
  const preAllocatedVUs = Math.ceil(perSecond * 0.2) + 2;
  return {
    name,
    exec: def.exec,
    executor: 'constant-arrival-rate',
    rate,
    timeUnit: perMinute ? '1m' : '1s',
    timeUnitMs: perMinute ? 60_000 : 1_000,
    duration,
    durationMs: parseDuration(duration),
    preAllocatedVUs,
    maxVUs: Math.max(10, preAllocatedVUs * 5),
  };
}

/** k6 thresholds for the chosen scenarios, per scenario through k6's automatic `scenario` tag. */
export function scenarioThresholds(names: readonly ScenarioName[]): Record<string, string[]> {
  const thresholds: Record<string, string[]> = {
    http_req_failed: [`rate<${thresholdTargets.maxErrorRate}`],
    http_req_duration: [`p(99)<${thresholdTargets.p99Ms}`],
  };
  for (const name of names) {
    thresholds[`http_req_failed{scenario:${name}}`] = [`rate<${thresholdTargets.maxErrorRate}`];
    thresholds[`http_req_duration{scenario:${name}}`] = [`p(99)<${thresholdTargets.p99Ms}`];
  }
  return thresholds;
}

// ---- requests ----

export interface RequestTags {
  readonly scenario: ScenarioName;
  /** The route template, so latency is grouped by endpoint and not by id. */
  readonly endpoint: string;
  readonly pollingAreaId?: string;
}

export interface RequestSpec {
  readonly method: 'GET' | 'POST';
  /** From the host on, with /api/v1. */
  readonly path: string;
  readonly body?: unknown;
  /** The account the request is sent as (one token per user, signed in before the run). */
  readonly user: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly tags: RequestTags;
  readonly expectedStatuses: readonly number[];
}

export interface BuildContext {
  /** Unique per scenario across all VUs (k6: exec.scenario.iterationInTest). */
  readonly iteration: number;
  /** The wall clock when the iteration starts (ms since epoch). */
  readonly nowMs: number;
  readonly random?: RandomBytes;
}

/** A builder answers null when the fixture has nothing left for it (every card used, ...). */
export type RequestBuilder = (fixture: FixtureView, context: BuildContext) => RequestSpec | null;

const dayStartMs = 7 * 3_600_000;
const latestReportMs = 21 * 3_600_000 - 1_000;

/**
 * The field's clock: 07:00 on election day when the fixture was made, then real time. Turnout
 * figures must come in order per area, so a clock that only moves forward lets several runs share
 * one stack for 14 hours (then make a new fixture on a fresh stack).
 */
export function dayClock(
  fixture: FixtureView,
  electionDate: string,
  nowMs: number,
): { iso: string; msIntoDay: number } {
  const msIntoDay = Math.min(latestReportMs, dayStartMs + Math.max(0, nowMs - fixture.createdAtMs));
  const hh = Math.floor(msIntoDay / 3_600_000);
  const mm = Math.floor((msIntoDay % 3_600_000) / 60_000);
  const ss = Math.floor((msIntoDay % 60_000) / 1_000);
  const ms = msIntoDay % 1_000;
  const two = (n: number): string => String(n).padStart(2, '0');
  const iso = `${electionDate}T${two(hh)}:${two(mm)}:${two(ss)}.${String(ms).padStart(3, '0')}+07:00`;
  return { iso, msIntoDay };
}

// The share of the list that has voted by a time of day (domain.md: over 70 % by 11:20, 80.6 %
// at 14:15, about 99 % at the close); piecewise linear, so figures only grow.
export const turnoutCurve: readonly (readonly [number, number])[] = [
  [7 * 60, 0],
  [9 * 60, 0.4],
  [11 * 60 + 20, 0.705],
  [14 * 60 + 15, 0.806],
  [17 * 60, 0.92],
  [19 * 60, 0.99],
];

export function turnoutShare(minuteOfDay: number): number {
  let previous = turnoutCurve[0] ?? [0, 0];
  if (minuteOfDay <= previous[0]) return previous[1];
  for (const point of turnoutCurve) {
    if (minuteOfDay <= point[0]) {
      const t = (minuteOfDay - previous[0]) / (point[0] - previous[0]);
      return previous[1] + t * (point[1] - previous[1]);
    }
    previous = point;
  }
  return previous[1];
}

function commandHeaders(random: RandomBytes): Record<string, string> {
  return {
    traceparent: traceparent(random),
    'idempotency-key': uuidV4(random),
    'content-type': 'application/json',
  };
}

const incidentCategories = [
  'security',
  'public_order',
  'ballot_irregularity',
  'voter_list',
  'equipment',
  'power_or_network',
  'weather',
  'medical',
  'complaint',
  'other',
] as const;
const incidentSeverities = ['low', 'low', 'medium', 'medium', 'high', 'critical'] as const;
const readers = ['ops', 'police', 'auditor', 'admin'] as const;

/** Check-in i scans card i (cards are interleaved across areas), as the area's own account. */
export const buildCheckIn: RequestBuilder = (fixture, { iteration, nowMs, random }) => {
  const cardNumber = fixture.cards[iteration];
  if (cardNumber === undefined) return null;
  const pollingAreaId = areaOfCard(cardNumber);
  const electionDate = findArea(fixture, pollingAreaId)?.electionDate ?? '2026-03-15';
  return {
    method: 'POST',
    path: '/api/v1/check-ins',
    body: { cardNumber, pollingAreaId, at: dayClock(fixture, electionDate, nowMs).iso },
    user: `pa-${pollingAreaId}`,
    headers: commandHeaders(random ?? mathRandomBytes),
    tags: { scenario: 'checkIns', endpoint: 'POST /check-ins', pollingAreaId },
    expectedStatuses: scenarioDefinitions.checkIns.expectedStatuses,
  };
};

/**
 * Report i goes to area i mod n, round-robin, so one area's reports are n / rate seconds apart
 * and cannot overtake each other; the figure follows the turnout curve, so it never decreases.
 */
export const buildTurnoutReport: RequestBuilder = (fixture, { iteration, nowMs, random }) => {
  const area = fixture.areas[iteration % fixture.areas.length];
  if (area === undefined) return null;
  const clock = dayClock(fixture, area.electionDate, nowMs);
  const votersVoted = Math.floor(area.votersOnList * turnoutShare(clock.msIntoDay / 60_000));
  return {
    method: 'POST',
    path: `/api/v1/polling-areas/${area.pollingAreaId}/turnout-reports`,
    body: { asOf: clock.iso, votersVoted },
    user: `pa-${area.pollingAreaId}`,
    headers: commandHeaders(random ?? mathRandomBytes),
    tags: {
      scenario: 'turnoutReports',
      endpoint: 'POST /polling-areas/{id}/turnout-reports',
      pollingAreaId: area.pollingAreaId,
    },
    expectedStatuses: scenarioDefinitions.turnoutReports.expectedStatuses,
  };
};

/** Minute i is level i mod 3 of area i / 3: each (area, level) once, arithmetic consistent. */
export const buildMinute: RequestBuilder = (fixture, { iteration, random }) => {
  const area = fixture.areas[Math.floor(iteration / levels.length)];
  const level = levels[iteration % levels.length];
  if (area === undefined || level === undefined) return null;
  const unit = findUnit(fixture, area.units[level]);
  if (unit === undefined) return null;
  const votersVoted = Math.floor(area.votersOnList * 0.99);
  const invalidBallots = Math.floor(votersVoted * 0.01);
  const validBallots = votersVoted - invalidBallots;
  const candidates = unit.candidateIds.length;
  // Every candidate gets valid x seats / candidates: within valid each, within valid x seats in all.
  const each = candidates === 0 ? 0 : Math.floor((validBallots * unit.seats) / candidates);
  const votes: Record<string, number> = {};
  for (const candidateId of unit.candidateIds) votes[candidateId] = Math.min(each, validBallots);
  return {
    method: 'POST',
    path: `/api/v1/polling-areas/${area.pollingAreaId}/minutes/${level}`,
    body: {
      votersOnList: area.votersOnList,
      votersVoted,
      ballotsIssued: votersVoted,
      ballotsReceived: votersVoted,
      validBallots,
      invalidBallots,
      votes,
      complaints: { received: 0, resolved: 0, forwarded: 0 },
    },
    user: `commune-${area.communeId}`,
    headers: commandHeaders(random ?? mathRandomBytes),
    tags: {
      scenario: 'minutes',
      endpoint: 'POST /polling-areas/{id}/minutes/{level}',
      pollingAreaId: area.pollingAreaId,
    },
    expectedStatuses: scenarioDefinitions.minutes.expectedStatuses,
  };
};

/** Incidents round-robin over the areas, half from the area's team and half from the police. */
export const buildIncident: RequestBuilder = (fixture, { iteration, nowMs, random }) => {
  const area = fixture.areas[iteration % fixture.areas.length];
  if (area === undefined) return null;
  const category = incidentCategories[iteration % incidentCategories.length] ?? 'other';
  const severity = incidentSeverities[iteration % incidentSeverities.length] ?? 'low';
  return {
    method: 'POST',
    path: '/api/v1/incidents',
    body: {
      pollingAreaId: area.pollingAreaId,
      category,
      severity,
      description: `Load test incident ${iteration}: ${category.replaceAll('_', ' ')} reported`,
      occurredAt: dayClock(fixture, area.electionDate, nowMs).iso,
    },
    user: iteration % 2 === 0 ? `pa-${area.pollingAreaId}` : 'police',
    headers: commandHeaders(random ?? mathRandomBytes),
    tags: { scenario: 'incidents', endpoint: 'POST /incidents', pollingAreaId: area.pollingAreaId },
    expectedStatuses: scenarioDefinitions.incidents.expectedStatuses,
  };
};

/** A console screen refreshing the city overview, as one of the city's reading roles. */
export const buildOverviewRead: RequestBuilder = (_fixture, { iteration, random }) => ({
  method: 'GET',
  path: '/api/v1/overview',
  user: readers[iteration % readers.length] ?? 'ops',
  headers: { traceparent: traceparent(random ?? mathRandomBytes) },
  tags: { scenario: 'overviewReaders', endpoint: 'GET /overview' },
  expectedStatuses: scenarioDefinitions.overviewReaders.expectedStatuses,
});

export const requestBuilders: Readonly<Record<ScenarioName, RequestBuilder>> = {
  checkIns: buildCheckIn,
  turnoutReports: buildTurnoutReport,
  minutes: buildMinute,
  incidents: buildIncident,
  overviewReaders: buildOverviewRead,
};

/** Opening every area at 07:00 comes before the run: reports and check-ins need an open area. */
export function openAreaRequest(
  pollingAreaId: string,
  electionDate: string,
  random: RandomBytes = mathRandomBytes,
): RequestSpec {
  return {
    method: 'POST',
    path: `/api/v1/polling-areas/${pollingAreaId}/open`,
    body: { at: `${electionDate}T07:00:00+07:00` },
    user: `pa-${pollingAreaId}`,
    headers: commandHeaders(random),
    tags: { scenario: 'turnoutReports', endpoint: 'POST /polling-areas/{id}/open', pollingAreaId },
    expectedStatuses: [201],
  };
}

function findArea(fixture: FixtureView, pollingAreaId: string) {
  for (let i = 0; i < fixture.areas.length; i += 1) {
    const area = fixture.areas[i];
    if (area?.pollingAreaId === pollingAreaId) return area;
  }
  return undefined;
}

function findUnit(fixture: FixtureView, unitId: string) {
  for (let i = 0; i < fixture.units.length; i += 1) {
    const unit = fixture.units[i];
    if (unit?.unitId === unitId) return unit;
  }
  return undefined;
}
