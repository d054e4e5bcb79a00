// Builds a recorded log for the detector's specs: each event checked by its domain schema, given a
// position, a valid event id and a stream, as the ledger would record it.
import type { RecordedEvent } from '../event-envelope.js';
import type { Level } from '../levels.js';
import type { CountingMinute, MinuteCode } from '../tallies/counting-minute.js';
import { CheckInRefused, VoterCheckedIn } from '../voters/voter-schemas.js';
import {
  PollingAreaClosed,
  PollingAreaOpened,
  PollingAreaRegistered,
  TurnoutFigureRefused,
  TurnoutReported,
  VoterListAdjusted,
} from '../turnout/turnout-events.js';
import {
  CountingMinuteCorrected,
  CountingMinuteRefused,
  CountingMinuteSubmitted,
} from '../tallies/tally.js';
import { detect, initialDetectorState, type DetectionContext } from './anomaly-detector.js';
import type { AnomalyDetected } from './anomaly-events.js';
import { defaultAnomalyThresholds } from './anomaly-thresholds.js';
import { deterministicUuidV7 } from './deterministic-id.js';
import { MinutesDeadlinePassed, ReportingRoundClosed } from './schedule.js';

export const day = '2026-03-15';
export const at = (time: string): string => `${day}T${time}:00+07:00`;

export class LogBuilder {
  readonly events: RecordedEvent[] = [];

  private push(streamId: string, event: { type: string; data: object }): RecordedEvent {
    const position = this.events.length + 1;
    const recorded: RecordedEvent = {
      eventId: deterministicUuidV7(['test-log', String(position), streamId]),
      type: event.type,
      schemaVersion: 1,
      streamId,
      data: { ...event.data },
      metadata: {
        occurredAt: '2026-03-15T07:00:00+07:00',
        actor: { id: 'test', role: 'admin' },
        correlationId: `c-${position}`,
      },
      position,
      streamRevision: 0,
      recordedAt: '2026-03-15T07:00:00+07:00',
      prevHash: '0'.repeat(64),
      hash: '0'.repeat(64),
    };
    this.events.push(recorded);
    return recorded;
  }

  register(pollingAreaId: string, votersOnList: number, electionDate = day): RecordedEvent {
    return this.push(
      `turnout-${pollingAreaId}`,
      PollingAreaRegistered.parse({
        type: 'PollingAreaRegistered',
        data: { pollingAreaId, votersOnList, electionDate },
      }),
    );
  }

  adjustList(pollingAreaId: string, votersOnList: number): RecordedEvent {
    return this.push(
      `turnout-${pollingAreaId}`,
      VoterListAdjusted.parse({
        type: 'VoterListAdjusted',
        data: { pollingAreaId, change: 'struck_off', count: 1, votersOnList },
      }),
    );
  }

  open(pollingAreaId: string, time = '07:00'): RecordedEvent {
    return this.push(
      `turnout-${pollingAreaId}`,
      PollingAreaOpened.parse({ type: 'PollingAreaOpened', data: { pollingAreaId, at: at(time) } }),
    );
  }

  report(pollingAreaId: string, time: string, votersVoted: number): RecordedEvent {
    return this.push(
      `turnout-${pollingAreaId}`,
      TurnoutReported.parse({
        type: 'TurnoutReported',
        data: { pollingAreaId, asOf: at(time), votersVoted },
      }),
    );
  }

  /** A figure the turnout service refused and recorded (TurnoutFigureRefused). */
  refusedFigure(
    pollingAreaId: string,
    time: string,
    votersVoted: number,
    reason: 'DECREASED' | 'ABOVE_LIST',
    votersOnList: number,
    previous: readonly [string, number] | null,
  ): RecordedEvent {
    return this.push(
      `turnout-${pollingAreaId}`,
      TurnoutFigureRefused.parse({
        type: 'TurnoutFigureRefused',
        data: {
          pollingAreaId,
          asOf: at(time),
          votersVoted,
          reason,
          sentWith: 'ReportTurnout',
          votersOnList,
          previous: previous === null ? null : { asOf: at(previous[0]), votersVoted: previous[1] },
        },
      }),
    );
  }

  close(pollingAreaId: string, time: string, votersVoted: number): RecordedEvent {
    return this.push(
      `turnout-${pollingAreaId}`,
      PollingAreaClosed.parse({
        type: 'PollingAreaClosed',
        data: { pollingAreaId, at: at(time), votersVoted },
      }),
    );
  }

  checkIns(pollingAreaId: string, count: number, time = '08:00'): RecordedEvent[] {
    return Array.from({ length: count }, (_, i) =>
      this.push(
        `voter-${String(i).padStart(64, '0')}`,
        VoterCheckedIn.parse({
          type: 'VoterCheckedIn',
          data: {
            cardNumber: `${pollingAreaId}-${String(i).padStart(4, '0')}`,
            pollingAreaId,
            at: at(time),
            ballots: ['na', 'city', 'commune'],
          },
        }),
      ),
    );
  }

  refused(
    pollingAreaId: string,
    cardNumber: string,
    reason: 'CARD_ALREADY_USED' | 'VOTER_STRUCK_OFF' | 'WRONG_POLLING_AREA',
  ): RecordedEvent {
    return this.push(
      `voter-${'a'.repeat(64)}`,
      CheckInRefused.parse({
        type: 'CheckInRefused',
        data: {
          cardNumber,
          reason,
          pollingAreaId,
          attemptedAt: at('10:00'),
          listedPollingAreaId: pollingAreaId,
          ...(reason === 'CARD_ALREADY_USED'
            ? { firstCheckInAt: at('08:00'), firstCheckInPollingAreaId: pollingAreaId }
            : {}),
        },
      }),
    );
  }

  minute(pollingAreaId: string, level: Level, minute: CountingMinute, version = 1): RecordedEvent {
    const common = { pollingAreaId, level, unitId: `U-${level}-1`, minute, by: 'test' };
    return this.push(
      `tally-${pollingAreaId}-${level}`,
      version === 1
        ? CountingMinuteSubmitted.parse({
            type: 'CountingMinuteSubmitted',
            data: { ...common, version: 1, submittedAt: at('21:00') },
          })
        : CountingMinuteCorrected.parse({
            type: 'CountingMinuteCorrected',
            data: {
              ...common,
              version,
              supersedesVersion: version - 1,
              correctedAt: at('22:00'),
              reason: 'recount',
            },
          }),
    );
  }

  /** A minute the tallies service refused and recorded (CountingMinuteRefused). */
  refusedMinute(
    pollingAreaId: string,
    level: Level,
    minute: CountingMinute,
    violations: readonly { code: MinuteCode; message: string }[],
  ): RecordedEvent {
    return this.push(
      `tally-${pollingAreaId}-${level}`,
      CountingMinuteRefused.parse({
        type: 'CountingMinuteRefused',
        data: {
          pollingAreaId,
          level,
          unitId: `U-${level}-1`,
          minute,
          by: 'test',
          sentWith: 'SubmitCountingMinute',
          at: at('21:00'),
          violations,
        },
      }),
    );
  }

  roundClosed(round: string, electionDate = day): RecordedEvent {
    return this.push(
      `schedule-${electionDate}`,
      ReportingRoundClosed.parse({
        type: 'ReportingRoundClosed',
        data: { electionDate, round, at: `${electionDate}T${round}:00+07:00` },
      }),
    );
  }

  minutesDeadline(electionDate = day): RecordedEvent {
    return this.push(
      `schedule-${electionDate}`,
      MinutesDeadlinePassed.parse({
        type: 'MinutesDeadlinePassed',
        data: { electionDate, deadline: '23:00', at: `${electionDate}T23:00:00+07:00` },
      }),
    );
  }
}

/** A consistent minute: `valid` ballots split among candidates, `invalid` more. */
export function cleanMinute(
  votersOnList: number,
  voted: number,
  invalid: number,
  votes: Record<string, number>,
): CountingMinute {
  return {
    votersOnList,
    votersVoted: voted,
    ballotsIssued: voted,
    ballotsReceived: voted,
    validBallots: voted - invalid,
    invalidBallots: invalid,
    votes,
    complaints: { received: 0, resolved: 0, forwarded: 0 },
  };
}

/** Runs the detector over the whole log; every anomaly raised, in order. */
export function runDetector(
  events: readonly RecordedEvent[],
  context: DetectionContext = { thresholds: defaultAnomalyThresholds },
): AnomalyDetected[] {
  let state = initialDetectorState();
  const out: AnomalyDetected[] = [];
  for (const event of events) {
    const detection = detect(state, event, context);
    state = detection.state;
    out.push(...detection.anomalies);
  }
  return out;
}
