// The turnout decider of one polling area: when it may open and close, and which turnout figures
// it accepts (never decreasing, never above its list, only while open). Clock comes in.
import { assert, assertNever, InvariantError } from '../assert.js';
import type { Decider, DecisionContext } from '../decider.js';
import { codedError, err, ok } from '../result.js';
import type { CodedError, Result } from '../result.js';
import {
  EARLIEST_OPENING_MINUTE,
  electionDayTime,
  LATEST_CLOSING_MINUTE,
  minutesIntoElectionDay,
  REGULAR_CLOSING_MINUTE,
} from './polling-hours.js';
import type {
  AdjustVoterList,
  ClosePollingArea,
  OpenPollingArea,
  RegisterPollingArea,
  ReportTurnout,
  TurnoutCommand,
} from './turnout-commands.js';
import type { TurnoutEvent, TurnoutFigureRefused } from './turnout-events.js';

/** Every code this decider may return; each command checks its rules in the order written below. */
export const turnoutErrorCodes = [
  'POLLING.NOT_REGISTERED',
  'POLLING.ALREADY_REGISTERED',
  'POLLING.ALREADY_OPEN',
  'POLLING.ALREADY_CLOSED',
  'POLLING.NOT_OPEN',
  'POLLING.TIME_IN_FUTURE',
  'POLLING.OUTSIDE_HOURS',
  'POLLING.CLOSE_TOO_EARLY',
  'POLLING.CLOSE_TOO_LATE',
  'TURNOUT.BEFORE_OPENING',
  'TURNOUT.OUT_OF_ORDER',
  'TURNOUT.DECREASED',
  'TURNOUT.ABOVE_LIST',
] as const;
export type TurnoutErrorCode = (typeof turnoutErrorCodes)[number];

/** A field clock may run a little fast; a time further ahead than this was mistyped. */
export const FUTURE_TOLERANCE_MINUTES = 5;

export interface TurnoutFigure {
  readonly asOf: string;
  readonly votersVoted: number;
}

export interface RegisteredPollingArea {
  readonly status: 'registered' | 'open' | 'closed';
  readonly pollingAreaId: string;
  readonly electionDate: string;
  /** The list as it stands now: registered size plus transfers in, minus transfers out and strikes. */
  readonly votersOnList: number;
  readonly openedAt: string | null;
  /** The latest accepted figure; the close's final figure once closed. */
  readonly lastFigure: TurnoutFigure | null;
  readonly closedAt: string | null;
}

export type TurnoutState = { readonly status: 'unregistered' } | RegisteredPollingArea;

type Decision = Result<readonly TurnoutEvent[], CodedError<TurnoutErrorCode>>;

const reject = (
  code: TurnoutErrorCode,
  message: string,
  details: Readonly<Record<string, unknown>>,
): Decision => err(codedError(code, message, details));

const accept = (...events: TurnoutEvent[]): Decision => ok(events);

/** The service loads the stream named after the command's area: any other area is a bug. */
function assertSameArea(state: RegisteredPollingArea, pollingAreaId: string): void {
  assert(
    state.pollingAreaId === pollingAreaId,
    `command for ${pollingAreaId} decided on the stream of ${state.pollingAreaId}`,
  );
}

function notRegistered(pollingAreaId: string): Decision {
  return reject('POLLING.NOT_REGISTERED', `polling area ${pollingAreaId} is not registered`, {
    pollingAreaId,
  });
}

function timeInFuture(at: string, now: Date): Decision | null {
  const latest = now.getTime() + FUTURE_TOLERANCE_MINUTES * 60_000;
  if (Date.parse(at) <= latest) return null;
  return reject('POLLING.TIME_IN_FUTURE', `${at} is later than now (${now.toISOString()})`, {
    at,
    now: now.toISOString(),
    toleranceMinutes: FUTURE_TOLERANCE_MINUTES,
  });
}

/**
 * Turnout only grows and never passes the list: shared by turnout reports and the close. A figure
 * older than the last is refused outright (a late retry, not news); a decrease or a figure above the
 * list is recorded as TurnoutFigureRefused and answered with its code (turnoutRejectionOf).
 */
function checkFigure(
  state: RegisteredPollingArea,
  asOf: string,
  votersVoted: number,
  sentWith: TurnoutFigureRefused['data']['sentWith'],
): Decision | null {
  const last = state.lastFigure;
  if (last !== null && Date.parse(asOf) <= Date.parse(last.asOf))
    return reject('TURNOUT.OUT_OF_ORDER', `a figure as of ${last.asOf} is already in`, {
      previousAsOf: last.asOf,
      asOf,
    });
  const refused = (reason: TurnoutFigureRefused['data']['reason']): Decision =>
    accept({
      type: 'TurnoutFigureRefused',
      data: {
        pollingAreaId: state.pollingAreaId,
        asOf,
        votersVoted,
        reason,
        sentWith,
        votersOnList: state.votersOnList,
        previous: last === null ? null : { asOf: last.asOf, votersVoted: last.votersVoted },
      },
    });
  if (last !== null && votersVoted < last.votersVoted) return refused('DECREASED');
  if (votersVoted > state.votersOnList) return refused('ABOVE_LIST');
  return null;
}

/** The coded answer a recorded refusal stands for, or undefined when the events hold none. */
export function turnoutRejectionOf(
  events: readonly TurnoutEvent[],
): CodedError<TurnoutErrorCode> | undefined {
  for (const event of events) {
    if (event.type !== 'TurnoutFigureRefused') continue;
    const { reason, votersVoted, votersOnList, previous } = event.data;
    return reason === 'DECREASED'
      ? codedError(
          'TURNOUT.DECREASED',
          `${votersVoted} voters is fewer than the ${previous?.votersVoted ?? 0} already reported`,
          { previous: previous?.votersVoted ?? 0, reported: votersVoted },
        )
      : codedError(
          'TURNOUT.ABOVE_LIST',
          `${votersVoted} voters is more than the ${votersOnList} on the list`,
          { votersOnList, reported: votersVoted },
        );
  }
  return undefined;
}

function register(command: RegisterPollingArea, state: TurnoutState): Decision {
  const { pollingAreaId } = command.data;
  if (state.status !== 'unregistered')
    return reject(
      'POLLING.ALREADY_REGISTERED',
      `polling area ${pollingAreaId} is already registered`,
      { pollingAreaId },
    );
  return accept({ type: 'PollingAreaRegistered', data: { ...command.data } });
}

function adjustVoterList(command: AdjustVoterList, state: TurnoutState): Decision {
  const { pollingAreaId, change, count } = command.data;
  if (state.status === 'unregistered') return notRegistered(pollingAreaId);
  assertSameArea(state, pollingAreaId);
  if (state.status === 'closed')
    return reject('POLLING.ALREADY_CLOSED', `polling area ${pollingAreaId} has closed`, {
      closedAt: state.closedAt,
    });
  const votersOnList = state.votersOnList + (change === 'transferred_in' ? count : -count);
  // A list shorter than the voters who already voted would put the accepted turnout above it.
  const votersVoted = state.lastFigure?.votersVoted ?? 0;
  if (votersOnList < votersVoted)
    return reject(
      'TURNOUT.ABOVE_LIST',
      `a list of ${votersOnList} would be shorter than the ${votersVoted} who voted`,
      { votersOnList, reported: votersVoted },
    );
  return accept({
    type: 'VoterListAdjusted',
    data: { pollingAreaId, change, count, votersOnList },
  });
}

function open(command: OpenPollingArea, state: TurnoutState, now: Date): Decision {
  const { pollingAreaId, at } = command.data;
  if (state.status === 'unregistered') return notRegistered(pollingAreaId);
  assertSameArea(state, pollingAreaId);
  if (state.status === 'open')
    return reject('POLLING.ALREADY_OPEN', `polling area ${pollingAreaId} is already open`, {
      openedAt: state.openedAt,
    });
  if (state.status === 'closed')
    return reject('POLLING.ALREADY_CLOSED', `polling area ${pollingAreaId} has closed`, {
      closedAt: state.closedAt,
    });
  const future = timeInFuture(at, now);
  if (future) return future;
  // Open from 05:00 until the regular close: opening at 19:00 or later would open for nobody.
  const minute = minutesIntoElectionDay(at, state.electionDate);
  if (minute < EARLIEST_OPENING_MINUTE || minute >= REGULAR_CLOSING_MINUTE)
    return reject(
      'POLLING.OUTSIDE_HOURS',
      `a polling area voting on ${state.electionDate} opens from 05:00, before 19:00`,
      {
        at,
        electionDate: state.electionDate,
        earliest: electionDayTime(state.electionDate, EARLIEST_OPENING_MINUTE),
        before: electionDayTime(state.electionDate, REGULAR_CLOSING_MINUTE),
      },
    );
  return accept({ type: 'PollingAreaOpened', data: { pollingAreaId, at } });
}

function notOpen(state: RegisteredPollingArea): Decision {
  return reject('POLLING.NOT_OPEN', `polling area ${state.pollingAreaId} is not open`, {
    status: state.status,
  });
}

function reportTurnout(command: ReportTurnout, state: TurnoutState, now: Date): Decision {
  const { pollingAreaId, asOf, votersVoted } = command.data;
  if (state.status === 'unregistered') return notRegistered(pollingAreaId);
  assertSameArea(state, pollingAreaId);
  if (state.status !== 'open' || state.openedAt === null) return notOpen(state);
  const future = timeInFuture(asOf, now);
  if (future) return future;
  if (Date.parse(asOf) < Date.parse(state.openedAt))
    return reject('TURNOUT.BEFORE_OPENING', `${asOf} is before the opening at ${state.openedAt}`, {
      asOf,
      openedAt: state.openedAt,
    });
  // No area may still be voting after 21:00, so a later figure cannot be a polling-time figure.
  if (minutesIntoElectionDay(asOf, state.electionDate) > LATEST_CLOSING_MINUTE)
    return reject('POLLING.OUTSIDE_HOURS', `${asOf} is after polling must have closed`, {
      asOf,
      latest: electionDayTime(state.electionDate, LATEST_CLOSING_MINUTE),
    });
  const refused = checkFigure(state, asOf, votersVoted, 'ReportTurnout');
  if (refused) return refused;
  return accept({ type: 'TurnoutReported', data: { pollingAreaId, asOf, votersVoted } });
}

function close(command: ClosePollingArea, state: TurnoutState, now: Date): Decision {
  const { pollingAreaId, at, votersVoted } = command.data;
  if (state.status === 'unregistered') return notRegistered(pollingAreaId);
  assertSameArea(state, pollingAreaId);
  if (state.status !== 'open') return notOpen(state);
  const future = timeInFuture(at, now);
  if (future) return future;
  const minute = minutesIntoElectionDay(at, state.electionDate);
  // Never before 19:00, whatever the turnout: a full list is no reason to close early.
  if (minute < REGULAR_CLOSING_MINUTE)
    return reject('POLLING.CLOSE_TOO_EARLY', `voting never closes before 19:00`, {
      at,
      earliest: electionDayTime(state.electionDate, REGULAR_CLOSING_MINUTE),
    });
  if (minute > LATEST_CLOSING_MINUTE)
    return reject('POLLING.CLOSE_TOO_LATE', `voting closes at 21:00 at the latest`, {
      at,
      latest: electionDayTime(state.electionDate, LATEST_CLOSING_MINUTE),
    });
  const refused = checkFigure(state, at, votersVoted, 'ClosePollingArea');
  if (refused) return refused;
  return accept({ type: 'PollingAreaClosed', data: { pollingAreaId, at, votersVoted } });
}

function decide(command: TurnoutCommand, state: TurnoutState, { now }: DecisionContext): Decision {
  switch (command.type) {
    case 'RegisterPollingArea':
      return register(command, state);
    case 'AdjustVoterList':
      return adjustVoterList(command, state);
    case 'OpenPollingArea':
      return open(command, state, now);
    case 'ReportTurnout':
      return reportTurnout(command, state, now);
    case 'ClosePollingArea':
      return close(command, state, now);
    default:
      return assertNever(command, 'turnout command');
  }
}

/** Events after the first need a registered area: any other history is a corrupt stream. */
function registered(state: TurnoutState, event: TurnoutEvent): RegisteredPollingArea {
  if (state.status === 'unregistered')
    throw new InvariantError(`${event.type} on an unregistered polling area`);
  return state;
}

function evolve(state: TurnoutState, event: TurnoutEvent): TurnoutState {
  switch (event.type) {
    case 'PollingAreaRegistered':
      return {
        status: 'registered',
        ...event.data,
        openedAt: null,
        lastFigure: null,
        closedAt: null,
      };
    case 'VoterListAdjusted':
      return { ...registered(state, event), votersOnList: event.data.votersOnList };
    case 'PollingAreaOpened':
      return { ...registered(state, event), status: 'open', openedAt: event.data.at };
    case 'TurnoutReported':
      return {
        ...registered(state, event),
        lastFigure: { asOf: event.data.asOf, votersVoted: event.data.votersVoted },
      };
    case 'PollingAreaClosed':
      return {
        ...registered(state, event),
        status: 'closed',
        closedAt: event.data.at,
        lastFigure: { asOf: event.data.at, votersVoted: event.data.votersVoted },
      };
    case 'TurnoutFigureRefused':
      // Recorded for the record; the area's accepted figures are unchanged.
      return registered(state, event);
    default:
      return assertNever(event, 'turnout event');
  }
}

export const turnoutDecider: Decider<TurnoutCommand, TurnoutEvent, TurnoutState, TurnoutErrorCode> =
  {
    initialState: () => ({ status: 'unregistered' }),
    decide,
    evolve,
  };

/** The stream a polling area's turnout lives in. */
export const turnoutStreamId = (pollingAreaId: string): string => `turnout-${pollingAreaId}`;
