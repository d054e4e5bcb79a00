// The voter-cards service against real servers: import batches, check-ins, card delivery, strike-off
// and vote elsewhere over NATS in queue group `voter-cards`, decided by the domain's voter decider
// and appended to a real ledger; recorded refusals appear in the log, other refusals append nothing.
import { createHmac } from 'node:crypto';
import { voterCardSubjects } from '@hpe/service-kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rebuildCardIndex } from './shared/card-index-rebuild.js';
import { CardIndex } from './shared/card-index.js';
import {
  importRow,
  startVoterCardsHarness,
  testVoterKeySecret,
  type VoterCardsHarness,
} from './voter-cards-service.test-support.js';

const actor = { id: 'commune-10507', role: 'commune' };

interface Reply {
  ok: boolean;
  value?: {
    eventIds: string[];
    position: number;
    imported?: number;
    unchanged?: number;
    duplicates?: { line: number; pollingAreaId: string; registeredPollingAreaId: string }[];
    rejected?: { line: number; code: string; message: string }[];
  };
  error?: { code: string; message: string; details?: Record<string, unknown> };
}

let h: VoterCardsHarness;
let nextArea = 0;
let correlation = 0;

function freshArea(): string {
  const area = h.areas[nextArea];
  nextArea += 1;
  if (area === undefined) throw new Error('out of reference areas');
  return area.pollingAreaId;
}

const keyOf = (citizenId: string): string =>
  createHmac('sha256', testVoterKeySecret).update(citizenId).digest('hex');

async function send(subject: string, body: Record<string, unknown>): Promise<Reply> {
  correlation += 1;
  return (await h.request(subject, { ...body, actor, correlationId: `c-${correlation}` })) as Reply;
}

const importBatch = (rows: readonly (ReturnType<typeof importRow> & { line: number })[]) =>
  send(voterCardSubjects.importBatch, { rows });

const withLines = (rows: ReturnType<typeof importRow>[], first = 1) =>
  rows.map((r, i) => ({ ...r, line: first + i }));

const streamOf = (voterKey: string) => h.readStream(`voter-${voterKey}`);
const appendsNothing: VoterCardsHarness['appendsNothing'] = (act) => h.appendsNothing(act);

/** A registered voter in a fresh area: its row and key. */
async function registered() {
  const area = freshArea();
  const row = importRow(area, 1);
  const reply = await importBatch(withLines([row]));
  expect(reply.value?.imported).toBe(1);
  return { row, area, voterKey: keyOf(row.citizenId), card: row.cardNumber };
}

const checkIn = (cardNumber: string, pollingAreaId: string, at = '2026-03-15T08:00:00+07:00') =>
  send(voterCardSubjects.checkIn, { cardNumber, pollingAreaId, at });

beforeAll(async () => {
  h = await startVoterCardsHarness(new Date('2026-03-15T09:00:00+07:00'));
}, 120_000);
afterAll(async () => {
  await h.stop();
});

describe('voters.import-batch', () => {
  it('registers each row on voter-<HMAC(citizenId)>, never storing the citizen id', async () => {
    const area = freshArea();
    const rows = withLines([importRow(area, 1), importRow(area, 2), importRow(area, 3)]);
    const reply = await importBatch(rows);
    expect(reply).toMatchObject({ ok: true, value: { imported: 3, duplicates: [], rejected: [] } });
    expect(reply.value?.eventIds).toHaveLength(3);
    for (const row of rows) {
      const events = await streamOf(keyOf(row.citizenId));
      expect(events.map((e) => e.type)).toEqual(['VoterRegistered']);
      expect(events[0]?.data).toMatchObject({
        voterKey: keyOf(row.citizenId),
        pollingAreaId: area,
        cardNumber: row.cardNumber,
        cardDistribution: { from: '2026-03-05', to: '2026-03-12' },
      });
      expect(JSON.stringify(events)).not.toContain(row.citizenId);
      expect((await new CardIndex(h.pool).byCard(row.cardNumber))?.voterKey).toBe(
        keyOf(row.citizenId),
      );
    }
    expect(reply.value?.position).toBe(Math.max(...(await h.head().then((p) => [p]))));
  });

  it('a citizen twice in one batch: the first line registers, the second is a recorded duplicate', async () => {
    const [home, other] = [freshArea(), freshArea()];
    const first = importRow(home, 1);
    const again = importRow(other, 1, { citizenId: first.citizenId });
    const reply = await importBatch(withLines([first, importRow(home, 2), again]));
    expect(reply.value).toMatchObject({
      imported: 2,
      duplicates: [{ line: 3, pollingAreaId: other, registeredPollingAreaId: home }],
      rejected: [],
    });
    const events = await streamOf(keyOf(first.citizenId));
    expect(events.map((e) => e.type)).toEqual(['VoterRegistered', 'DuplicateRegistrationRefused']);
    expect(events[1]?.data).toEqual({
      attemptedPollingAreaId: other,
      attemptedCardNumber: again.cardNumber,
      registeredPollingAreaId: home,
      registeredCardNumber: first.cardNumber,
    });
    // The refused card is not in the index: it belongs to nobody.
    expect(await new CardIndex(h.pool).byCard(again.cardNumber)).toBeUndefined();
  });

  it('a citizen already registered by an earlier batch is a duplicate; the same row again changes nothing', async () => {
    const { row, area, voterKey } = await registered();
    const elsewhere = importRow(freshArea(), 7, { citizenId: row.citizenId });
    const reply = await importBatch(withLines([{ ...row }, elsewhere], 10));
    expect(reply.value).toMatchObject({
      imported: 0,
      unchanged: 1,
      duplicates: [{ line: 11, registeredPollingAreaId: area }],
    });
    expect((await streamOf(voterKey)).map((e) => e.type)).toEqual([
      'VoterRegistered',
      'DuplicateRegistrationRefused',
    ]);
  });

  it('rejects, per line, an unknown area, a card held by another voter, a birth year the id does not encode', async () => {
    const { area, card } = await registered();
    const takenCard = { ...importRow(area, 1), cardNumber: card };
    const unknownArea = importRow('PA-99999-999', 1);
    const wrongYear = { ...importRow(area, 5), birthYear: 1981 };
    await appendsNothing(async () => {
      const reply = await importBatch(withLines([takenCard, unknownArea, wrongYear], 40));
      expect(reply.value?.imported).toBe(0);
      expect(reply.value?.rejected?.map((r) => [r.line, r.code])).toEqual([
        [40, 'CARD.NUMBER_TAKEN'],
        [41, 'POLLING.UNKNOWN_AREA'],
        [42, 'VOTER.IMPORT_ROW_INVALID'],
      ]);
      expect(JSON.stringify(reply)).not.toContain(wrongYear.citizenId);
    });
  });

  it('refuses a malformed batch whole with VALIDATION_FAILED, never echoing a citizen id', async () => {
    const row = { ...importRow(freshArea(), 1), citizenId: '12345', line: 1 };
    await appendsNothing(async () => {
      const reply = await importBatch([row]);
      expect(reply.error?.code).toBe('VALIDATION_FAILED');
      expect(JSON.stringify(reply)).not.toContain('12345');
      expect((await send(voterCardSubjects.importBatch, { rows: [] })).error?.code).toBe(
        'VALIDATION_FAILED',
      );
    });
  });
});

describe('voters.check-in', () => {
  it('checks a card in once, with all three ballots at home', async () => {
    const { area, card, voterKey } = await registered();
    const reply = await checkIn(card, area);
    expect(reply.ok).toBe(true);
    const events = await streamOf(voterKey);
    expect(events.at(-1)?.type).toBe('VoterCheckedIn');
    expect(events.at(-1)?.data['ballots']).toEqual(['na', 'city', 'commune']);
    expect(reply.value?.position).toBe(events.at(-1)?.position);
  });

  it('a second check-in is refused with CARD.ALREADY_USED AND recorded, with its position', async () => {
    const { area, card, voterKey } = await registered();
    expect((await checkIn(card, area)).ok).toBe(true);
    const before = await h.head();
    const reply = await checkIn(card, area, '2026-03-15T10:00:00+07:00');
    expect(reply.error?.code).toBe('CARD.ALREADY_USED');
    expect(await h.head()).toBe(before + 1);
    const refused = (await streamOf(voterKey)).at(-1);
    expect(refused?.type).toBe('CheckInRefused');
    expect(refused?.data).toMatchObject({ reason: 'CARD_ALREADY_USED', pollingAreaId: area });
    expect(reply.error?.details).toMatchObject({
      position: refused?.position,
      eventIds: [refused?.eventId],
      firstCheckInAt: '2026-03-15T08:00:00+07:00',
    });
  });

  it('a struck-off card is refused with CARD.STRUCK_OFF and recorded', async () => {
    const { area, card, voterKey } = await registered();
    expect((await send(voterCardSubjects.strike, { voterKey, reason: 'died' })).ok).toBe(true);
    const reply = await checkIn(card, area);
    expect(reply.error?.code).toBe('CARD.STRUCK_OFF');
    expect((await streamOf(voterKey)).map((e) => e.type)).toEqual([
      'VoterRegistered',
      'VoterStruckOff',
      'CheckInRefused',
    ]);
  });

  it('an unknown card is CARD.UNKNOWN and appends nothing', async () => {
    await appendsNothing(async () => {
      expect((await checkIn('PA-10507-001-9999', 'PA-10507-001')).error?.code).toBe('CARD.UNKNOWN');
    });
  });
});

describe('voters.vote-elsewhere', () => {
  it('struck at home, added at the destination with na + city ballots, checks in only there', async () => {
    const { area, card, voterKey } = await registered();
    const destination = freshArea();
    const moved = await send(voterCardSubjects.voteElsewhere, {
      voterKey,
      toPollingAreaId: destination,
      certificateNumber: 'GCN-2026/17',
    });
    expect(moved.ok).toBe(true);
    const transferred = (await streamOf(voterKey)).at(-1);
    expect(transferred?.data).toMatchObject({
      fromPollingAreaId: area,
      toPollingAreaId: destination,
      ballots: ['na', 'city'],
    });
    expect((await new CardIndex(h.pool).byCard(card))?.listedPollingAreaId).toBe(destination);

    const atHome = await checkIn(card, area);
    expect(atHome.error?.code).toBe('CARD.WRONG_POLLING_AREA');
    expect(atHome.error?.details).toMatchObject({ listedPollingAreaId: destination });
    const there = await checkIn(card, destination, '2026-03-15T09:00:00+07:00');
    expect(there.ok).toBe(true);
    const events = await streamOf(voterKey);
    expect(events.map((e) => e.type)).toEqual([
      'VoterRegistered',
      'VoterTransferred',
      'CheckInRefused',
      'VoterCheckedIn',
    ]);
    expect(events.at(-1)?.data['ballots']).toEqual(['na', 'city']);
  });

  it('an unknown destination or voter appends nothing', async () => {
    const { voterKey } = await registered();
    await appendsNothing(async () => {
      expect(
        (await send(voterCardSubjects.voteElsewhere, { voterKey, toPollingAreaId: 'PA-99999-999' }))
          .error?.code,
      ).toBe('POLLING.UNKNOWN_AREA');
      expect(
        (
          await send(voterCardSubjects.voteElsewhere, {
            voterKey: 'f'.repeat(64),
            toPollingAreaId: freshArea(),
          })
        ).error?.code,
      ).toBe('VOTER.UNKNOWN');
    });
  });
});

describe('card delivery and unreachable', () => {
  it('delivers a card in the window; delivering again records nothing and answers the same', async () => {
    const { card, voterKey } = await registered();
    const first = await send(voterCardSubjects.cardDelivered, {
      cardNumber: card,
      at: '2026-03-06T10:00:00+07:00',
    });
    expect(first.ok).toBe(true);
    await appendsNothing(async () => {
      const again = await send(voterCardSubjects.cardDelivered, {
        cardNumber: card,
        at: '2026-03-07T10:00:00+07:00',
      });
      expect(again.value).toEqual({ eventIds: [], position: first.value?.position });
    });
    expect((await streamOf(voterKey)).at(-1)?.type).toBe('VoterCardDelivered');
  });

  it('refuses unreachable outside the window and after delivery, appending nothing', async () => {
    const { card } = await registered();
    await appendsNothing(async () => {
      const reply = await send(voterCardSubjects.cardUnreachable, {
        cardNumber: card,
        at: '2026-03-13T10:00:00+07:00',
        note: 'not at home',
      });
      expect(reply.error?.code).toBe('CARD.OUTSIDE_DISTRIBUTION_WINDOW');
    });
    const ok = await send(voterCardSubjects.cardUnreachable, {
      cardNumber: card,
      at: '2026-03-08T10:00:00+07:00',
      note: 'not at home',
    });
    expect(ok.ok).toBe(true);
  });
});

describe('card index rebuild', () => {
  it('rebuilds from the log alone the same index the service wrote', async () => {
    const snapshot = async () =>
      (
        await h.pool.query<Record<string, string>>(
          'select card_number, voter_key, home_polling_area_id, listed_polling_area_id from voter_card_index order by card_number',
        )
      ).rows;
    const before = await snapshot();
    expect(before.length).toBeGreaterThan(10);
    await h.pool.query('delete from voter_card_index');
    const report = await rebuildCardIndex(h.ledger, h.pool);
    expect(report.registrations).toBe(before.length);
    expect(report.transfers).toBe(1);
    expect(await snapshot()).toEqual(before);
  });
});
