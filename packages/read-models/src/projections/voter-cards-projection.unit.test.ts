import { describe, expect, it } from 'vitest';
import { eventLog, run, vn } from './projection-fixtures.test-support.js';
import { voterCardsProjection } from './voter-cards-projection.js';

describe('voter cards projection', () => {
  it('counts registrations, cards, strikes, transfers and check-ins per commune', () => {
    const { events, add } = eventLog();
    const key = (n: number) => `voter-${String(n).padStart(64, '0')}`;
    const card = 'PA-10001-001-0001';
    add(key(1), 'VoterRegistered', {
      voterKey: '0'.repeat(64),
      pollingAreaId: 'PA-10001-001',
      fullName: 'Nguyễn Văn A',
      birthYear: 1980,
      cardNumber: card,
      cardDistribution: { from: '2026-03-05', to: '2026-03-12' },
    });
    add(key(1), 'VoterCardDelivered', { cardNumber: card, at: vn('08:00') });
    add(key(2), 'VoterMarkedUnreachable', {
      cardNumber: 'PA-10001-002-0002',
      at: vn('08:00'),
      note: 'moved',
    });
    add(key(2), 'VoterStruckOff', {
      pollingAreaId: 'PA-10001-002',
      cardNumber: 'PA-10001-002-0002',
      reason: 'x',
    });
    add(key(3), 'VoterTransferred', {
      cardNumber: 'PA-10001-001-0003',
      fromPollingAreaId: 'PA-10001-001',
      toPollingAreaId: 'PA-10002-001',
      ballots: ['na', 'city'],
    });
    add(key(1), 'VoterCheckedIn', {
      cardNumber: card,
      pollingAreaId: 'PA-10001-001',
      at: vn('07:00'),
      ballots: ['na'],
    });
    add(key(1), 'CheckInRefused', {
      cardNumber: card,
      reason: 'CARD_ALREADY_USED',
      pollingAreaId: 'PA-10002-001',
      attemptedAt: vn('08:00'),
      listedPollingAreaId: 'PA-10001-001',
    });
    const engine = run(voterCardsProjection, events);
    expect(engine.get('voter_card_distribution', '10001')).toEqual({
      commune_id: '10001',
      registered: 1,
      delivered: 1,
      unreachable: 1,
      struck_off: 1,
      transferred_in: 0,
      transferred_out: 1,
      checked_in: 1,
      check_ins_refused: 0,
      duplicate_registrations: 0,
      position: 6,
    });
    expect(engine.get('voter_card_distribution', '10002')).toMatchObject({
      transferred_in: 1,
      check_ins_refused: 1,
      position: 7,
    });
  });

  it('counts a transfer within one commune out and in on the same row', () => {
    const { events, add } = eventLog();
    add(`voter-${'0'.repeat(64)}`, 'VoterTransferred', {
      cardNumber: 'PA-10001-001-0003',
      fromPollingAreaId: 'PA-10001-001',
      toPollingAreaId: 'PA-10001-002',
      ballots: ['na', 'city'],
    });
    expect(run(voterCardsProjection, events).get('voter_card_distribution', '10001')).toMatchObject(
      {
        transferred_out: 1,
        transferred_in: 1,
        position: 1,
      },
    );
  });
});
