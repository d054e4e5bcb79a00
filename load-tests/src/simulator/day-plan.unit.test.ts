// The simulated day is realistic and consistent before anything is sent: the same seed gives the
// same day, every counting minute passes the domain's rules, figures never fall and stay under the
// lists, every area reports before every round, and a clean day stays inside the detector's
// thresholds — so any anomaly the stack raises comes from an injection.
import { checkCountingMinute, defaultAnomalyThresholds } from '@hpe/domain';
import { generateReferenceDataset, type ReferenceDataset } from '@hpe/reference-data';
import { beforeAll, describe, expect, it } from 'vitest';
import { injections, planDay, type AreaPlan, type DayPlan, type Injection } from './day-plan.ts';

let dataset: ReferenceDataset;
let clean: DayPlan;
let injected: DayPlan;
const options = { seed: 'unit', scale: 0.01, incidentsPerArea: 0.05, correctionShare: 0.01 };

beforeAll(() => {
  dataset = generateReferenceDataset({ seed: 'haiphong-2026' });
  clean = planDay(dataset, { ...options, inject: new Set() });
  injected = planDay(dataset, { ...options, inject: new Set(injections) });
});

const units = () => {
  const candidates = new Map<string, string[]>();
  for (const c of dataset.candidates)
    candidates.set(c.unitId, [...(candidates.get(c.unitId) ?? []), c.candidateId]);
  return new Map(
    dataset.electoralUnits.map((u) => [
      u.unitId,
      { seats: u.seats, candidateIds: candidates.get(u.unitId) ?? [] },
    ]),
  );
};

const reports = (area: AreaPlan) =>
  area.actions
    .filter((a) => a.kind === 'report' || a.kind === 'close')
    .map((a) => a as { at: number; votersVoted: number; expect?: string });

const targetOf = (plan: DayPlan, injection: Injection): AreaPlan => {
  const id = plan.injected.find((t) => t.injection === injection)?.pollingAreaId;
  const area = plan.areas.find((a) => a.area.pollingAreaId === id);
  if (area === undefined) throw new Error(`no target for ${injection}`);
  return area;
};

describe('the planned day', () => {
  it('is the same for the same seed and differs for another', () => {
    const again = planDay(dataset, { ...options, inject: new Set() });
    expect(again.areas.slice(0, 50).map((a) => a.actions)).toEqual(
      clean.areas.slice(0, 50).map((a) => a.actions),
    );
    const other = planDay(dataset, { ...options, seed: 'other', inject: new Set() });
    expect(other.areas.slice(0, 50).map((a) => a.actions)).not.toEqual(
      clean.areas.slice(0, 50).map((a) => a.actions),
    );
  });

  it('has every area of the city, and card-scanning areas holding about the scale of the voters', () => {
    expect(clean.areas).toHaveLength(2_577);
    const scanned = clean.areas
      .filter((a) => a.scanning)
      .reduce((n, a) => n + a.area.votersOnList, 0);
    expect(scanned / 3_189_339).toBeGreaterThanOrEqual(0.01);
    expect(scanned / 3_189_339).toBeLessThan(0.012);
    for (const area of clean.areas.filter((a) => a.scanning)) {
      expect(area.arrivals).toHaveLength(area.voters);
      expect(new Set(area.voterIndices).size).toBe(area.voters);
    }
  });

  it('gives every counting minute consistent arithmetic against its unit', () => {
    const byId = units();
    for (const area of clean.areas) {
      for (const action of area.actions) {
        if (action.kind !== 'minute' && action.kind !== 'correction') continue;
        const unit = byId.get(area.area.units[action.level]);
        if (unit === undefined) throw new Error('unit');
        const checked = checkCountingMinute(action.minute, {
          ...unit,
          votersOnList: area.area.votersOnList,
        });
        expect(checked.ok, `${area.area.pollingAreaId} ${action.level}`).toBe(true);
      }
    }
  });

  it('sends figures that never fall, stay under the list, and end with the minutes’ voters', () => {
    for (const area of clean.areas) {
      const figures = reports(area);
      for (let i = 1; i < figures.length; i += 1) {
        expect(figures[i]?.at).toBeGreaterThan(figures[i - 1]?.at ?? 0);
        expect(figures[i]?.votersVoted).toBeGreaterThanOrEqual(figures[i - 1]?.votersVoted ?? 0);
      }
      expect(figures.at(-1)?.votersVoted).toBeLessThanOrEqual(area.area.votersOnList);
      const minutes = area.actions.filter((a) => a.kind === 'minute');
      for (const m of minutes)
        if (m.kind === 'minute') expect(m.minute.votersVoted).toBe(figures.at(-1)?.votersVoted);
    }
  });

  it('has each area report before every round, within polling hours', () => {
    for (const area of clean.areas) {
      const open = area.actions.find((a) => a.kind === 'open')?.at ?? 0;
      expect(open).toBeGreaterThanOrEqual(5 * 60);
      let previous = open;
      for (const round of clean.rounds) {
        expect(
          reports(area).some((r) => r.at > previous && r.at <= round),
          `${area.area.pollingAreaId} ${round}`,
        ).toBe(true);
        previous = round;
      }
      const close = area.actions.find((a) => a.kind === 'close')?.at ?? 0;
      expect(close).toBeGreaterThanOrEqual(19 * 60);
      expect(close).toBeLessThanOrEqual(21 * 60);
      const lastMinute = Math.max(
        ...area.actions.filter((a) => a.kind === 'minute').map((a) => a.at),
      );
      expect(lastMinute).toBeLessThan(clean.minutesDeadline);
    }
  });

  it('stays inside the detector’s thresholds on a clean day (no early 100 %, no jumps, no landslides)', () => {
    const t = defaultAnomalyThresholds;
    for (const area of clean.areas) {
      const list = area.area.votersOnList;
      const figures = reports(area);
      for (const [i, r] of figures.entries()) {
        for (const ceiling of t.earlyTurnoutCeilings) {
          const [h, m] = ceiling.before.split(':').map(Number);
          if (r.at < (h ?? 0) * 60 + (m ?? 0) && list >= t.minVotersOnListForRates)
            expect((r.votersVoted / list) * 100).toBeLessThanOrEqual(ceiling.maxPct);
        }
        const before = figures[i - 1];
        if (before !== undefined && list >= t.minVotersOnListForRates) {
          const points = ((r.votersVoted - before.votersVoted) / list) * 100;
          const perHour = points / ((r.at - before.at) / 60);
          expect(points < t.minJumpPctPoints || perHour <= t.maxPctPointsPerHour).toBe(true);
        }
      }
      for (const action of area.actions) {
        if (action.kind !== 'minute' || action.minute.validBallots < t.minBallotsForShares)
          continue;
        for (const votes of Object.values(action.minute.votes))
          expect((votes / action.minute.validBallots) * 100).toBeLessThanOrEqual(
            t.dominantCandidatePct,
          );
      }
    }
  });

  it('plans incidents at a realistic rate, police triage in order', () => {
    const incidents = clean.areas.flatMap((a) => a.incidents);
    expect(incidents.length).toBeGreaterThan(80);
    expect(incidents.length).toBeLessThan(220);
    for (const incident of incidents) {
      const times = [incident.at, ...incident.triage.map((s) => s.at)];
      expect([...times].sort((a, b) => a - b)).toEqual(times);
    }
  });
});

describe('the injected anomalies', () => {
  it('each land on an area of its own, and only change that area', () => {
    expect(injected.injected.map((t) => t.injection)).toEqual([...injections]);
    expect(new Set(injected.injected.map((t) => t.pollingAreaId)).size).toBe(injections.length);
    const targets = new Set(injected.injected.map((t) => t.pollingAreaId));
    const untouched = injected.areas
      .filter((a) => !targets.has(a.area.pollingAreaId))
      .slice(0, 200);
    const same = clean.areas.filter((a) =>
      untouched.some((u) => u.area.pollingAreaId === a.area.pollingAreaId),
    );
    expect(untouched.map((a) => a.actions)).toEqual(same.map((a) => a.actions));
  });

  it('ballot stuffing: a very high figure very early, and one candidate with nearly every vote', () => {
    const area = targetOf(injected, 'ballot-stuffing');
    const early = Math.max(
      ...reports(area)
        .filter((r) => r.at < 8 * 60 + 30)
        .map((r) => r.votersVoted),
    );
    expect(early / area.area.votersOnList).toBeGreaterThan(0.6);
    const na = area.actions.find((a) => a.kind === 'minute' && a.level === 'na');
    if (na?.kind !== 'minute') throw new Error('no NA minute');
    expect(Math.max(...Object.values(na.minute.votes)) / na.minute.validBallots).toBeGreaterThan(
      0.95,
    );
  });

  it('a decreasing report, expected to be refused; a missed 11:00 round; a broken minute then a good one', () => {
    const decreasing = reports(targetOf(injected, 'decreasing-report'));
    const refused = decreasing.filter((r) => r.expect === 'TURNOUT.DECREASED');
    expect(refused).toHaveLength(1);
    const before = decreasing.filter((r) => r.at < (refused[0]?.at ?? 0)).at(-1);
    expect(refused[0]?.votersVoted).toBeLessThan(before?.votersVoted ?? 0);

    const missed = reports(targetOf(injected, 'missed-round'));
    expect(missed.some((r) => r.at > 9 * 60 && r.at <= 11 * 60)).toBe(false);

    const minutes = targetOf(injected, 'arithmetic-error').actions.filter(
      (a) => a.kind === 'minute' && a.level === 'city',
    );
    expect(minutes.map((m) => (m.kind === 'minute' ? m.expect : 'x'))).toEqual([
      'MINUTE.VALID_PLUS_INVALID_MISMATCH',
      undefined,
    ]);
  });

  it('a reused card at a scanning area, a missing commune minute, and a figure well above the check-ins', () => {
    const reused = targetOf(injected, 'reused-card');
    expect(reused.scanning).toBe(true);
    expect(reused.reusedCard).toBeDefined();
    expect(
      targetOf(injected, 'late-minutes').actions.some(
        (a) => a.kind === 'minute' && a.level === 'commune',
      ),
    ).toBe(false);
    const mismatch = targetOf(injected, 'checkin-mismatch');
    const close = reports(mismatch).at(-1)?.votersVoted ?? 0;
    const tolerance = Math.max(mismatch.area.votersOnList * 0.05, 10);
    expect(close - mismatch.voters).toBeGreaterThan(tolerance);
  });

  it('says which injections no area could take (no scanning area at scale 0)', () => {
    const none = planDay(dataset, { ...options, scale: 0, inject: new Set(injections) });
    expect(none.skipped).toEqual(['reused-card', 'checkin-mismatch']);
  });
});
