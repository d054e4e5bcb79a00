// Hostile inputs to the turnout command schemas: whatever reaches the decider has passed these, so
// a figure that is negative, fractional or huge, a time without an offset or an extra field stops here.
import { describe, expect, it } from 'vitest';
import {
  AdjustVoterList,
  ClosePollingArea,
  OpenPollingArea,
  RegisterPollingArea,
  ReportTurnout,
  TurnoutCommand,
} from './turnout-commands.js';
import { TurnoutEvent, turnoutEventTypes } from './turnout-events.js';

const report = {
  type: 'ReportTurnout',
  data: { pollingAreaId: 'PA-10507-001', asOf: '2026-03-15T11:20:00+07:00', votersVoted: 700 },
};
const withData = (patch: Record<string, unknown>) => ({
  ...report,
  data: { ...report.data, ...patch },
});

describe('turnout command schemas', () => {
  it('accepts a well-formed turnout report, with any offset', () => {
    expect(ReportTurnout.safeParse(report).success).toBe(true);
    expect(ReportTurnout.safeParse(withData({ asOf: '2026-03-15T04:20:00Z' })).success).toBe(true);
    expect(TurnoutCommand.safeParse(report).success).toBe(true);
  });

  it.each([
    ['a negative figure', { votersVoted: -1 }],
    ['a fractional figure', { votersVoted: 700.5 }],
    ['a figure as a string', { votersVoted: '700' }],
    ['an infinite figure', { votersVoted: Number.POSITIVE_INFINITY }],
    ['NaN', { votersVoted: Number.NaN }],
    ['a figure beyond any list', { votersVoted: 1e12 }],
    ['a time without an offset', { asOf: '2026-03-15T11:20:00' }],
    ['a date without a time', { asOf: '2026-03-15' }],
    ['a time that is not a time', { asOf: 'at noon' }],
    ['an empty area id', { pollingAreaId: '' }],
    ['an area id with a dot (would split a NATS subject)', { pollingAreaId: 'PA.1' }],
    ['an area id that could be read as a prototype key', { pollingAreaId: '__proto__' }],
    ['an extra field', { votersOnList: 5 }],
  ])('refuses %s', (_, patch) => {
    expect(ReportTurnout.safeParse(withData(patch)).success).toBe(false);
  });

  it('refuses a missing figure, a missing time and an extra top-level field', () => {
    const { votersVoted: _v, ...noFigure } = report.data;
    const { asOf: _a, ...noTime } = report.data;
    expect(ReportTurnout.safeParse({ ...report, data: noFigure }).success).toBe(false);
    expect(ReportTurnout.safeParse({ ...report, data: noTime }).success).toBe(false);
    expect(ReportTurnout.safeParse({ ...report, actor: 'x' }).success).toBe(false);
  });

  it('refuses an unknown command type', () => {
    expect(TurnoutCommand.safeParse({ ...report, type: 'DeleteTurnout' }).success).toBe(false);
  });

  it('checks the open, the close, the registration and the list adjustment alike', () => {
    const area = { pollingAreaId: 'PA-1' };
    expect(
      OpenPollingArea.safeParse({
        type: 'OpenPollingArea',
        data: { ...area, at: '2026-03-15T07:00:00' },
      }).success,
    ).toBe(false);
    expect(
      ClosePollingArea.safeParse({
        type: 'ClosePollingArea',
        data: { ...area, at: '2026-03-15T19:00:00+07:00', votersVoted: -3 },
      }).success,
    ).toBe(false);
    expect(
      RegisterPollingArea.safeParse({
        type: 'RegisterPollingArea',
        data: { ...area, votersOnList: 1_000, electionDate: '15/03/2026' },
      }).success,
    ).toBe(false);
    expect(
      AdjustVoterList.safeParse({
        type: 'AdjustVoterList',
        data: { ...area, change: 'transferred_in', count: 0 },
      }).success,
    ).toBe(false);
    expect(
      AdjustVoterList.safeParse({
        type: 'AdjustVoterList',
        data: { ...area, change: 'found_in_a_drawer', count: 1 },
      }).success,
    ).toBe(false);
  });
});

describe('turnout event schemas', () => {
  it('name every event in the past tense and parse what the decider writes', () => {
    expect(turnoutEventTypes).toEqual([
      'PollingAreaRegistered',
      'VoterListAdjusted',
      'PollingAreaOpened',
      'TurnoutReported',
      'PollingAreaClosed',
      'TurnoutFigureRefused',
    ]);
    expect(TurnoutEvent.safeParse({ type: 'TurnoutReported', data: report.data }).success).toBe(
      true,
    );
  });
});
