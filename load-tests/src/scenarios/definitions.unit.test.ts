import { describe, expect, it } from 'vitest';
import {
  buildCheckIn,
  buildMinute,
  buildTurnoutReport,
  dayClock,
  parseDuration,
  scenarioPlan,
  scenarioThresholds,
} from './definitions.ts';
import type { FixtureView } from './fixture.ts';

const createdAtMs = Date.parse('2026-11-22T00:00:00Z');
const fixture: FixtureView = {
  createdAtMs,
  areas: [
    {
      pollingAreaId: 'PA-10507-001',
      communeId: '10507',
      votersOnList: 1_437,
      electionDate: '2026-03-15',
      units: { na: 'NA-6', city: 'CITY-14', commune: 'C-10507-01' },
    },
    {
      pollingAreaId: 'PA-10507-002',
      communeId: '10507',
      votersOnList: 1_200,
      electionDate: '2026-03-15',
      units: { na: 'NA-6', city: 'CITY-14', commune: 'C-10507-01' },
    },
  ],
  units: [
    { unitId: 'NA-6', level: 'na', seats: 3, candidateIds: ['a', 'b', 'c', 'd', 'e'] },
    { unitId: 'CITY-14', level: 'city', seats: 2, candidateIds: ['f', 'g', 'h'] },
    {
      unitId: 'C-10507-01',
      level: 'commune',
      seats: 5,
      candidateIds: ['i', 'j', 'k', 'l', 'm', 'n', 'o'],
    },
  ],
  cards: ['PA-10507-001-0001', 'PA-10507-002-0001'],
};

describe('scenario plans', () => {
  it('scales rates, keeps slow ones per minute, and sizes VUs by Little’s law', () => {
    expect(scenarioPlan('checkIns', 1, '20m')).toMatchObject({
      rate: 2_700,
      timeUnit: '1s',
      durationMs: 1_200_000,
      preAllocatedVUs: 542,
      maxVUs: 2_710,
    });
    expect(scenarioPlan('turnoutReports', 0.01, '60s')).toMatchObject({ rate: 8, timeUnit: '1m' });
    expect(() => scenarioPlan('minutes', 0, '1m')).toThrow();
    expect(parseDuration('1m30s')).toBe(90_000);
    expect(() => parseDuration('soon')).toThrow();
  });

  it('sets both thresholds per scenario through the scenario tag', () => {
    expect(scenarioThresholds(['checkIns'])).toEqual({
      http_req_failed: ['rate<0.001'],
      http_req_duration: ['p(99)<100'],
      'http_req_failed{scenario:checkIns}': ['rate<0.001'],
      'http_req_duration{scenario:checkIns}': ['p(99)<100'],
    });
  });
});

describe('request builders', () => {
  it('runs the day clock from 07:00 when the fixture was made, and stops at 20:59:59', () => {
    expect(dayClock(fixture, '2026-03-15', createdAtMs + 61_500).iso).toBe(
      '2026-03-15T07:01:01.500+07:00',
    );
    expect(dayClock(fixture, '2026-03-15', createdAtMs + 30 * 3_600_000).iso).toBe(
      '2026-03-15T20:59:59.000+07:00',
    );
  });

  it('sends turnout figures that never decrease per area, with a fresh key and trace each', () => {
    const figures: number[] = [];
    for (let hour = 0; hour < 14; hour += 1) {
      const spec = buildTurnoutReport(fixture, {
        iteration: 0,
        nowMs: createdAtMs + hour * 3_600_000,
      });
      const body = spec?.body as { votersVoted: number; asOf: string };
      figures.push(body.votersVoted);
    }
    expect(figures).toEqual([...figures].sort((a, b) => a - b));
    expect(figures[0]).toBe(0);
    expect(figures.at(-1)).toBe(Math.floor(1_437 * 0.99));
    const a = buildTurnoutReport(fixture, { iteration: 0, nowMs: createdAtMs });
    const b = buildTurnoutReport(fixture, { iteration: 1, nowMs: createdAtMs });
    expect(a?.path).toBe('/api/v1/polling-areas/PA-10507-001/turnout-reports');
    expect(b?.path).toBe('/api/v1/polling-areas/PA-10507-002/turnout-reports');
    expect(a?.headers['idempotency-key']).not.toBe(b?.headers['idempotency-key']);
    expect(a?.headers.traceparent).not.toBe(b?.headers.traceparent);
  });

  it('checks each card in once at its own area and then reports the fixture exhausted', () => {
    const spec = buildCheckIn(fixture, { iteration: 1, nowMs: createdAtMs });
    expect(spec).toMatchObject({
      path: '/api/v1/check-ins',
      user: 'pa-PA-10507-002',
      body: { cardNumber: 'PA-10507-002-0001', pollingAreaId: 'PA-10507-002' },
    });
    expect(buildCheckIn(fixture, { iteration: 2, nowMs: createdAtMs })).toBeNull();
  });

  it('writes minutes whose arithmetic holds, one per area and level', () => {
    for (let i = 0; i < 6; i += 1) {
      const spec = buildMinute(fixture, { iteration: i, nowMs: createdAtMs });
      const m = spec?.body as {
        votersOnList: number;
        votersVoted: number;
        ballotsReceived: number;
        validBallots: number;
        invalidBallots: number;
        votes: Record<string, number>;
      };
      const unit = fixture.units[i % 3];
      expect(m.validBallots + m.invalidBallots).toBe(m.ballotsReceived);
      expect(m.votersVoted).toBeLessThanOrEqual(m.votersOnList);
      expect(Object.keys(m.votes)).toEqual(unit?.candidateIds);
      const total = Object.values(m.votes).reduce((x, y) => x + y, 0);
      expect(total).toBeLessThanOrEqual(m.validBallots * (unit?.seats ?? 0));
      for (const v of Object.values(m.votes)) expect(v).toBeLessThanOrEqual(m.validBallots);
    }
    expect(buildMinute(fixture, { iteration: 6, nowMs: createdAtMs })).toBeNull();
  });
});
