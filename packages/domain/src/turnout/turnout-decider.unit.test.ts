// Given / when / then for the turnout decider: one test per polling-hours and turnout rule of the
// domain brief, named in its words.
import { describe, expect, it } from 'vitest';
import { deciderSpec } from '../decider-spec.test-support.js';
import { foldEvents } from '../decider.js';
import type { TurnoutCommand } from './turnout-commands.js';
import { turnoutDecider, turnoutRejectionOf, turnoutStreamId } from './turnout-decider.js';
import type { TurnoutEvent } from './turnout-events.js';
import { electionDates } from './turnout-values.js';

const pollingAreaId = 'PA-10507-001';
const day = electionDates.regular;
const at = (time: string, date: string = day): string => `${date}T${time}+07:00`;

// Late on election day: every field time in these specs is already past unless a test says not.
const spec = deciderSpec(turnoutDecider, { now: new Date(at('23:00:00')) });

const registered = (votersOnList = 1_000, electionDate: string = day): TurnoutEvent => ({
  type: 'PollingAreaRegistered',
  data: { pollingAreaId, votersOnList, electionDate },
});
const opened = (time = '07:00:00', date: string = day): TurnoutEvent => ({
  type: 'PollingAreaOpened',
  data: { pollingAreaId, at: at(time, date) },
});
const reported = (time: string, votersVoted: number): TurnoutEvent => ({
  type: 'TurnoutReported',
  data: { pollingAreaId, asOf: at(time), votersVoted },
});
const closed = (time: string, votersVoted: number): TurnoutEvent => ({
  type: 'PollingAreaClosed',
  data: { pollingAreaId, at: at(time), votersVoted },
});
const refusal = (
  time: string,
  votersVoted: number,
  reason: 'DECREASED' | 'ABOVE_LIST',
  previous: readonly [string, number] | null,
  votersOnList = 1_000,
  sentWith: 'ReportTurnout' | 'ClosePollingArea' = 'ReportTurnout',
): TurnoutEvent => ({
  type: 'TurnoutFigureRefused',
  data: {
    pollingAreaId,
    asOf: at(time),
    votersVoted,
    reason,
    sentWith,
    votersOnList,
    previous: previous === null ? null : { asOf: at(previous[0]), votersVoted: previous[1] },
  },
});
const transferredIn = (count: number, votersOnList: number): TurnoutEvent => ({
  type: 'VoterListAdjusted',
  data: { pollingAreaId, change: 'transferred_in', count, votersOnList },
});

const open = (time: string, date: string = day): TurnoutCommand => ({
  type: 'OpenPollingArea',
  data: { pollingAreaId, at: at(time, date) },
});
const report = (time: string, votersVoted: number): TurnoutCommand => ({
  type: 'ReportTurnout',
  data: { pollingAreaId, asOf: at(time), votersVoted },
});
const close = (time: string, votersVoted: number): TurnoutCommand => ({
  type: 'ClosePollingArea',
  data: { pollingAreaId, at: at(time), votersVoted },
});

describe('registering a polling area', () => {
  it('registers an area with its list and its election day', () => {
    spec
      .given([])
      .when({
        type: 'RegisterPollingArea',
        data: { pollingAreaId, votersOnList: 1_000, electionDate: day },
      })
      .then([registered()]);
  });

  it('registers an area once only', () => {
    spec
      .given([registered()])
      .when({
        type: 'RegisterPollingArea',
        data: { pollingAreaId, votersOnList: 900, electionDate: day },
      })
      .thenRejected('POLLING.ALREADY_REGISTERED');
  });

  it('knows nothing of an area that was never registered', () => {
    spec.given([]).when(open('07:00:00')).thenRejected('POLLING.NOT_REGISTERED');
    spec.given([]).when(report('09:00:00', 10)).thenRejected('POLLING.NOT_REGISTERED');
    spec.given([]).when(close('19:00:00', 10)).thenRejected('POLLING.NOT_REGISTERED');
  });

  it('names its stream after the polling area', () => {
    expect(turnoutStreamId(pollingAreaId)).toBe('turnout-PA-10507-001');
  });

  it('treats a command for another area than its stream as a bug', () => {
    expect(() =>
      turnoutDecider.decide(
        { type: 'OpenPollingArea', data: { pollingAreaId: 'PA-OTHER', at: at('07:00:00') } },
        foldEvents(turnoutDecider, [registered()]),
        { now: new Date(at('23:00:00')) },
      ),
    ).toThrow(/stream of PA-10507-001/);
  });
});

describe('polling hours: 07:00–19:00, open from 05:00, close by 21:00', () => {
  it('opens at the regular time, 07:00', () => {
    spec
      .given([registered()])
      .when(open('07:00:00'))
      .then([opened('07:00:00')]);
  });

  it('a team may open at 05:00 but not before', () => {
    spec
      .given([registered()])
      .when(open('05:00:00'))
      .then([opened('05:00:00')]);
    spec
      .given([registered()])
      .when(open('04:59:59'))
      .thenRejected('POLLING.OUTSIDE_HOURS', {
        earliest: at('05:00:00'),
      });
  });

  it('a team that opens late still opens, but not once polling should have closed', () => {
    spec
      .given([registered()])
      .when(open('10:30:00'))
      .then([opened('10:30:00')]);
    spec.given([registered()]).when(open('19:00:00')).thenRejected('POLLING.OUTSIDE_HOURS');
  });

  it('reads the hours in Vietnam time, whatever offset the field sends', () => {
    // 22:00 UTC on 14 March is 05:00 on 15 March in Hải Phòng; 21:59 UTC is 04:59.
    spec
      .given([registered()])
      .when({ type: 'OpenPollingArea', data: { pollingAreaId, at: '2026-03-14T22:00:00Z' } })
      .then([{ type: 'PollingAreaOpened', data: { pollingAreaId, at: '2026-03-14T22:00:00Z' } }]);
    spec
      .given([registered()])
      .when({ type: 'OpenPollingArea', data: { pollingAreaId, at: '2026-03-14T21:59:00Z' } })
      .thenRejected('POLLING.OUTSIDE_HOURS');
  });

  it('opens only on the area’s own election day', () => {
    spec
      .given([registered()])
      .when(open('07:00:00', '2026-03-16'), { now: new Date(at('08:00:00', '2026-03-16')) })
      .thenRejected('POLLING.OUTSIDE_HOURS', { electionDate: day });
  });

  it('Bạch Long Vĩ votes a day early', () => {
    const bachLongVi = registered(1_000, electionDates.bachLongVi);
    spec
      .given([bachLongVi])
      .when(open('07:00:00', electionDates.bachLongVi), {
        now: new Date(at('07:01:00', electionDates.bachLongVi)),
      })
      .then([opened('07:00:00', electionDates.bachLongVi)]);
    spec
      .given([bachLongVi])
      .when(open('07:00:00', electionDates.regular))
      .thenRejected('POLLING.OUTSIDE_HOURS', { electionDate: electionDates.bachLongVi });
    // …and nobody else votes on the 14th.
    spec
      .given([registered()])
      .when(open('07:00:00', electionDates.bachLongVi))
      .thenRejected('POLLING.OUTSIDE_HOURS');
  });

  it('opens once', () => {
    spec
      .given([registered(), opened()])
      .when(open('07:05:00'))
      .thenRejected('POLLING.ALREADY_OPEN');
  });

  it('does not open again once closed', () => {
    spec
      .given([registered(), opened(), closed('19:00:00', 990)])
      .when(open('19:30:00'))
      .thenRejected('POLLING.ALREADY_CLOSED');
  });

  it('closes at 19:00', () => {
    spec
      .given([registered(), opened(), reported('15:00:00', 900)])
      .when(close('19:00:00', 990))
      .then([closed('19:00:00', 990)]);
  });

  it('voting never closes early, even when every listed voter has voted', () => {
    spec
      .given([registered(), opened(), reported('15:00:00', 1_000)])
      .when(close('18:59:59', 1_000))
      .thenRejected('POLLING.CLOSE_TOO_EARLY', { earliest: at('19:00:00') });
  });

  it('a team may close later, at 21:00 but not after', () => {
    spec
      .given([registered(), opened()])
      .when(close('21:00:00', 990))
      .then([closed('21:00:00', 990)]);
    spec
      .given([registered(), opened()])
      .when(close('21:00:01', 990))
      .thenRejected('POLLING.CLOSE_TOO_LATE', { latest: at('21:00:00') });
  });

  it('closes only an open area', () => {
    spec.given([registered()]).when(close('19:00:00', 0)).thenRejected('POLLING.NOT_OPEN', {
      status: 'registered',
    });
    spec
      .given([registered(), opened(), closed('19:00:00', 990)])
      .when(close('19:10:00', 990))
      .thenRejected('POLLING.NOT_OPEN', { status: 'closed' });
  });

  it('refuses a field time in the future beyond five minutes of clock skew', () => {
    const now = new Date(at('07:00:00'));
    spec
      .given([registered()])
      .when(open('07:05:00'), { now })
      .then([opened('07:05:00')]);
    spec
      .given([registered()])
      .when(open('07:05:01'), { now })
      .thenRejected('POLLING.TIME_IN_FUTURE', { toleranceMinutes: 5 });
    spec
      .given([registered(), opened()])
      .when(report('09:00:00', 10), { now: new Date(at('08:00:00')) })
      .thenRejected('POLLING.TIME_IN_FUTURE');
    spec
      .given([registered(), opened()])
      .when(close('19:30:00', 10), { now: new Date(at('19:00:00')) })
      .thenRejected('POLLING.TIME_IN_FUTURE');
  });
});

describe('turnout reports', () => {
  it('accepts uneven snapshots while open', () => {
    spec
      .given([registered(), opened(), reported('09:00:00', 300)])
      .when(report('11:20:00', 700))
      .then([reported('11:20:00', 700)]);
  });

  it('turnout is reported only while the area is open', () => {
    spec.given([registered()]).when(report('06:00:00', 0)).thenRejected('POLLING.NOT_OPEN');
    spec
      .given([registered(), opened(), closed('19:00:00', 990)])
      .when(report('19:30:00', 990))
      .thenRejected('POLLING.NOT_OPEN', { status: 'closed' });
  });

  it('a turnout figure lower than an earlier one is refused, and the attempt recorded', () => {
    const attempt = refusal('14:15:00', 650, 'DECREASED', ['11:20:00', 700]);
    spec
      .given([registered(), opened(), reported('11:20:00', 700)])
      .when(report('14:15:00', 650))
      .then([attempt]);
    expect(turnoutRejectionOf([attempt])).toMatchObject({
      code: 'TURNOUT.DECREASED',
      details: { previous: 700, reported: 650 },
    });
  });

  it('a recorded refusal changes nothing: the earlier figure still stands', () => {
    const history = [
      registered(),
      opened(),
      reported('11:20:00', 700),
      refusal('14:15:00', 650, 'DECREASED', ['11:20:00', 700]),
    ];
    spec
      .given(history)
      .when(report('14:30:00', 690))
      .then([refusal('14:30:00', 690, 'DECREASED', ['11:20:00', 700])]);
    spec
      .given(history)
      .when(report('14:30:00', 720))
      .then([reported('14:30:00', 720)]);
  });

  it('only refusals are answered with a code', () => {
    expect(turnoutRejectionOf([reported('11:20:00', 700)])).toBeUndefined();
  });

  it('the same figure again is not a decrease', () => {
    spec
      .given([registered(), opened(), reported('11:20:00', 700)])
      .when(report('11:50:00', 700))
      .then([reported('11:50:00', 700)]);
  });

  it('turnout above the list is refused, and the attempt recorded', () => {
    const attempt = refusal('14:15:00', 1_001, 'ABOVE_LIST', null);
    spec
      .given([registered(1_000), opened()])
      .when(report('14:15:00', 1_001))
      .then([attempt]);
    expect(turnoutRejectionOf([attempt])).toMatchObject({
      code: 'TURNOUT.ABOVE_LIST',
      details: { votersOnList: 1_000, reported: 1_001 },
    });
  });

  it('the list includes voters added by transfer', () => {
    spec
      .given([registered(1_000), transferredIn(3, 1_003), opened()])
      .when(report('14:15:00', 1_003))
      .then([reported('14:15:00', 1_003)]);
    spec
      .given([registered(1_000), transferredIn(3, 1_003), opened()])
      .when(report('14:15:00', 1_004))
      .then([refusal('14:15:00', 1_004, 'ABOVE_LIST', null, 1_003)]);
  });

  it('the final figure at the close obeys the same rules', () => {
    spec
      .given([registered(1_000), opened(), reported('18:00:00', 980)])
      .when(close('19:00:00', 970))
      .then([refusal('19:00:00', 970, 'DECREASED', ['18:00:00', 980], 1_000, 'ClosePollingArea')]);
    spec
      .given([registered(1_000), opened()])
      .when(close('19:00:00', 1_001))
      .then([refusal('19:00:00', 1_001, 'ABOVE_LIST', null, 1_000, 'ClosePollingArea')]);
    spec
      .given([registered(1_000), opened(), reported('19:30:00', 990)])
      .when(close('19:15:00', 990))
      .thenRejected('TURNOUT.OUT_OF_ORDER');
  });

  it('a snapshot older than one already in is refused, not reordered', () => {
    spec
      .given([registered(), opened(), reported('11:20:00', 700)])
      .when(report('10:00:00', 700))
      .thenRejected('TURNOUT.OUT_OF_ORDER', { previousAsOf: at('11:20:00') });
    spec
      .given([registered(), opened(), reported('11:20:00', 700)])
      .when(report('11:20:00', 710))
      .thenRejected('TURNOUT.OUT_OF_ORDER');
  });

  it('a snapshot from before the opening is refused', () => {
    spec
      .given([registered(), opened('07:00:00')])
      .when(report('06:30:00', 0))
      .thenRejected('TURNOUT.BEFORE_OPENING', { openedAt: at('07:00:00') });
  });

  it('a snapshot after 21:00 cannot be from polling time', () => {
    spec
      .given([registered(), opened()])
      .when(report('21:30:00', 990))
      .thenRejected('POLLING.OUTSIDE_HOURS', { latest: at('21:00:00') });
  });
});

describe('the voter list after registration', () => {
  it('a voter with a certificate to vote elsewhere is added to the list where they vote', () => {
    spec
      .given([registered(1_000)])
      .when({
        type: 'AdjustVoterList',
        data: { pollingAreaId, change: 'transferred_in', count: 2 },
      })
      .then([transferredIn(2, 1_002)]);
  });

  it('a voter away on election day is struck from the home list', () => {
    spec
      .given([registered(1_000)])
      .when({
        type: 'AdjustVoterList',
        data: { pollingAreaId, change: 'transferred_out', count: 1 },
      })
      .then([
        {
          type: 'VoterListAdjusted',
          data: { pollingAreaId, change: 'transferred_out', count: 1, votersOnList: 999 },
        },
      ]);
  });

  it('a list never shrinks below the voters who already voted', () => {
    spec
      .given([registered(1_000), opened(), reported('17:00:00', 1_000)])
      .when({ type: 'AdjustVoterList', data: { pollingAreaId, change: 'struck_off', count: 1 } })
      .thenRejected('TURNOUT.ABOVE_LIST', { votersOnList: 999, reported: 1_000 });
    spec
      .given([registered(0)])
      .when({ type: 'AdjustVoterList', data: { pollingAreaId, change: 'struck_off', count: 1 } })
      .thenRejected('TURNOUT.ABOVE_LIST', { votersOnList: -1 });
  });

  it('the list is fixed once the area has closed', () => {
    spec
      .given([registered(), opened(), closed('19:00:00', 990)])
      .when({
        type: 'AdjustVoterList',
        data: { pollingAreaId, change: 'transferred_in', count: 1 },
      })
      .thenRejected('POLLING.ALREADY_CLOSED');
  });
});

describe('evolve', () => {
  it('throws on a history that does not start with the registration', () => {
    expect(() => foldEvents(turnoutDecider, [opened()])).toThrow(/unregistered/);
  });

  it('folds a whole day into the state the decisions need', () => {
    const state = foldEvents(turnoutDecider, [
      registered(1_000),
      transferredIn(2, 1_002),
      opened('06:30:00'),
      reported('11:20:00', 700),
      closed('19:00:00', 999),
    ]);
    expect(state).toEqual({
      status: 'closed',
      pollingAreaId,
      electionDate: day,
      votersOnList: 1_002,
      openedAt: at('06:30:00'),
      lastFigure: { asOf: at('19:00:00'), votersVoted: 999 },
      closedAt: at('19:00:00'),
    });
  });
});
