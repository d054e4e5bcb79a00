// Properties of the check-in: whatever attempts are made on one voter's card, at most one
// check-in is ever recorded and every attempt after it is refused and recorded.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { voterDecider } from './voter-decider.js';
import { VoterEvent as VoterEventSchema } from './voter-schemas.js';
import type { VoterCommand, VoterEvent } from './voter-schemas.js';

const home = 'PA-10507-001';
const card = 'PA-10507-001-0042';
const registered: VoterEvent = {
  type: 'VoterRegistered',
  data: {
    voterKey: 'b'.repeat(64),
    pollingAreaId: home,
    fullName: 'Trần Văn Nam',
    birthYear: 1970,
    cardNumber: card,
    cardDistribution: { from: '2026-03-05', to: '2026-03-12' },
  },
};

const area = fc.constantFrom(home, 'PA-10507-002', 'PA-10901-004');
const at = fc
  .integer({
    min: Date.parse('2026-03-15T05:00:00+07:00'),
    max: Date.parse('2026-03-15T21:00:00+07:00'),
  })
  .map((ms) => new Date(ms).toISOString());
const checkIn = fc
  .record({ pollingAreaId: area, at })
  .map((data): VoterCommand => ({ type: 'CheckInVoter', data: { cardNumber: card, ...data } }));
const anyCommand = fc.oneof(
  checkIn,
  checkIn,
  fc.constant<VoterCommand>({ type: 'StrikeVoter', data: { reason: 'died' } }),
  area.map((toPollingAreaId): VoterCommand => ({
    type: 'TransferVoter',
    data: { toPollingAreaId },
  })),
  fc.constant<VoterCommand>({
    type: 'MarkVoterUnreachable',
    data: { cardNumber: card, at: '2026-03-06T09:00:00+07:00', note: 'away' },
  }),
  fc.constant<VoterCommand>({
    type: 'DeliverVoterCard',
    data: { cardNumber: card, at: '2026-03-07T09:00:00+07:00' },
  }),
);

/** Runs commands one after another, appending what each decision records, as the service does. */
function run(history: readonly VoterEvent[], commands: readonly VoterCommand[]) {
  let state = history.reduce(voterDecider.evolve, voterDecider.initialState());
  const outcomes: { command: VoterCommand; events: readonly VoterEvent[] }[] = [];
  for (const command of commands) {
    const result = voterDecider.decide(command, state, { now: new Date(0) });
    const events = result.ok ? result.value : [];
    // What the service appends must pass the same schema the ledger's readers check.
    for (const event of events) expect(VoterEventSchema.safeParse(event).success).toBe(true);
    state = events.reduce(voterDecider.evolve, state);
    outcomes.push({ command, events });
  }
  return outcomes;
}

describe('check-in properties', () => {
  it('a card is good for exactly one check-in: one VoterCheckedIn, every later attempt refused as used', () => {
    fc.assert(
      fc.property(fc.array(checkIn, { minLength: 1, maxLength: 30 }), (attempts) => {
        const outcomes = run([registered], attempts);
        const firstAtHome = attempts.findIndex(
          (c) => c.type === 'CheckInVoter' && c.data.pollingAreaId === home,
        );
        outcomes.forEach(({ events }, i) => {
          expect(events).toHaveLength(1);
          const [event] = events;
          if (i === firstAtHome) expect(event?.type).toBe('VoterCheckedIn');
          else if (firstAtHome >= 0 && i > firstAtHome)
            expect(event).toMatchObject({
              type: 'CheckInRefused',
              data: { reason: 'CARD_ALREADY_USED' },
            });
          else
            expect(event).toMatchObject({
              type: 'CheckInRefused',
              data: { reason: 'WRONG_POLLING_AREA' },
            });
        });
        const checkIns = outcomes
          .flatMap((o) => o.events)
          .filter((e) => e.type === 'VoterCheckedIn');
        expect(checkIns).toHaveLength(firstAtHome >= 0 ? 1 : 0);
      }),
    );
  });

  it('a struck-off card never checks in: every attempt is refused and recorded', () => {
    const struck: VoterEvent = {
      type: 'VoterStruckOff',
      data: { pollingAreaId: home, cardNumber: card, reason: 'died' },
    };
    fc.assert(
      fc.property(fc.array(checkIn, { minLength: 1, maxLength: 30 }), (attempts) => {
        for (const { events } of run([registered, struck], attempts))
          expect(events).toMatchObject([
            { type: 'CheckInRefused', data: { reason: 'VOTER_STRUCK_OFF' } },
          ]);
      }),
    );
  });

  it('whatever else happens to the voter, at most one check-in is ever recorded and each later attempt is a recorded refusal', () => {
    fc.assert(
      fc.property(fc.array(anyCommand, { maxLength: 40 }), (commands) => {
        let checkedIn = false;
        for (const { command, events } of run([registered], commands)) {
          if (checkedIn && command.type === 'CheckInVoter')
            expect(events).toMatchObject([
              { type: 'CheckInRefused', data: { reason: 'CARD_ALREADY_USED' } },
            ]);
          if (events.some((e) => e.type === 'VoterCheckedIn')) {
            expect(checkedIn).toBe(false);
            checkedIn = true;
          }
        }
      }),
    );
  });
});
