import { describe, expect, it } from 'vitest';
import { InvariantError } from '../assert.js';
import { foldEvents } from '../decider.js';
import { deciderSpec } from '../decider-spec.test-support.js';
import { StreamId } from '../event-envelope.js';
import {
  DeclareUnitResult,
  resultDeclarationDecider,
  ResultEvent,
  resultStreamId,
} from './result-declaration.js';
import type { ResultEvent as ResultEventType } from './result-declaration.js';
import type { UnitResult } from './unit-result.js';

const spec = deciderSpec(resultDeclarationDecider, { now: new Date('2026-03-16T09:00:00+07:00') });

const result: UnitResult = {
  unitId: 'NA-1',
  level: 'na',
  seats: 2,
  votersOnList: 2_000,
  votersVoted: 1_990,
  validBallots: 1_950,
  invalidBallots: 40,
  areasReporting: 2,
  areasTotal: 2,
  candidates: [
    {
      candidateId: 'NA-1-01',
      birthDate: '1965-04-02',
      votes: 1_500,
      pctOfValid: 76.92,
      elected: true,
    },
    {
      candidateId: 'NA-1-02',
      birthDate: '1972-11-20',
      votes: 1_200,
      pctOfValid: 61.54,
      elected: true,
    },
    {
      candidateId: 'NA-1-03',
      birthDate: '1980-01-15',
      votes: 500,
      pctOfValid: 25.64,
      elected: false,
    },
  ],
  outcome: 'elected',
  tiedAtLastSeat: [],
};

const declare = (r: UnitResult = result): DeclareUnitResult => ({
  type: 'DeclareUnitResult',
  data: {
    level: 'na',
    unitId: 'NA-1',
    result: r,
    declaredAt: '2026-03-16T09:00:00+07:00',
    by: 'admin',
  },
});
const declared: ResultEventType = { type: 'UnitResultDeclared', data: declare().data };
const revertData = {
  level: 'na',
  unitId: 'NA-1',
  reason: 'a minute of PA-10507-001 was corrected after the declaration',
  revertedAt: '2026-03-16T10:00:00+07:00',
  by: 'admin',
} as const;
const reverted: ResultEventType = { type: 'UnitResultDeclarationReverted', data: revertData };

describe("declaring an electoral unit's result", () => {
  it('a result is declared once every polling area of the unit has its minute', () => {
    spec.given([]).when(declare()).then([declared]);
  });

  it('declaring is refused while some polling area has no minute', () => {
    spec
      .given([])
      .when(declare({ ...result, areasReporting: 1, areasTotal: 3, outcome: 'counting' }))
      .thenRejected('RESULT.AREAS_MISSING', { missing: 2, areasReporting: 1, areasTotal: 3 });
  });

  it('a result is declared only once', () => {
    spec.given([declared]).when(declare()).thenRejected('RESULT.ALREADY_DECLARED');
  });

  it('a declaration can be reverted, with a reason, and the unit declared again', () => {
    spec
      .given([declared])
      .when({ type: 'RevertUnitResultDeclaration', data: revertData })
      .then([reverted]);
    spec.given([declared, reverted]).when(declare()).then([declared]);
    expect(foldEvents(resultDeclarationDecider, [declared, reverted, declared])).toMatchObject({
      declarations: 2,
      reverts: 1,
      declared: { result },
    });
  });

  it('only a declared result can be reverted', () => {
    spec
      .given([])
      .when({ type: 'RevertUnitResultDeclaration', data: revertData })
      .thenRejected('RESULT.NOT_DECLARED');
    spec
      .given([declared, reverted])
      .when({ type: 'RevertUnitResultDeclaration', data: revertData })
      .thenRejected('RESULT.NOT_DECLARED');
  });

  it('re-vote and additional-vote outcomes are declared like any other', () => {
    const revote = { ...result, outcome: 'revote_required' as const };
    spec
      .given([])
      .when(declare(revote))
      .then([{ type: 'UnitResultDeclared', data: declare(revote).data }]);
  });

  it("a result offered for another unit is the service's bug", () => {
    expect(() =>
      resultDeclarationDecider.decide(
        declare({ ...result, unitId: 'NA-2' }),
        resultDeclarationDecider.initialState(),
        { now: new Date('2026-03-16T09:00:00+07:00') },
      ),
    ).toThrow(InvariantError);
  });

  it('commands and events match their schemas; the stream id is valid', () => {
    expect(DeclareUnitResult.safeParse(declare()).success).toBe(true);
    expect(
      DeclareUnitResult.safeParse({ ...declare(), data: { ...declare().data, extra: true } })
        .success,
    ).toBe(false);
    expect(ResultEvent.safeParse(declared).success).toBe(true);
    expect(ResultEvent.safeParse(reverted).success).toBe(true);
    expect(
      ResultEvent.safeParse({ ...reverted, data: { ...revertData, reason: ' ' } }).success,
    ).toBe(false);
    expect(resultStreamId('city', 'CITY-07')).toBe('election-result-city-CITY-07');
    expect(StreamId.safeParse(resultStreamId('commune', 'C-10507-03')).success).toBe(true);
  });
});
