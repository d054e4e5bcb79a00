import { describe, expect, it } from 'vitest';
import { eventLog, run, utc, vn } from './projection-fixtures.test-support.js';
import { stepEnd, turnoutTimelineProjection } from './turnout-timeline-projection.js';

const report = (area: string, hhmm: string, votersVoted: number) =>
  [
    'turnout-' + area,
    'TurnoutReported',
    { pollingAreaId: area, asOf: vn(hhmm), votersVoted },
  ] as const;

function points(engine: ReturnType<typeof run>, kind: string, id: string) {
  return engine
    .group('turnout_timeline', `${kind}|${id}`)
    .map((r) => [r.at, r.voters_voted, r.areas_reporting, r.position])
    .sort((a, b) => String(a[0]).localeCompare(String(b[0])));
}

describe('turnout timeline projection', () => {
  it('puts a report in the 15-minute step that ends at or after it', () => {
    expect(stepEnd(vn('09:00'))).toBe(utc('09:00'));
    expect(stepEnd(vn('09:00:01'.slice(0, 5)))).toBe(utc('09:00'));
    expect(stepEnd('2026-03-15T09:00:01+07:00')).toBe(utc('09:15'));
    expect(stepEnd(vn('11:20'))).toBe(utc('11:30'));
  });

  it('sums each area’s latest figure per step, for the commune and the city', () => {
    const { events, add } = eventLog();
    add(...report('PA-10001-001', '09:00', 300));
    add(...report('PA-10001-002', '09:00', 100));
    add(...report('PA-10002-001', '09:10', 200));
    add(...report('PA-10001-001', '11:00', 600));
    add('turnout-PA-10001-002', 'PollingAreaClosed', {
      pollingAreaId: 'PA-10001-002',
      at: vn('19:00'),
      votersVoted: 495,
    });
    const engine = run(turnoutTimelineProjection, events);
    expect(points(engine, 'commune', '10001')).toEqual([
      [utc('09:00'), 400, 2, 2],
      [utc('11:00'), 700, 2, 4],
      [utc('19:00'), 1095, 2, 5],
    ]);
    expect(points(engine, 'commune', '10002')).toEqual([[utc('09:15'), 200, 1, 3]]);
    expect(points(engine, 'city', 'city')).toEqual([
      [utc('09:00'), 400, 2, 2],
      [utc('09:15'), 600, 3, 3],
      [utc('11:00'), 900, 3, 4],
      [utc('19:00'), 1295, 3, 5],
    ]);
    expect(points(engine, 'area', 'PA-10001-001')).toEqual([
      [utc('09:00'), 300, 1, 1],
      [utc('11:00'), 600, 1, 4],
    ]);
  });

  it('corrects every later step when a report for an earlier step arrives late', () => {
    const { events, add } = eventLog();
    add(...report('PA-10001-001', '09:00', 300));
    add(...report('PA-10001-001', '11:00', 600));
    add(...report('PA-10001-002', '09:00', 100));
    const engine = run(turnoutTimelineProjection, events);
    expect(points(engine, 'commune', '10001')).toEqual([
      [utc('09:00'), 400, 2, 3],
      [utc('11:00'), 700, 2, 3],
    ]);
  });

  it('keeps the later figure when two reports fall in one step, whatever their order', () => {
    const { events, add } = eventLog();
    add(...report('PA-10001-001', '09:10', 320));
    add(...report('PA-10001-001', '09:05', 300));
    const engine = run(turnoutTimelineProjection, events);
    expect(points(engine, 'commune', '10001')).toEqual([[utc('09:15'), 320, 1, 1]]);
  });
});
