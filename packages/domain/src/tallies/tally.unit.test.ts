import { describe, expect, it } from 'vitest';
import { InvariantError } from '../assert.js';
import { foldEvents } from '../decider.js';
import { deciderSpec } from '../decider-spec.test-support.js';
import type { CountingMinute } from './counting-minute.js';
import {
  CorrectCountingMinute,
  currentMinute,
  SubmitCountingMinute,
  tallyDecider,
  TallyEvent,
  tallyRejectionOf,
  tallyStreamId,
} from './tally.js';
import type { TallyEvent as TallyEventType } from './tally.js';
import { StreamId } from '../event-envelope.js';

const now = new Date('2026-03-15T20:00:00+07:00');
const spec = deciderSpec(tallyDecider, { now });

/**
 * A minute the rules refuse is recorded (CountingMinuteRefused), changes nothing, and is answered
 * with the first code broken and every violation.
 */
function expectRecordedRefusal(
  given: readonly TallyEventType[],
  command: Parameters<typeof tallyDecider.decide>[0],
  code: string,
  codes: readonly string[] = [code],
): void {
  const state = foldEvents(tallyDecider, given);
  const decided = tallyDecider.decide(command, state, { now });
  if (!decided.ok) throw new Error(`expected a recorded refusal, got ${decided.error.code}`);
  expect(decided.value.map((e) => e.type)).toEqual(['CountingMinuteRefused']);
  expect(TallyEvent.parse(decided.value[0])).toEqual(decided.value[0]);
  expect(decided.value[0]?.data).toMatchObject({
    minute: command.data.minute,
    sentWith: command.type,
  });
  const rejection = tallyRejectionOf(decided.value);
  expect(rejection?.code).toBe(code);
  expect((rejection?.details?.['violations'] as { code: string }[]).map((v) => v.code)).toEqual(
    codes,
  );
  expect(decided.value.reduce(tallyDecider.evolve, state)).toEqual(state);
}

const area = { pollingAreaId: 'PA-10507-001', level: 'city', unitId: 'CITY-07' } as const;
const unit = { seats: 2, candidateIds: ['CITY-07-01', 'CITY-07-02', 'CITY-07-03'] };

const minute: CountingMinute = {
  votersOnList: 800,
  votersVoted: 795,
  ballotsIssued: 795,
  ballotsReceived: 795,
  validBallots: 780,
  invalidBallots: 15,
  votes: { 'CITY-07-01': 600, 'CITY-07-02': 500, 'CITY-07-03': 300 },
  complaints: { received: 0, resolved: 0, forwarded: 0 },
};
const fixed: CountingMinute = {
  ...minute,
  validBallots: 785,
  invalidBallots: 10,
  votes: { ...minute.votes, 'CITY-07-02': 505 },
};

const submit = (m: CountingMinute = minute): SubmitCountingMinute => ({
  type: 'SubmitCountingMinute',
  data: {
    ...area,
    minute: m,
    unit,
    by: 'pa-PA-10507-001',
    submittedAt: '2026-03-15T20:10:00+07:00',
  },
});
const correct = (
  m: CountingMinute,
  reason = 'invalid ballots recounted',
): CorrectCountingMinute => ({
  type: 'CorrectCountingMinute',
  data: {
    ...area,
    minute: m,
    unit,
    by: 'commune-10507',
    correctedAt: '2026-03-15T21:00:00+07:00',
    reason,
  },
});

const submitted: TallyEventType = {
  type: 'CountingMinuteSubmitted',
  data: {
    ...area,
    minute,
    by: 'pa-PA-10507-001',
    version: 1,
    submittedAt: '2026-03-15T20:10:00+07:00',
  },
};
const corrected: TallyEventType = {
  type: 'CountingMinuteCorrected',
  data: {
    ...area,
    minute: fixed,
    by: 'commune-10507',
    version: 2,
    supersedesVersion: 1,
    correctedAt: '2026-03-15T21:00:00+07:00',
    reason: 'invalid ballots recounted',
  },
};

describe('tally of a polling area at a level (stream tally-<pollingAreaId>-<level>)', () => {
  it('a consistent counting minute is recorded as version 1', () => {
    spec.given([]).when(submit()).then([submitted]);
  });

  it('a minute that breaks valid + invalid = ballots received is refused, every violation listed', () => {
    expectRecordedRefusal(
      [],
      submit({ ...minute, invalidBallots: 0, votersVoted: 900 }),
      'MINUTE.VOTED_ABOVE_LIST',
      ['MINUTE.VOTED_ABOVE_LIST', 'MINUTE.VALID_PLUS_INVALID_MISMATCH'],
    );
  });

  it("a minute's voters on the list must match the area's list when the service knows it", () => {
    const command = submit();
    expectRecordedRefusal(
      [],
      { ...command, data: { ...command.data, unit: { ...unit, votersOnList: 801 } } },
      'MINUTE.LIST_MISMATCH',
    );
  });

  it('a minute is submitted once; a change is a correction', () => {
    spec.given([submitted]).when(submit(fixed)).thenRejected('MINUTE.ALREADY_SUBMITTED');
    spec.given([submitted, corrected]).when(submit()).thenRejected('MINUTE.ALREADY_SUBMITTED');
  });

  it('a correction supersedes the current minute, with who, when and why', () => {
    spec.given([submitted]).when(correct(fixed)).then([corrected]);
  });

  it('a correction supersedes the latest version, not the first', () => {
    spec
      .given([submitted, corrected])
      .when(correct(minute, 'the first recount was wrong'))
      .then([
        {
          type: 'CountingMinuteCorrected',
          data: {
            ...area,
            minute,
            by: 'commune-10507',
            version: 3,
            supersedesVersion: 2,
            correctedAt: '2026-03-15T21:00:00+07:00',
            reason: 'the first recount was wrong',
          },
        },
      ]);
  });

  it('corrections never overwrite: both versions stay', () => {
    const state = foldEvents(tallyDecider, [submitted, corrected]);
    expect(state).toMatchObject({
      status: 'submitted',
      versions: [
        { version: 1, minute, by: 'pa-PA-10507-001', at: '2026-03-15T20:10:00+07:00' },
        {
          version: 2,
          minute: fixed,
          by: 'commune-10507',
          at: '2026-03-15T21:00:00+07:00',
          reason: 'invalid ballots recounted',
        },
      ],
    });
    expect(currentMinute(state)?.minute).toEqual(fixed);
    expect(currentMinute(foldEvents(tallyDecider, []))).toBeUndefined();
  });

  it('a correction needs a minute to correct', () => {
    spec.given([]).when(correct(fixed)).thenRejected('MINUTE.NOT_SUBMITTED');
  });

  it("a declared result locks its unit's minutes: a correction needs the declaration reverted first", () => {
    const locked = correct(fixed);
    const declared = {
      ...locked,
      data: { ...locked.data, unit: { ...unit, resultDeclared: true } },
    };
    spec.given([submitted]).when(declared).thenRejected('MINUTE.RESULT_DECLARED');
    const reverted = {
      ...locked,
      data: { ...locked.data, unit: { ...unit, resultDeclared: false } },
    };
    spec.given([submitted]).when(reverted).then([corrected]);
  });

  it('a correction obeys the same arithmetic as the minute', () => {
    expectRecordedRefusal(
      [submitted],
      correct({ ...fixed, votes: { ...fixed.votes, 'CITY-07-01': 786 } }),
      'MINUTE.CANDIDATE_ABOVE_VALID',
      ['MINUTE.CANDIDATE_ABOVE_VALID', 'MINUTE.VOTES_ABOVE_VALID_TIMES_SEATS'],
    );
  });

  it('a refused minute leaves the area owing its minute: a consistent one is then accepted', () => {
    const refused = tallyDecider.decide(
      submit({ ...minute, invalidBallots: 0 }),
      tallyDecider.initialState(),
      { now },
    );
    if (!refused.ok) throw new Error(refused.error.code);
    spec
      .given([...refused.value])
      .when(submit())
      .then([submitted]);
  });

  it('a correction that changes nothing is refused, whatever the order of the candidates', () => {
    spec.given([submitted]).when(correct(minute)).thenRejected('MINUTE.CORRECTION_UNCHANGED');
    const reordered = {
      ...minute,
      votes: Object.fromEntries(Object.entries(minute.votes).reverse()),
    };
    spec.given([submitted]).when(correct(reordered)).thenRejected('MINUTE.CORRECTION_UNCHANGED');
  });

  it('a correction needs a reason of 1 to 1000 characters', () => {
    const parse = (reason: unknown) =>
      CorrectCountingMinute.safeParse({
        ...correct(fixed),
        data: { ...correct(fixed).data, reason },
      });
    expect(parse('').success).toBe(false);
    expect(parse('   ').success).toBe(false);
    expect(parse('x'.repeat(1001)).success).toBe(false);
    expect(parse(undefined).success).toBe(false);
    expect(parse('x'.repeat(1000)).success).toBe(true);
    expect(parse('  recount  ')).toMatchObject({
      success: true,
      data: { data: { reason: 'recount' } },
    });
  });

  it('a command routed to the tally of another area is a bug', () => {
    const command = submit(fixed);
    expect(() =>
      tallyDecider.decide(
        { ...command, data: { ...command.data, pollingAreaId: 'PA-10507-002' } },
        foldEvents(tallyDecider, [submitted]),
        { now: new Date('2026-03-15T20:00:00+07:00') },
      ),
    ).toThrow(InvariantError);
  });

  it('commands refuse hostile input: extra fields, bad times, a unit without seats', () => {
    const data = submit().data;
    const parse = (patch: Record<string, unknown>) =>
      SubmitCountingMinute.safeParse({ type: 'SubmitCountingMinute', data: { ...data, ...patch } })
        .success;
    expect(parse({})).toBe(true);
    expect(parse({ extra: 1 })).toBe(false);
    expect(parse({ submittedAt: '2026-03-15T20:10:00' })).toBe(false);
    expect(parse({ level: 'district' })).toBe(false);
    expect(parse({ unit: { ...unit, seats: 0 } })).toBe(false);
    expect(parse({ unit: { ...unit, seats: 2.5 } })).toBe(false);
    expect(parse({ pollingAreaId: 'PA.1' })).toBe(false);
    expect(parse({ unit: { ...unit, candidateIds: ['CITY-07-01', 'CITY-07-01'] } })).toBe(false);
  });

  it('the events it emits match their schemas and name a valid stream', () => {
    expect(TallyEvent.safeParse(submitted).success).toBe(true);
    expect(TallyEvent.safeParse(corrected).success).toBe(true);
    expect(StreamId.safeParse(tallyStreamId(area.pollingAreaId, area.level)).success).toBe(true);
    expect(tallyStreamId('PA-10507-001', 'na')).toBe('tally-PA-10507-001-na');
  });
});
