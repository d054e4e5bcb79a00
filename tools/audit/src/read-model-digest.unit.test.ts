import { createHash } from 'node:crypto';
import type { CityOverviewRow, TallyMinuteRow, TurnoutTimelineRow } from '@hpe/read-models';
import { describe, expect, it } from 'vitest';
import { compareTables, digestTable } from './read-model-digest.js';

const overview = (id: number, checkIns: number): CityOverviewRow => ({
  id,
  voters_on_list: 3_189_339,
  voters_voted: 0,
  check_ins: checkIns,
  polling_areas_total: 2_577,
  polling_areas_opened: 0,
  polling_areas_reported: 0,
  polling_areas_closed: 0,
  minutes_expected: 7_731,
  minutes_received: 0,
  position: 41,
});

const minute = (area: string, votes: Record<string, number>): TallyMinuteRow => ({
  polling_area_id: area,
  level: 'na',
  unit_id: 'NA-01',
  commune_id: '10507',
  version: 1,
  voters_on_list: 1_000,
  voters_voted: 990,
  ballots_issued: 990,
  ballots_received: 990,
  valid_ballots: 980,
  invalid_ballots: 10,
  complaints_received: 0,
  complaints_resolved: 0,
  complaints_forwarded: 0,
  votes,
  submitted_at: '2026-03-15T13:00:00.000Z',
  submitted_by: 'to-bau-cu',
  corrected_at: null,
  corrected_by: null,
  correction_reason: null,
  position: 7,
});

describe('the digest of a read-model table', () => {
  it('is SHA-256 over RFC 8785 lines in key order, as docs/audit.md defines it', () => {
    const rows = [overview(10, 5), overview(2, 3)];
    // By hand: keys sorted, no spaces, rows in key order (2 before 10: numbers compare as numbers).
    const line = (r: CityOverviewRow): string =>
      JSON.stringify(Object.fromEntries(Object.entries(r).sort(([a], [b]) => (a < b ? -1 : 1))));
    const expected = createHash('sha256')
      .update(`${line(overview(2, 3))}\n${line(overview(10, 5))}\n`)
      .digest('hex');
    expect(digestTable('city_overview', rows)).toMatchObject({
      table: 'city_overview',
      rows: 2,
      sha256: expected,
    });
    expect(digestTable('city_overview', []).sha256).toBe(createHash('sha256').digest('hex'));
  });

  it('does not depend on the order rows are read in, nor on the key order inside JSON', () => {
    const a = digestTable('tally_minute', [
      minute('PA-1', { 'C-1': 500, 'C-2': 400 }),
      minute('PA-2', { 'C-1': 1, 'C-2': 2 }),
    ]);
    const b = digestTable('tally_minute', [
      minute('PA-2', { 'C-2': 2, 'C-1': 1 }),
      minute('PA-1', { 'C-2': 400, 'C-1': 500 }),
    ]);
    expect(b.sha256).toBe(a.sha256);
    expect(compareTables(a, b, 10)).toMatchObject({ equal: true, changed: 0, sample: [] });
  });

  it('names the row and the columns that differ, and rows on one side only', () => {
    const live = digestTable('turnout_timeline', [
      timeline('PA-1', '2026-03-15T02:00:00.000Z', 10),
      timeline('PA-1', '2026-03-15T02:15:00.000Z', 12),
      timeline('PA-9', '2026-03-15T02:00:00.000Z', 1),
    ]);
    const replay = digestTable('turnout_timeline', [
      timeline('PA-1', '2026-03-15T02:00:00.000Z', 10),
      timeline('PA-1', '2026-03-15T02:15:00.000Z', 11),
      timeline('PA-2', '2026-03-15T02:00:00.000Z', 4),
    ]);
    const c = compareTables(live, replay, 10);
    expect(c).toMatchObject({ equal: false, changed: 1, onlyLive: 1, onlyReplay: 1 });
    expect(c.sample.map((d) => [d.kind, d.key])).toEqual([
      ['changed', { scope_kind: 'area', scope_id: 'PA-1', at: '2026-03-15T02:15:00.000Z' }],
      ['only-replay', { scope_kind: 'area', scope_id: 'PA-2', at: '2026-03-15T02:00:00.000Z' }],
      ['only-live', { scope_kind: 'area', scope_id: 'PA-9', at: '2026-03-15T02:00:00.000Z' }],
    ]);
    expect(c.sample[0]?.columns).toEqual([{ column: 'voters_voted', live: 12, replay: 11 }]);
    expect(compareTables(live, replay, 1).sample).toHaveLength(1);
  });

  it('counts every column: a changed position alone is a difference', () => {
    const a = digestTable('city_overview', [overview(1, 5)]);
    const b = digestTable('city_overview', [{ ...overview(1, 5), position: 42 }]);
    expect(compareTables(a, b, 5).sample[0]?.columns).toEqual([
      { column: 'position', live: 41, replay: 42 },
    ]);
  });
});

function timeline(area: string, at: string, voted: number): TurnoutTimelineRow {
  return {
    scope_kind: 'area',
    scope_id: area,
    at,
    voters_voted: voted,
    areas_reporting: 1,
    last_as_of: at,
    position: 5,
  };
}
