// The tally of one polling area at one ballot level (stream tally-<pollingAreaId>-<level>): the
// counting minute is submitted once, then only superseded by corrections; every version stays.
import { z } from 'zod';
import { assert, assertNever } from '../assert.js';
import type { Decider } from '../decider.js';
import { Level } from '../levels.js';
import { codedError, err, ok } from '../result.js';
import type { CodedError, Result } from '../result.js';
import {
  checkCountingMinute,
  CountingMinute,
  minuteCodes,
  minuteViolations,
  sameMinute,
} from './counting-minute.js';
import type { MinuteCode } from './counting-minute.js';
import {
  ActorId,
  CandidateId,
  Count,
  ElectoralUnitId,
  Instant,
  PollingAreaId,
  Reason,
  Seats,
} from './ids.js';

/** The stream that holds one area's minutes at one level. */
export const tallyStreamId = (pollingAreaId: string, level: Level): string =>
  `tally-${pollingAreaId}-${level}`;

/**
 * What the service looks up and hands in with the command, so that decide stays pure: the unit's
 * seats and candidates (reference data), the area's list when it is known, and whether the unit's
 * result at this level is declared (its result stream).
 */
export const MinuteUnitContext = z.strictObject({
  seats: Seats,
  candidateIds: z
    .array(CandidateId)
    .min(1)
    .max(100)
    .refine((ids) => new Set(ids).size === ids.length, 'each candidate once'),
  votersOnList: Count.optional(),
  /** A declared result locks the unit's minutes until the declaration is reverted. */
  resultDeclared: z.boolean().optional(),
});

const minuteCommandData = {
  pollingAreaId: PollingAreaId,
  level: Level,
  unitId: ElectoralUnitId,
  minute: CountingMinute,
  unit: MinuteUnitContext,
  by: ActorId,
};

export const SubmitCountingMinute = z.strictObject({
  type: z.literal('SubmitCountingMinute'),
  data: z.strictObject({ ...minuteCommandData, submittedAt: Instant }),
});
export type SubmitCountingMinute = z.infer<typeof SubmitCountingMinute>;

export const CorrectCountingMinute = z.strictObject({
  type: z.literal('CorrectCountingMinute'),
  data: z.strictObject({ ...minuteCommandData, correctedAt: Instant, reason: Reason }),
});
export type CorrectCountingMinute = z.infer<typeof CorrectCountingMinute>;

export const TallyCommand = z.discriminatedUnion('type', [
  SubmitCountingMinute,
  CorrectCountingMinute,
]);
export type TallyCommand = z.infer<typeof TallyCommand>;

const minuteEventData = {
  pollingAreaId: PollingAreaId,
  level: Level,
  unitId: ElectoralUnitId,
  minute: CountingMinute,
  by: ActorId,
};

export const CountingMinuteSubmitted = z.strictObject({
  type: z.literal('CountingMinuteSubmitted'),
  data: z.strictObject({ ...minuteEventData, version: z.literal(1), submittedAt: Instant }),
});
export type CountingMinuteSubmitted = z.infer<typeof CountingMinuteSubmitted>;

export const CountingMinuteCorrected = z.strictObject({
  type: z.literal('CountingMinuteCorrected'),
  data: z.strictObject({
    ...minuteEventData,
    version: z.int().min(2),
    supersedesVersion: z.int().min(1),
    correctedAt: Instant,
    reason: Reason,
  }),
});
export type CountingMinuteCorrected = z.infer<typeof CountingMinuteCorrected>;

/**
 * A minute the consistency rules refuse is answered with its codes AND recorded: a signed form whose
 * arithmetic fails is what the operations centre must chase (domain.md, "Anomalies worth flagging"),
 * as a reused card is. It changes nothing: the area still owes (or keeps) its minute.
 */
export const CountingMinuteRefused = z.strictObject({
  type: z.literal('CountingMinuteRefused'),
  data: z.strictObject({
    ...minuteEventData,
    /** The command that carried it. */
    sentWith: z.enum(['SubmitCountingMinute', 'CorrectCountingMinute']),
    at: Instant,
    violations: z
      .array(z.strictObject({ code: z.enum(minuteCodes), message: z.string().max(2_000) }))
      .min(1)
      .max(minuteCodes.length),
  }),
});
export type CountingMinuteRefused = z.infer<typeof CountingMinuteRefused>;

export const TallyEvent = z.discriminatedUnion('type', [
  CountingMinuteSubmitted,
  CountingMinuteCorrected,
  CountingMinuteRefused,
]);
export type TallyEvent = z.infer<typeof TallyEvent>;

/** One version of the minute as recorded: who, when and (for a correction) why. */
export interface MinuteVersion {
  readonly version: number;
  readonly minute: CountingMinute;
  readonly at: string;
  readonly by: string;
  readonly reason?: string;
}

export type TallyState =
  | { readonly status: 'empty' }
  | {
      readonly status: 'submitted';
      readonly pollingAreaId: string;
      readonly level: Level;
      readonly unitId: string;
      /** Oldest first; the last one is the current minute. Nothing is ever removed. */
      readonly versions: readonly MinuteVersion[];
    };

export type TallyCode =
  | MinuteCode
  | 'MINUTE.ALREADY_SUBMITTED'
  | 'MINUTE.NOT_SUBMITTED'
  | 'MINUTE.CORRECTION_UNCHANGED'
  | 'MINUTE.RESULT_DECLARED';

/** The minute every figure is counted from now: the latest version. */
export function currentMinute(state: TallyState): MinuteVersion | undefined {
  return state.status === 'submitted' ? state.versions.at(-1) : undefined;
}

/** The minute's violations against its unit, recorded as a refusal; undefined when consistent. */
function refusalOf(command: TallyCommand): CountingMinuteRefused | undefined {
  const { data } = command;
  const { seats, candidateIds, votersOnList } = data.unit;
  const context =
    votersOnList === undefined ? { seats, candidateIds } : { seats, candidateIds, votersOnList };
  // checkCountingMinute also asserts the unit itself is sane (a reference-data bug throws).
  if (checkCountingMinute(data.minute, context).ok) return undefined;
  const violations = minuteViolations(data.minute, context);
  return {
    type: 'CountingMinuteRefused',
    data: {
      pollingAreaId: data.pollingAreaId,
      level: data.level,
      unitId: data.unitId,
      minute: data.minute,
      by: data.by,
      sentWith: command.type,
      at:
        command.type === 'SubmitCountingMinute'
          ? command.data.submittedAt
          : command.data.correctedAt,
      violations: violations.map((v) => ({ code: v.code, message: v.message })),
    },
  };
}

/** The coded answer a recorded refusal stands for (the first rule broken, all of them in details). */
export function tallyRejectionOf(
  events: readonly TallyEvent[],
): CodedError<MinuteCode> | undefined {
  for (const event of events) {
    if (event.type !== 'CountingMinuteRefused') continue;
    const [first] = event.data.violations;
    if (first === undefined) continue;
    return codedError(first.code, first.message, { violations: event.data.violations });
  }
  return undefined;
}

function decide(
  command: TallyCommand,
  state: TallyState,
): Result<readonly TallyEvent[], CodedError<TallyCode>> {
  if (state.status === 'submitted') {
    // The service routes by stream id: a command for another area, level or unit is its bug.
    assert(
      command.data.pollingAreaId === state.pollingAreaId &&
        command.data.level === state.level &&
        command.data.unitId === state.unitId,
      `command for ${command.data.pollingAreaId}/${command.data.level}/${command.data.unitId} ` +
        `reached the tally of ${state.pollingAreaId}/${state.level}/${state.unitId}`,
    );
  }
  switch (command.type) {
    case 'SubmitCountingMinute': {
      const { data } = command;
      if (state.status === 'submitted')
        return err(
          codedError(
            'MINUTE.ALREADY_SUBMITTED',
            'this area already has its minute at this level; submit a correction with a reason',
            { currentVersion: state.versions.length },
          ),
        );
      const refused = refusalOf(command);
      if (refused !== undefined) return ok([refused]);
      return ok([
        {
          type: 'CountingMinuteSubmitted',
          data: {
            pollingAreaId: data.pollingAreaId,
            level: data.level,
            unitId: data.unitId,
            minute: data.minute,
            by: data.by,
            version: 1,
            submittedAt: data.submittedAt,
          },
        },
      ]);
    }
    case 'CorrectCountingMinute': {
      const { data } = command;
      const current = currentMinute(state);
      if (current === undefined)
        return err(
          codedError('MINUTE.NOT_SUBMITTED', 'there is no minute to correct yet; submit it first'),
        );
      // VotingWorks' lesson: once declared, the figures behind a result change only on the record,
      // by reverting the declaration first; otherwise the declared result and the minutes diverge.
      if (data.unit.resultDeclared === true)
        return err(
          codedError(
            'MINUTE.RESULT_DECLARED',
            `the result of ${data.level} unit ${data.unitId} is declared; revert the declaration before correcting`,
            { unitId: data.unitId, currentVersion: current.version },
          ),
        );
      const refused = refusalOf(command);
      if (refused !== undefined) return ok([refused]);
      if (sameMinute(current.minute, data.minute))
        return err(
          codedError(
            'MINUTE.CORRECTION_UNCHANGED',
            'the correction repeats the current minute; nothing to correct',
            { currentVersion: current.version },
          ),
        );
      return ok([
        {
          type: 'CountingMinuteCorrected',
          data: {
            pollingAreaId: data.pollingAreaId,
            level: data.level,
            unitId: data.unitId,
            minute: data.minute,
            by: data.by,
            version: current.version + 1,
            supersedesVersion: current.version,
            correctedAt: data.correctedAt,
            reason: data.reason,
          },
        },
      ]);
    }
    default:
      return assertNever(command, 'tally command');
  }
}

function evolve(state: TallyState, event: TallyEvent): TallyState {
  switch (event.type) {
    case 'CountingMinuteSubmitted': {
      const { data } = event;
      return {
        status: 'submitted',
        pollingAreaId: data.pollingAreaId,
        level: data.level,
        unitId: data.unitId,
        versions: [{ version: 1, minute: data.minute, at: data.submittedAt, by: data.by }],
      };
    }
    case 'CountingMinuteCorrected': {
      const { data } = event;
      assert(state.status === 'submitted', 'a correction can only follow a submitted minute');
      return {
        ...state,
        versions: [
          ...state.versions,
          {
            version: data.version,
            minute: data.minute,
            at: data.correctedAt,
            by: data.by,
            reason: data.reason,
          },
        ],
      };
    }
    case 'CountingMinuteRefused':
      // On the record only; the minute in force (or its absence) is unchanged.
      return state;
    default:
      return assertNever(event, 'tally event');
  }
}

export const tallyDecider: Decider<TallyCommand, TallyEvent, TallyState, TallyCode> = {
  initialState: () => ({ status: 'empty' }),
  decide: (command, state) => decide(command, state),
  evolve,
};
