// Declaring an electoral unit's result (stream election-result-<level>-<unitId>): allowed once
// every polling area of the unit has its minute, only once, and revertible with a logged reason.
import { z } from 'zod';
import { assert, assertNever } from '../assert.js';
import type { Decider } from '../decider.js';
import { Level } from '../levels.js';
import { codedError, err, ok } from '../result.js';
import type { CodedError, Result } from '../result.js';
import { ActorId, ElectoralUnitId, Instant, Reason } from './ids.js';
import { UnitResult } from './unit-result.js';

export const resultStreamId = (level: Level, unitId: string): string =>
  `election-result-${level}-${unitId}`;

/**
 * `result` is what decideUnitResult gave on the unit's current minutes, computed by the service
 * just before; its areasReporting / areasTotal say whether every area has its minute.
 */
export const DeclareUnitResult = z.strictObject({
  type: z.literal('DeclareUnitResult'),
  data: z.strictObject({
    level: Level,
    unitId: ElectoralUnitId,
    result: UnitResult,
    declaredAt: Instant,
    by: ActorId,
  }),
});
export type DeclareUnitResult = z.infer<typeof DeclareUnitResult>;

/** VotingWorks' lesson: an official result is locked, and unlocking it is itself on the record. */
export const RevertUnitResultDeclaration = z.strictObject({
  type: z.literal('RevertUnitResultDeclaration'),
  data: z.strictObject({
    level: Level,
    unitId: ElectoralUnitId,
    reason: Reason,
    revertedAt: Instant,
    by: ActorId,
  }),
});
export type RevertUnitResultDeclaration = z.infer<typeof RevertUnitResultDeclaration>;

export const ResultCommand = z.discriminatedUnion('type', [
  DeclareUnitResult,
  RevertUnitResultDeclaration,
]);
export type ResultCommand = z.infer<typeof ResultCommand>;

export const UnitResultDeclared = z.strictObject({
  type: z.literal('UnitResultDeclared'),
  data: z.strictObject({
    level: Level,
    unitId: ElectoralUnitId,
    result: UnitResult,
    declaredAt: Instant,
    by: ActorId,
  }),
});
export type UnitResultDeclared = z.infer<typeof UnitResultDeclared>;

export const UnitResultDeclarationReverted = z.strictObject({
  type: z.literal('UnitResultDeclarationReverted'),
  data: z.strictObject({
    level: Level,
    unitId: ElectoralUnitId,
    reason: Reason,
    revertedAt: Instant,
    by: ActorId,
  }),
});
export type UnitResultDeclarationReverted = z.infer<typeof UnitResultDeclarationReverted>;

export const ResultEvent = z.discriminatedUnion('type', [
  UnitResultDeclared,
  UnitResultDeclarationReverted,
]);
export type ResultEvent = z.infer<typeof ResultEvent>;

export interface ResultDeclarationState {
  /** The declared result in force, if any. */
  readonly declared?: UnitResultDeclared['data'];
  /** How many declarations and reverts the stream holds, for the record. */
  readonly declarations: number;
  readonly reverts: number;
}

export type ResultCode = 'RESULT.AREAS_MISSING' | 'RESULT.ALREADY_DECLARED' | 'RESULT.NOT_DECLARED';

function decide(
  command: ResultCommand,
  state: ResultDeclarationState,
): Result<readonly ResultEvent[], CodedError<ResultCode>> {
  switch (command.type) {
    case 'DeclareUnitResult': {
      const { data } = command;
      // The service computed this result for this unit: a mismatch is its bug.
      assert(
        data.result.unitId === data.unitId && data.result.level === data.level,
        `result of ${data.result.level}/${data.result.unitId} offered for ${data.level}/${data.unitId}`,
      );
      if (state.declared !== undefined)
        return err(
          codedError('RESULT.ALREADY_DECLARED', 'this unit’s result is already declared', {
            declaredAt: state.declared.declaredAt,
          }),
        );
      const { areasReporting, areasTotal } = data.result;
      if (areasReporting < areasTotal)
        return err(
          codedError(
            'RESULT.AREAS_MISSING',
            `${areasTotal - areasReporting} of ${areasTotal} polling areas have no minute yet`,
            { missing: areasTotal - areasReporting, areasReporting, areasTotal },
          ),
        );
      // With every area in, decideUnitResult never says `counting`.
      assert(data.result.outcome !== 'counting', 'a complete count has an outcome');
      return ok([{ type: 'UnitResultDeclared', data }]);
    }
    case 'RevertUnitResultDeclaration': {
      if (state.declared === undefined)
        return err(codedError('RESULT.NOT_DECLARED', 'there is no declared result to revert'));
      return ok([{ type: 'UnitResultDeclarationReverted', data: command.data }]);
    }
    default:
      return assertNever(command, 'result command');
  }
}

function evolve(state: ResultDeclarationState, event: ResultEvent): ResultDeclarationState {
  switch (event.type) {
    case 'UnitResultDeclared':
      return { ...state, declared: event.data, declarations: state.declarations + 1 };
    case 'UnitResultDeclarationReverted':
      return { declarations: state.declarations, reverts: state.reverts + 1 };
    default:
      return assertNever(event, 'result event');
  }
}

export const resultDeclarationDecider: Decider<
  ResultCommand,
  ResultEvent,
  ResultDeclarationState,
  ResultCode
> = {
  initialState: () => ({ declarations: 0, reverts: 0 }),
  decide: (command, state) => decide(command, state),
  evolve,
};
