// Given/when/then for the voter decider, one test per rule in the domain's words, plus the
// recorded refusals and the codes the service answers with.
import { describe, expect, it } from 'vitest';
import { deciderSpec } from '../decider-spec.test-support.js';
import { foldEvents } from '../decider.js';
import { voterDecider, vietnamDateOf } from './voter-decider.js';
import { rejectionFor, rejectionOf } from './voter-refusals.js';
import type { Level } from '../levels.js';
import type { VoterCommand, VoterEvent } from './voter-schemas.js';
import {
  VoterCommand as VoterCommandSchema,
  VoterEvent as VoterEventSchema,
} from './voter-schemas.js';

const spec = deciderSpec(voterDecider, { now: new Date('2026-03-15T09:00:00+07:00') });

const voterKey = 'a'.repeat(64);
const home = 'PA-10507-001';
const elsewhere = 'PA-10901-004';
const card = 'PA-10507-001-0042';

const registration = {
  voterKey,
  pollingAreaId: home,
  fullName: 'Nguyễn Thị Hoa',
  birthYear: 1980,
  gender: 'female',
  cardNumber: card,
  cardDistribution: { from: '2026-03-05', to: '2026-03-12' },
} as const;

const registered: VoterEvent = { type: 'VoterRegistered', data: registration };
const register: VoterCommand = { type: 'RegisterVoter', data: registration };

const checkIn = (pollingAreaId = home, at = '2026-03-15T08:10:00+07:00'): VoterCommand => ({
  type: 'CheckInVoter',
  data: { cardNumber: card, pollingAreaId, at },
});
const checkedIn = (
  pollingAreaId = home,
  at = '2026-03-15T08:10:00+07:00',
  ballots: Level[] = ['na', 'city', 'commune'],
): VoterEvent => ({
  type: 'VoterCheckedIn',
  data: { cardNumber: card, pollingAreaId, at, ballots },
});
const struck: VoterEvent = {
  type: 'VoterStruckOff',
  data: { pollingAreaId: home, cardNumber: card, reason: 'moved abroad' },
};
const transferred: VoterEvent = {
  type: 'VoterTransferred',
  data: {
    cardNumber: card,
    fromPollingAreaId: home,
    toPollingAreaId: elsewhere,
    certificateNumber: 'GCN-17',
    ballots: ['na', 'city'],
  },
};

describe('voter registration (a citizen is on one voter list only)', () => {
  it('registering a voter puts them on the list and issues their card', () => {
    spec.given([]).when(register).then([registered]);
  });

  it('a citizen is on one voter list only: a second registration elsewhere is refused and recorded', () => {
    const again: VoterCommand = {
      type: 'RegisterVoter',
      data: { ...registration, pollingAreaId: elsewhere, cardNumber: 'PA-10901-004-0007' },
    };
    const refusal: VoterEvent = {
      type: 'DuplicateRegistrationRefused',
      data: {
        attemptedPollingAreaId: elsewhere,
        attemptedCardNumber: 'PA-10901-004-0007',
        registeredPollingAreaId: home,
        registeredCardNumber: card,
      },
    };
    spec.given([registered]).when(again).then([refusal]);
    expect(rejectionOf([refusal])).toMatchObject({
      code: 'VOTER.DUPLICATE_REGISTRATION',
      details: { attemptedPollingAreaId: elsewhere, registeredPollingAreaId: home },
    });
  });

  it('a second registration on the same list with another card is also a duplicate', () => {
    const again: VoterCommand = {
      type: 'RegisterVoter',
      data: { ...registration, cardNumber: 'PA-10507-001-0043' },
    };
    const result = voterDecider.decide(again, foldEvents(voterDecider, [registered]), {
      now: new Date(),
    });
    expect(result.ok && rejectionOf(result.value)?.code).toBe('VOTER.DUPLICATE_REGISTRATION');
  });

  it('the same row imported again (a retried batch) records nothing new', () => {
    spec.given([registered]).when(register).then([]);
  });
});

describe('voter card delivery (cards are handed out 5–12 March, Bạch Long Vĩ 4–11 March)', () => {
  const deliver = (at: string): VoterCommand => ({
    type: 'DeliverVoterCard',
    data: { cardNumber: card, at },
  });

  it('a card handed out in the window is delivered', () => {
    spec
      .given([registered])
      .when(deliver('2026-03-05T08:00:00+07:00'))
      .then([
        { type: 'VoterCardDelivered', data: { cardNumber: card, at: '2026-03-05T08:00:00+07:00' } },
      ]);
  });

  it('the window is counted in Vietnam time: 12 March 23:30 local is still inside', () => {
    spec
      .given([registered])
      .when(deliver('2026-03-12T16:30:00Z'))
      .then([
        { type: 'VoterCardDelivered', data: { cardNumber: card, at: '2026-03-12T16:30:00Z' } },
      ]);
  });

  it.each([
    ['the day before the window', '2026-03-04T12:00:00+07:00'],
    ['the day after the window', '2026-03-13T00:00:00+07:00'],
    ['election day', '2026-03-15T07:00:00+07:00'],
    ['13 March local, though still 12 March in UTC', '2026-03-12T17:30:00Z'],
  ])('a card is not handed out outside the window: %s', (_, at) => {
    spec.given([registered]).when(deliver(at)).thenRejected('CARD.OUTSIDE_DISTRIBUTION_WINDOW');
  });

  it('Bạch Long Vĩ hands out its cards 4–11 March', () => {
    const island: VoterEvent = {
      type: 'VoterRegistered',
      data: { ...registration, cardDistribution: { from: '2026-03-04', to: '2026-03-11' } },
    };
    spec
      .given([island])
      .when(deliver('2026-03-04T09:00:00+07:00'))
      .then([
        { type: 'VoterCardDelivered', data: { cardNumber: card, at: '2026-03-04T09:00:00+07:00' } },
      ]);
    spec
      .given([island])
      .when(deliver('2026-03-12T09:00:00+07:00'))
      .thenRejected('CARD.OUTSIDE_DISTRIBUTION_WINDOW');
  });

  it('a card that does not belong to the voter is unknown', () => {
    spec
      .given([registered])
      .when({
        type: 'DeliverVoterCard',
        data: { cardNumber: 'PA-10507-001-0099', at: '2026-03-06T08:00:00+07:00' },
      })
      .thenRejected('CARD.UNKNOWN');
    spec.given([]).when(deliver('2026-03-06T08:00:00+07:00')).thenRejected('CARD.UNKNOWN');
  });

  it('delivering a card twice records nothing new', () => {
    spec
      .given([
        registered,
        { type: 'VoterCardDelivered', data: { cardNumber: card, at: '2026-03-05T08:00:00+07:00' } },
      ])
      .when(deliver('2026-03-06T08:00:00+07:00'))
      .then([]);
  });

  it('a struck-off voter gets no card', () => {
    spec
      .given([registered, struck])
      .when(deliver('2026-03-06T08:00:00+07:00'))
      .thenRejected('CARD.STRUCK_OFF');
  });

  it('a voter who could not be reached may still be found and given their card', () => {
    const unreachable: VoterEvent = {
      type: 'VoterMarkedUnreachable',
      data: { cardNumber: card, at: '2026-03-06T08:00:00+07:00', note: 'house locked' },
    };
    spec
      .given([registered, unreachable])
      .when(deliver('2026-03-07T08:00:00+07:00'))
      .then([
        { type: 'VoterCardDelivered', data: { cardNumber: card, at: '2026-03-07T08:00:00+07:00' } },
      ]);
  });
});

describe('unreachable voters', () => {
  const unreachable = (at: string): VoterCommand => ({
    type: 'MarkVoterUnreachable',
    data: { cardNumber: card, at, note: 'working at sea' },
  });

  it('a voter who cannot be reached is recorded as unreachable, each visit again', () => {
    const event: VoterEvent = {
      type: 'VoterMarkedUnreachable',
      data: { cardNumber: card, at: '2026-03-06T10:00:00+07:00', note: 'working at sea' },
    };
    spec.given([registered]).when(unreachable('2026-03-06T10:00:00+07:00')).then([event]);
    spec.given([registered, event]).when(unreachable('2026-03-06T10:00:00+07:00')).then([event]);
  });

  it('a voter whose card was delivered is not unreachable', () => {
    spec
      .given([
        registered,
        { type: 'VoterCardDelivered', data: { cardNumber: card, at: '2026-03-05T08:00:00+07:00' } },
      ])
      .when(unreachable('2026-03-06T10:00:00+07:00'))
      .thenRejected('CARD.ALREADY_DELIVERED');
  });

  it('unreachable is recorded only in the card distribution window', () => {
    spec
      .given([registered])
      .when(unreachable('2026-03-14T10:00:00+07:00'))
      .thenRejected('CARD.OUTSIDE_DISTRIBUTION_WINDOW');
  });

  it('an unreachable voter who shows up on the day can still check in (only a strike-off takes them off)', () => {
    const event: VoterEvent = {
      type: 'VoterMarkedUnreachable',
      data: { cardNumber: card, at: '2026-03-06T10:00:00+07:00', note: 'working at sea' },
    };
    spec.given([registered, event]).when(checkIn()).then([checkedIn()]);
  });
});

describe('strike-off (a voter who cannot be reached may be struck off by the commune People’s Committee)', () => {
  const strike = (reason: string): VoterCommand => ({ type: 'StrikeVoter', data: { reason } });

  it('a listed voter is struck off with a reason', () => {
    spec.given([registered]).when(strike('moved abroad')).then([struck]);
  });

  it('a strike-off needs a reason', () => {
    spec.given([registered]).when(strike('   ')).thenRejected('VOTER.STRIKE_REASON_REQUIRED');
  });

  it('a voter who has voted cannot be struck off', () => {
    spec
      .given([registered, checkedIn()])
      .when(strike('moved abroad'))
      .thenRejected('VOTER.ALREADY_VOTED');
  });

  it('a voter is struck off once', () => {
    spec.given([registered, struck]).when(strike('again')).thenRejected('VOTER.ALREADY_STRUCK_OFF');
  });

  it('a voter on no list cannot be struck off', () => {
    spec.given([]).when(strike('moved abroad')).thenRejected('VOTER.NOT_REGISTERED');
  });

  it('a voter voting elsewhere is struck from the list where they now are', () => {
    spec
      .given([registered, transferred])
      .when(strike('died'))
      .then([
        {
          type: 'VoterStruckOff',
          data: { pollingAreaId: elsewhere, cardNumber: card, reason: 'died' },
        },
      ]);
  });
});

describe('vote elsewhere (struck from the home list, added where they are)', () => {
  const transfer: VoterCommand = {
    type: 'TransferVoter',
    data: { toPollingAreaId: elsewhere, certificateNumber: 'GCN-17' },
  };

  it('a voter with a certificate moves to the list where they will be, for the National Assembly and city ballots', () => {
    spec.given([registered]).when(transfer).then([transferred]);
  });

  it('a voter voting elsewhere casts only the National Assembly and city ballots', () => {
    spec
      .given([registered, transferred])
      .when(checkIn(elsewhere))
      .then([checkedIn(elsewhere, undefined, ['na', 'city'])]);
  });

  it('a voter at home casts all three ballots', () => {
    spec
      .given([registered])
      .when(checkIn())
      .then([checkedIn(home, undefined, ['na', 'city', 'commune'])]);
  });

  it('a voter voting elsewhere is struck from the home list: checking in at home is refused and recorded', () => {
    const refusal: VoterEvent = {
      type: 'CheckInRefused',
      data: {
        cardNumber: card,
        reason: 'WRONG_POLLING_AREA',
        pollingAreaId: home,
        attemptedAt: '2026-03-15T08:10:00+07:00',
        listedPollingAreaId: elsewhere,
      },
    };
    spec.given([registered, transferred]).when(checkIn(home)).then([refusal]);
    expect(rejectionFor(refusal)?.code).toBe('CARD.WRONG_POLLING_AREA');
  });

  it('a voter cannot be moved to the list they are already on', () => {
    spec
      .given([registered])
      .when({ type: 'TransferVoter', data: { toPollingAreaId: home } })
      .thenRejected('VOTER.TRANSFER_TO_SAME_AREA');
  });

  it('a voter who has voted cannot vote elsewhere', () => {
    spec.given([registered, checkedIn()]).when(transfer).thenRejected('VOTER.ALREADY_VOTED');
  });

  it('a struck-off voter cannot vote elsewhere', () => {
    spec.given([registered, struck]).when(transfer).thenRejected('VOTER.STRUCK_OFF');
  });

  it('a voter holds one certificate to vote elsewhere', () => {
    spec
      .given([registered, transferred])
      .when({ type: 'TransferVoter', data: { toPollingAreaId: 'PA-11948-001' } })
      .thenRejected('VOTER.ALREADY_TRANSFERRED');
  });

  it('the certificate number is optional', () => {
    spec
      .given([registered])
      .when({ type: 'TransferVoter', data: { toPollingAreaId: elsewhere } })
      .then([
        {
          type: 'VoterTransferred',
          data: {
            cardNumber: card,
            fromPollingAreaId: home,
            toPollingAreaId: elsewhere,
            ballots: ['na', 'city'],
          },
        },
      ]);
  });
});

describe('check-in (a card is shown at the polling area and stamped "has voted")', () => {
  it('a card is good for exactly one check-in', () => {
    spec.given([registered]).when(checkIn()).then([checkedIn()]);
  });

  it('a second attempt is refused and recorded, with the first check-in', () => {
    const refusal: VoterEvent = {
      type: 'CheckInRefused',
      data: {
        cardNumber: card,
        reason: 'CARD_ALREADY_USED',
        pollingAreaId: home,
        attemptedAt: '2026-03-15T10:00:00+07:00',
        listedPollingAreaId: home,
        firstCheckInAt: '2026-03-15T08:10:00+07:00',
        firstCheckInPollingAreaId: home,
      },
    };
    spec
      .given([registered, checkedIn()])
      .when(checkIn(home, '2026-03-15T10:00:00+07:00'))
      .then([refusal]);
    expect(rejectionOf([refusal])).toMatchObject({
      code: 'CARD.ALREADY_USED',
      details: { firstCheckInAt: '2026-03-15T08:10:00+07:00' },
    });
  });

  it('a second attempt elsewhere is still a used card', () => {
    const result = voterDecider.decide(
      checkIn(elsewhere),
      foldEvents(voterDecider, [registered, checkedIn()]),
      { now: new Date() },
    );
    expect(result.ok && rejectionOf(result.value)?.code).toBe('CARD.ALREADY_USED');
  });

  it('a struck-off card cannot check in: refused and recorded', () => {
    const refusal: VoterEvent = {
      type: 'CheckInRefused',
      data: {
        cardNumber: card,
        reason: 'VOTER_STRUCK_OFF',
        pollingAreaId: home,
        attemptedAt: '2026-03-15T08:10:00+07:00',
        listedPollingAreaId: home,
      },
    };
    spec.given([registered, struck]).when(checkIn()).then([refusal]);
    expect(rejectionFor(refusal)?.code).toBe('CARD.STRUCK_OFF');
  });

  it('a card checks in only at the polling area whose list holds it', () => {
    const result = voterDecider.decide(
      checkIn('PA-10507-002'),
      foldEvents(voterDecider, [registered]),
      {
        now: new Date(),
      },
    );
    expect(result.ok && result.value).toEqual([
      {
        type: 'CheckInRefused',
        data: {
          cardNumber: card,
          reason: 'WRONG_POLLING_AREA',
          pollingAreaId: 'PA-10507-002',
          attemptedAt: '2026-03-15T08:10:00+07:00',
          listedPollingAreaId: home,
        },
      },
    ]);
  });

  it('a card the voter does not hold is unknown, and a stream with no voter knows no card', () => {
    spec
      .given([registered])
      .when({
        type: 'CheckInVoter',
        data: {
          cardNumber: 'PA-10507-001-0001',
          pollingAreaId: home,
          at: '2026-03-15T08:10:00+07:00',
        },
      })
      .thenRejected('CARD.UNKNOWN');
    spec.given([]).when(checkIn()).thenRejected('CARD.UNKNOWN');
  });

  it('refusals do not change the voter: after a refused attempt elsewhere the card still checks in at home', () => {
    const wrongArea = voterDecider.decide(
      checkIn(elsewhere),
      foldEvents(voterDecider, [registered]),
      {
        now: new Date(),
      },
    );
    expect(wrongArea.ok).toBe(true);
    const history = [registered, ...(wrongArea.ok ? wrongArea.value : [])];
    spec.given(history).when(checkIn()).then([checkedIn()]);
  });
});

describe('recorded refusals and the schemas', () => {
  it('events that are not refusals stand for no rejection', () => {
    expect(rejectionOf([registered, checkedIn(), struck, transferred])).toBeUndefined();
  });

  it('every event the decider produces matches its schema', () => {
    for (const event of [registered, checkedIn(), struck, transferred])
      expect(VoterEventSchema.safeParse(event).success).toBe(true);
  });

  it.each([
    ['a voter key that is not a 64-hex HMAC', { ...registration, voterKey: '079201001234' }],
    ['a name with a control character', { ...registration, fullName: 'Nguyễn\u0000Hoa' }],
    [
      'a distribution window that ends before it starts',
      { ...registration, cardDistribution: { from: '2026-03-12', to: '2026-03-05' } },
    ],
    [
      'an extra field (a citizen id must never slip in)',
      { ...registration, citizenId: '031180123456' },
    ],
  ])('a registration is refused with %s', (_, data) => {
    expect(VoterCommandSchema.safeParse({ type: 'RegisterVoter', data }).success).toBe(false);
  });

  it.each([
    [
      'a time without an offset',
      { cardNumber: card, pollingAreaId: home, at: '2026-03-15T08:10:00' },
    ],
    [
      'a malformed card number',
      { cardNumber: 'PA-1-1', pollingAreaId: home, at: '2026-03-15T08:10:00+07:00' },
    ],
  ])('a check-in is refused with %s', (_, data) => {
    expect(VoterCommandSchema.safeParse({ type: 'CheckInVoter', data }).success).toBe(false);
  });

  it('a blank strike reason is refused by the schema too', () => {
    expect(
      VoterCommandSchema.safeParse({ type: 'StrikeVoter', data: { reason: ' \n' } }).success,
    ).toBe(false);
  });

  it('Vietnam dates do not depend on the machine’s zone', () => {
    expect(vietnamDateOf('2026-03-12T16:59:59Z')).toBe('2026-03-12');
    expect(vietnamDateOf('2026-03-12T17:00:00Z')).toBe('2026-03-13');
  });
});
