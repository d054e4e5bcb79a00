import { describe, expect, it } from 'vitest';
import { reconcile } from './reconcile.ts';

describe('reconcile', () => {
  const accepted = {
    checkIns: { 'PA-1': 3, 'PA-2': 2 },
    turnoutReports: { 'PA-1': 4 },
    overviewReaders: {},
  };
  const ledger = {
    VoterCheckedIn: { 'PA-1': 3, 'PA-2': 2 },
    TurnoutReported: { 'PA-1': 4 },
  };

  it('is exact when every 201 left its event and the read models agree', () => {
    const result = reconcile({
      accepted,
      ledger,
      lastTurnout: { 'PA-1': 900 },
      readModels: {
        overviewDelta: { checkIns: 5, minutesReceived: 0, incidentsOpen: 0 },
        areaVotersVoted: { 'PA-1': 900, 'PA-9': 10 },
      },
    });
    expect(result.mismatches).toEqual([]);
    expect(result.ok).toBe(true);
    expect(result.totals.find((t) => t.scenario === 'checkIns')).toEqual({
      scenario: 'checkIns',
      eventType: 'VoterCheckedIn',
      accepted: 5,
      ledger: 5,
    });
  });

  it('names the area of a lost event and of an event counted twice', () => {
    const result = reconcile({
      accepted,
      ledger: { VoterCheckedIn: { 'PA-1': 2, 'PA-2': 3 }, TurnoutReported: { 'PA-1': 4 } },
      lastTurnout: {},
    });
    expect(result.ok).toBe(false);
    expect(result.mismatches).toEqual([
      {
        check: 'checkIns 201s = VoterCheckedIn events',
        pollingAreaId: 'PA-1',
        expected: 3,
        actual: 2,
      },
      {
        check: 'checkIns 201s = VoterCheckedIn events',
        pollingAreaId: 'PA-2',
        expected: 2,
        actual: 3,
      },
    ]);
  });

  it('flags events at an area that had no accepted request', () => {
    const result = reconcile({
      accepted: {},
      ledger: { IncidentReported: { 'PA-7': 1 } },
      lastTurnout: {},
    });
    expect(result.mismatches).toEqual([
      {
        check: 'incidents 201s = IncidentReported events',
        pollingAreaId: 'PA-7',
        expected: 0,
        actual: 1,
      },
    ]);
  });

  it('compares the read models when they answer, and skips them when they do not', () => {
    const withReads = reconcile({
      accepted,
      ledger,
      lastTurnout: { 'PA-1': 900 },
      readModels: {
        overviewDelta: { checkIns: 4 },
        areaVotersVoted: { 'PA-1': 899 },
      },
    });
    expect(withReads.mismatches).toEqual([
      { check: 'overview.checkIns grew by the accepted check-ins', expected: 5, actual: 4 },
      {
        check: 'polling-areas votersVoted = last accepted turnout figure',
        pollingAreaId: 'PA-1',
        expected: 900,
        actual: 899,
      },
    ]);
    expect(reconcile({ accepted, ledger, lastTurnout: { 'PA-1': 900 } }).ok).toBe(true);
  });
});
