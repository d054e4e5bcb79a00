import { decideUnitResult } from '@hpe/domain';
import { describe, expect, it } from 'vitest';
import { eventLog, reference, run, utc, vn } from './projection-fixtures.test-support.js';
import { talliesProjection } from './tallies-projection.js';

const minute = (votersOnList: number, voted: number, votes: Record<string, number>) => ({
  votersOnList,
  votersVoted: voted,
  ballotsIssued: voted,
  ballotsReceived: voted,
  validBallots: voted - 10,
  invalidBallots: 10,
  votes,
  complaints: { received: 0, resolved: 0, forwarded: 0 },
});

const submit = (area: string, m: ReturnType<typeof minute>) =>
  [
    `tally-${area}-na`,
    'CountingMinuteSubmitted',
    {
      pollingAreaId: area,
      level: 'na',
      unitId: 'NA-1',
      minute: m,
      by: 'team',
      version: 1,
      submittedAt: vn('20:00'),
    },
  ] as const;

describe('tallies projection', () => {
  it('keeps the current minute per area and level, and the unit result from decideUnitResult', () => {
    const { events, add } = eventLog();
    const m1 = minute(1000, 990, { 'C-A': 900, 'C-B': 800, 'C-C': 100 });
    const m2 = minute(500, 480, { 'C-A': 400, 'C-B': 100, 'C-C': 300 });
    const m3 = minute(800, 700, { 'C-A': 600, 'C-B': 500, 'C-C': 50 });
    add(...submit('PA-10001-001', m1));
    const afterOne = run(talliesProjection, events);
    expect(afterOne.get('unit_result', 'NA-1')).toMatchObject({
      outcome: 'counting',
      areas_reporting: 1,
      areas_total: 3,
      voters_voted: 990,
      position: 1,
    });
    add(...submit('PA-10001-002', m2));
    add(...submit('PA-10002-001', m3));
    const m2b = { ...m2, votes: { 'C-A': 400, 'C-B': 350, 'C-C': 50 } };
    add(`tally-PA-10001-002-na`, 'CountingMinuteCorrected', {
      pollingAreaId: 'PA-10001-002',
      level: 'na',
      unitId: 'NA-1',
      minute: m2b,
      by: 'commune',
      version: 2,
      supersedesVersion: 1,
      correctedAt: vn('21:00'),
      reason: 'miscounted',
    });
    const engine = run(talliesProjection, events);
    expect(engine.get('tally_minute', 'PA-10001-002|na')).toMatchObject({
      version: 2,
      votes: m2b.votes,
      submitted_at: utc('20:00'),
      submitted_by: 'team',
      corrected_at: utc('21:00'),
      corrected_by: 'commune',
      correction_reason: 'miscounted',
      position: 4,
    });
    const unit = reference.units.get('NA-1');
    if (unit === undefined) throw new Error('fixture');
    const expected = decideUnitResult({
      unitId: 'NA-1',
      level: 'na',
      seats: 2,
      votersOnList: 2300,
      candidates: unit.candidates,
      minutes: [
        { pollingAreaId: 'PA-10001-001', minute: m1 },
        { pollingAreaId: 'PA-10001-002', minute: m2b },
        { pollingAreaId: 'PA-10002-001', minute: m3 },
      ],
      areasTotal: 3,
    });
    expect(expected.outcome).toBe('elected');
    expect(engine.get('unit_result', 'NA-1')).toEqual({
      unit_id: 'NA-1',
      level: 'na',
      seats: 2,
      voters_on_list: 2300,
      voters_voted: expected.votersVoted,
      valid_ballots: expected.validBallots,
      invalid_ballots: expected.invalidBallots,
      areas_reporting: 3,
      areas_total: 3,
      outcome: 'elected',
      candidates: expected.candidates,
      tied_at_last_seat: [],
      declared: false,
      declared_at: null,
      declared_outcome: null,
      declarations: 0,
      position: 4,
    });
  });

  it('marks a unit declared, and not any more after a revert', () => {
    const { events, add } = eventLog();
    const seeded = run(talliesProjection, []).get('unit_result', 'NA-1');
    if (seeded === undefined) throw new Error('the unit is seeded');
    const result = {
      unitId: 'NA-1',
      level: 'na',
      seats: 2,
      votersOnList: 2300,
      votersVoted: 2000,
      validBallots: 1990,
      invalidBallots: 10,
      areasReporting: 3,
      areasTotal: 3,
      candidates: [],
      outcome: 'elected',
      tiedAtLastSeat: [],
    };
    add('election-result-na-NA-1', 'UnitResultDeclared', {
      level: 'na',
      unitId: 'NA-1',
      result,
      declaredAt: vn('22:00'),
      by: 'admin',
    });
    expect(run(talliesProjection, events).get('unit_result', 'NA-1')).toMatchObject({
      declared: true,
      declared_at: utc('22:00'),
      declared_outcome: 'elected',
      declarations: 1,
      position: 1,
    });
    add('election-result-na-NA-1', 'UnitResultDeclarationReverted', {
      level: 'na',
      unitId: 'NA-1',
      reason: 'wrong sheet',
      revertedAt: vn('22:30'),
      by: 'admin',
    });
    expect(run(talliesProjection, events).get('unit_result', 'NA-1')).toMatchObject({
      declared: false,
      declared_at: null,
      declarations: 1,
      position: 2,
    });
  });
});
