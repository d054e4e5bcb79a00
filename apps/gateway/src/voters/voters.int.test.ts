// The voter-card endpoints through HTTP against real servers: PostgreSQL with the reference data
// and demo users, nats-server, a ledger and the voter-cards service in-process. The streamed NDJSON
// import with hostile lines and scope, check-ins with recorded refusals, card delivery, strike-off
// and vote elsewhere; every refusal that is not a recorded one leaves the ledger head unchanged.
import { createHmac, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commandBatchSubject, voterCardSubjects } from '@hpe/service-kit';
import {
  expectProblem,
  groupByCommune,
  handOut,
  startGatewayHarness,
  type GatewayHarness,
  type ReferenceArea,
  type RequestOptions,
} from '../testing/gateway-harness.test-support.js';
import { voterCardsService } from '../testing/service-starters.test-support.js';

type Area = ReferenceArea;

const secret = 'gateway-voters-test-secret-0123456789abcdef';
const keyOf = (citizenId: string): string =>
  createHmac('sha256', secret).update(citizenId).digest('hex');

let h: GatewayHarness;
let freshCommune: () => Area[];

beforeAll(async () => {
  h = await startGatewayHarness('gateway_voters', {
    services: [
      voterCardsService(new Date('2026-03-15T09:00:00+07:00'), {
        HPE_MODE: 'test',
        VOTER_KEY_SECRET: secret,
      }),
    ],
  });
  freshCommune = handOut(
    groupByCommune(h.areas.filter((a) => a.electionDate === '2026-03-15')).filter(
      (areas) => areas.length >= 2,
    ),
    'communes',
  );
}, 120_000);

afterAll(async () => {
  await h.stop();
});

/** A POST as before, with the body's content type as an option (JSON by default). */
const post = (
  path: string,
  body: unknown,
  options: RequestOptions & { contentType?: string } = {},
) => {
  const { contentType, ...rest } = options;
  return h.post(path, body, {
    ...rest,
    ...(contentType === undefined ? {} : { headers: { 'content-type': contentType } }),
  });
};
const head: GatewayHarness['head'] = () => h.head();
const appendsNothing: GatewayHarness['appendsNothing'] = (act) => h.appendsNothing(act);
const streamOf = (voterKey: string) => h.readStream(`voter-${voterKey}`);

let serial = 0;
function row(pollingAreaId: string, seq: number, citizenId?: string) {
  serial += 1;
  return {
    citizenId: citizenId ?? `0310${'75'}${String(serial + 500_000).padStart(6, '0')}`,
    fullName: 'Phạm Văn Nam',
    birthYear: 1975,
    gender: 'male',
    pollingAreaId,
    cardNumber: `${pollingAreaId}-${String(seq).padStart(4, '0')}`,
  };
}

const ndjson = (lines: readonly (object | string)[]): string =>
  lines.map((l) => (typeof l === 'string' ? l : JSON.stringify(l))).join('\n') + '\n';

const importList = (lines: readonly (object | string)[], user = 'admin') =>
  post('/voters/import', ndjson(lines), {
    user,
    contentType: 'application/x-ndjson',
    raw: true,
  });

/** A commune with two areas and one registered voter in the first. */
async function registeredVoter() {
  const [home, other] = freshCommune();
  if (home === undefined || other === undefined) throw new Error('two areas');
  const voter = row(home.pollingAreaId, 1);
  const answer = await importList([voter]);
  expect(answer.body['imported']).toBe(1);
  return { home, other, voter, voterKey: keyOf(voter.citizenId), card: voter.cardNumber };
}

const checkIn = (
  card: string,
  pollingAreaId: string,
  user: string,
  at = '2026-03-15T08:00:00+07:00',
) => post('/check-ins', { cardNumber: card, pollingAreaId, at }, { user });

describe('POST /api/v1/voters/import', () => {
  it('imports the good rows and reports every bad line by number, never echoing a citizen id', async () => {
    const [area] = freshCommune();
    if (area === undefined) throw new Error('area');
    const a = row(area.pollingAreaId, 1);
    const b = row(area.pollingAreaId, 2);
    const wrongShape = { ...row(area.pollingAreaId, 3), citizenId: '03119801' };
    const wrongYear = { ...row(area.pollingAreaId, 4), birthYear: 1990 };
    const again = row(area.pollingAreaId, 5, a.citizenId);
    const answer = await importList([
      a,
      '{"citizenId": "031075999999", "fullName": ',
      '',
      wrongShape,
      'x'.repeat(100_000),
      b,
      wrongYear,
      { ...row(area.pollingAreaId, 6), extra: 1 },
      again,
    ]);
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({
      lines: 9,
      imported: 2,
      unchanged: 0,
      duplicatesTotal: 1,
      duplicates: [{ line: 9, pollingAreaId: area.pollingAreaId }],
      rejectedTotal: 5,
    });
    expect(
      (answer.body['rejected'] as { line: number; code: string }[]).map((r) => [r.line, r.code]),
    ).toEqual([
      [2, 'VOTER.IMPORT_LINE_NOT_JSON'],
      [4, 'VOTER.IMPORT_ROW_INVALID'],
      [5, 'VOTER.IMPORT_LINE_TOO_LONG'],
      [7, 'VOTER.IMPORT_ROW_INVALID'],
      [8, 'VOTER.IMPORT_ROW_INVALID'],
    ]);
    for (const id of [a.citizenId, wrongShape.citizenId, wrongYear.citizenId, '031075999999'])
      expect(answer.text).not.toContain(id);
    expect(answer.body['position']).toBe(await head());
    expect((await streamOf(keyOf(a.citizenId))).map((e) => e.type)).toEqual([
      'VoterRegistered',
      'DuplicateRegistrationRefused',
    ]);
  });

  it('importing the same file again changes nothing', async () => {
    const [area] = freshCommune();
    if (area === undefined) throw new Error('area');
    const lines = [row(area.pollingAreaId, 1), row(area.pollingAreaId, 2)];
    expect((await importList(lines)).body['imported']).toBe(2);
    await appendsNothing(async () => {
      expect((await importList(lines)).body).toMatchObject({ imported: 0, unchanged: 2 });
    });
  });

  it('a commune imports its own rows; rows of other communes are rejected line by line with FORBIDDEN_SCOPE', async () => {
    const [own] = freshCommune();
    const [foreign] = freshCommune();
    if (own === undefined || foreign === undefined) throw new Error('areas');
    const answer = await importList(
      [row(own.pollingAreaId, 1), row(foreign.pollingAreaId, 1), row(own.pollingAreaId, 2)],
      `commune-${own.communeId}`,
    );
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({
      imported: 2,
      rejected: [{ line: 2, code: 'FORBIDDEN_SCOPE' }],
    });
  });

  it('refuses a wrong content type with 415, an empty body with 400, a reporter with 403, no token with 401', async () => {
    const [area] = freshCommune();
    if (area === undefined) throw new Error('area');
    const body = ndjson([row(area.pollingAreaId, 1)]);
    await appendsNothing(async () => {
      expectProblem(
        await post('/voters/import', body, { user: 'admin', raw: true }),
        415,
        'UNSUPPORTED_MEDIA_TYPE',
      );
      expectProblem(
        await post('/voters/import', body, { user: 'admin', raw: true, contentType: 'text/plain' }),
        415,
        'UNSUPPORTED_MEDIA_TYPE',
      );
      expectProblem(
        await post('/voters/import', '', {
          user: 'admin',
          raw: true,
          contentType: 'application/x-ndjson',
        }),
        400,
        'VALIDATION_FAILED',
      );
      expectProblem(
        await post('/voters/import', body, {
          user: `pa-${area.pollingAreaId}`,
          raw: true,
          contentType: 'application/x-ndjson',
        }),
        403,
        'FORBIDDEN_ROLE',
      );
      expectProblem(
        await post('/voters/import', body, { raw: true, contentType: 'application/x-ndjson' }),
        401,
        'UNAUTHENTICATED',
      );
    });
  });

  it('streams a list larger than the global body limit (1 MiB) in batches', async () => {
    const areas = freshCommune();
    const lines = areas.flatMap((a) =>
      Array.from({ length: 700 }, (_, i) => row(a.pollingAreaId, i + 1)),
    );
    const body = ndjson(lines);
    expect(body.length).toBeGreaterThan(1 << 20);
    const answer = await importList(lines);
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ imported: lines.length, rejectedTotal: 0 });
  }, 60_000);
});

describe('POST /api/v1/check-ins', () => {
  it('check-ins arriving together go to the service as one batch, each answered as if alone', async () => {
    const [area] = freshCommune();
    if (area === undefined) throw new Error('an area');
    const voters = Array.from({ length: 30 }, (_, i) => row(area.pollingAreaId, 100 + i));
    expect((await importList(voters)).body['imported']).toBe(30);
    let batches = 0;
    const sub = h.nc.subscribe(commandBatchSubject(voterCardSubjects.checkIn), {
      callback: () => {
        batches += 1;
      },
    });
    await h.nc.flush();
    const reporter = `pa-${area.pollingAreaId}`;
    // Signed in once before the burst (35 sign-ins at once would meet the login limiter).
    expect((await checkIn(`${area.pollingAreaId}-9999`, area.pollingAreaId, reporter)).status).toBe(
      404,
    );
    const before = await head();
    // Every card once, and the first five a second time in the same burst.
    const cards = [...voters, ...voters.slice(0, 5)].map((v) => v.cardNumber);
    const answers = await Promise.all(cards.map((c) => checkIn(c, area.pollingAreaId, reporter)));
    sub.unsubscribe();
    const byCard = new Map<string, number[]>();
    for (const [i, card] of cards.entries())
      byCard.set(card, [...(byCard.get(card) ?? []), answers[i]?.status ?? 0]);
    for (const [card, statuses] of byCard) {
      expect(
        statuses.filter((s) => s === 201),
        card,
      ).toHaveLength(1);
      expect(statuses.filter((s) => s !== 201).every((s) => s === 422)).toBe(true);
    }
    // 30 check-ins and 5 recorded refusals, nothing else, nothing lost.
    expect(await head()).toBe(before + 35);
    expect(batches).toBeGreaterThanOrEqual(1);
  });

  it('checks in once (201); a second attempt is 422 CARD.ALREADY_USED and recorded at the position given', async () => {
    const { home, card, voterKey } = await registeredVoter();
    const reporter = `pa-${home.pollingAreaId}`;
    const first = await checkIn(card, home.pollingAreaId, reporter);
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ position: await head() });
    expect(first.body['eventIds']).toHaveLength(1);
    const before = await head();
    const second = await checkIn(card, home.pollingAreaId, reporter, '2026-03-15T11:00:00+07:00');
    expectProblem(second, 422, 'CARD.ALREADY_USED');
    expect(await head()).toBe(before + 1);
    const refused = (await streamOf(voterKey)).at(-1);
    expect(refused?.type).toBe('CheckInRefused');
    expect(second.body['details']).toMatchObject({ position: refused?.position });
  });

  it('a reporter of one area checking in at another is 403 FORBIDDEN_SCOPE; an unknown card is 404 CARD.UNKNOWN', async () => {
    const { home, other, card } = await registeredVoter();
    await appendsNothing(async () => {
      expectProblem(
        await checkIn(card, other.pollingAreaId, `pa-${home.pollingAreaId}`),
        403,
        'FORBIDDEN_SCOPE',
      );
      expectProblem(
        await checkIn(`${home.pollingAreaId}-9999`, home.pollingAreaId, 'admin'),
        404,
        'CARD.UNKNOWN',
      );
      expectProblem(await checkIn(card, home.pollingAreaId, 'police'), 403, 'FORBIDDEN_ROLE');
    });
  });

  it('a card checked in at the wrong area (in scope) is 422 CARD.WRONG_POLLING_AREA, recorded', async () => {
    const { other, card, voterKey } = await registeredVoter();
    const answer = await checkIn(card, other.pollingAreaId, `pa-${other.pollingAreaId}`);
    expectProblem(answer, 422, 'CARD.WRONG_POLLING_AREA');
    expect((await streamOf(voterKey)).at(-1)?.type).toBe('CheckInRefused');
  });

  it('refuses hostile bodies with 400 and a reused Idempotency-Key with another body with 409', async () => {
    const { home, card } = await registeredVoter();
    const good = {
      cardNumber: card,
      pollingAreaId: home.pollingAreaId,
      at: '2026-03-15T08:00:00+07:00',
    };
    await appendsNothing(async () => {
      for (const body of [
        {},
        { ...good, extra: true },
        { ...good, cardNumber: 42 },
        { ...good, at: 'yesterday' },
        { ...good, cardNumber: 'x'.repeat(100_000) },
        [good],
      ])
        expectProblem(await post('/check-ins', body, { user: 'admin' }), 400, 'VALIDATION_FAILED');
      expectProblem(
        await post('/check-ins', '{"cardNumber":', { user: 'admin', raw: true }),
        400,
        'VALIDATION_FAILED',
      );
    });
    const key = randomUUID();
    expect((await post('/check-ins', good, { user: 'admin', idempotencyKey: key })).status).toBe(
      201,
    );
    await appendsNothing(async () => {
      const replay = await post('/check-ins', good, { user: 'admin', idempotencyKey: key });
      expect(replay.status).toBe(201);
      expectProblem(
        await post(
          '/check-ins',
          { ...good, at: '2026-03-15T09:00:00+07:00' },
          { user: 'admin', idempotencyKey: key },
        ),
        409,
        'IDEMPOTENCY_KEY_REUSED',
      );
    });
  });
});

describe('voter cards and voters', () => {
  it('delivery and unreachable by card number: own commune 201, another commune 403, a malformed card 404', async () => {
    const { home, card } = await registeredVoter();
    const [elsewhere] = freshCommune();
    if (elsewhere === undefined) throw new Error('area');
    const commune = `commune-${home.communeId}`;
    await appendsNothing(async () => {
      expectProblem(
        await post(
          `/voter-cards/${card}/delivered`,
          { at: '2026-03-06T10:00:00+07:00' },
          { user: `commune-${elsewhere.communeId}` },
        ),
        403,
        'FORBIDDEN_SCOPE',
      );
      expectProblem(
        await post(
          '/voter-cards/not-a-card/delivered',
          { at: '2026-03-06T10:00:00+07:00' },
          { user: commune },
        ),
        404,
        'CARD.UNKNOWN',
      );
      expectProblem(
        await post(
          `/voter-cards/${card}/unreachable`,
          { at: '2026-03-06T10:00:00+07:00' },
          { user: commune },
        ),
        400,
        'VALIDATION_FAILED',
      );
      expectProblem(
        await post(
          `/voter-cards/${card}/delivered`,
          { at: '2026-03-20T10:00:00+07:00' },
          { user: commune },
        ),
        422,
        'CARD.OUTSIDE_DISTRIBUTION_WINDOW',
      );
    });
    const unreachable = await post(
      `/voter-cards/${card}/unreachable`,
      { at: '2026-03-05T10:00:00+07:00', note: 'away at sea' },
      { user: commune },
    );
    expect(unreachable.status).toBe(201);
    const delivered = await post(
      `/voter-cards/${card}/delivered`,
      { at: '2026-03-06T10:00:00+07:00' },
      { user: commune },
    );
    expect(delivered.status).toBe(201);
    expect(delivered.body['position']).toBe(await head());
  });

  it('strike by voterKey: unknown 404, another commune 403, own commune 201; the card then checks in as struck', async () => {
    const { home, card, voterKey } = await registeredVoter();
    const [elsewhere] = freshCommune();
    if (elsewhere === undefined) throw new Error('area');
    await appendsNothing(async () => {
      expectProblem(
        await post(`/voters/${'0'.repeat(64)}/strike`, { reason: 'moved' }, { user: 'admin' }),
        404,
        'VOTER.UNKNOWN',
      );
      expectProblem(
        await post(
          `/voters/${voterKey}/strike`,
          { reason: 'moved' },
          { user: `commune-${elsewhere.communeId}` },
        ),
        403,
        'FORBIDDEN_SCOPE',
      );
      expectProblem(
        await post(`/voters/${voterKey}/strike`, { reason: '   ' }, { user: 'admin' }),
        400,
        'VALIDATION_FAILED',
      );
    });
    const struck = await post(
      `/voters/${voterKey}/strike`,
      { reason: 'moved abroad' },
      { user: `commune-${home.communeId}` },
    );
    expect(struck.status).toBe(201);
    expectProblem(
      await checkIn(card, home.pollingAreaId, `pa-${home.pollingAreaId}`),
      422,
      'CARD.STRUCK_OFF',
    );
  });

  it('vote elsewhere: the home commune moves the voter; the card checks in only at the destination, for na + city', async () => {
    const { home, card, voterKey } = await registeredVoter();
    const [destination] = freshCommune();
    if (destination === undefined) throw new Error('area');
    await appendsNothing(async () => {
      expectProblem(
        await post(
          `/voters/${voterKey}/vote-elsewhere`,
          { toPollingAreaId: 'PA-99999-999' },
          { user: `commune-${home.communeId}` },
        ),
        404,
        'NOT_FOUND',
      );
    });
    const moved = await post(
      `/voters/${voterKey}/vote-elsewhere`,
      { toPollingAreaId: destination.pollingAreaId, certificateNumber: 'GCN-9' },
      { user: `commune-${home.communeId}` },
    );
    expect(moved.status).toBe(201);
    expectProblem(
      await checkIn(card, home.pollingAreaId, `pa-${home.pollingAreaId}`),
      422,
      'CARD.WRONG_POLLING_AREA',
    );
    const there = await checkIn(card, destination.pollingAreaId, `pa-${destination.pollingAreaId}`);
    expect(there.status).toBe(201);
    expect((await streamOf(voterKey)).at(-1)?.data['ballots']).toEqual(['na', 'city']);
  });
});
