import pg from 'pg';
import { afterEach, beforeEach, describe, expect, inject, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '@hpe/test-kit';
// Brings in the types of what the global set-up provides (inject('postgresAdminUrl')).
import type {} from '@hpe/test-kit/global-setup';
import { sealEvent } from '../chain/seal-event.js';
import {
  verifyChain,
  type VerifyChainOptions,
  type VerifyChainResult,
} from '../chain/verify-chain.js';
import { expectOk } from '../storage/event-store-contract.test-support.js';
import type { LogHead } from '../storage/event-store.js';
import { PostgresEventStore } from '../storage/postgres-event-store.js';
import { installLedgerSchema } from '../storage/schema.js';
import { newTestEvents } from '../storage/test-events.test-support.js';
import { verifyLogParallel } from './verify-log-parallel.js';

const ledgerRole = 'ledger_writer';
/** 120 events in 3 workers' ranges of 40: 1–40, 41–80, 81–120. */
const eventCount = 120;
const workers = 3;

let db: TestDatabase;
let ledgerUrl: string;
let admin: pg.Client;
let head: LogHead;

beforeEach(async () => {
  db = await createTestDatabase(inject('postgresAdminUrl'), 'ledger_verify');
  await installLedgerSchema(db.url, { ledgerRole });
  const url = new URL(db.url);
  url.username = ledgerRole;
  ledgerUrl = url.toString();
  admin = new pg.Client({ connectionString: db.url });
  await admin.connect();
  head = await recordEvents(eventCount);
});
afterEach(async () => {
  await admin.end();
  await db.drop();
});

async function recordEvents(count: number): Promise<LogHead> {
  const store = new PostgresEventStore({ connectionString: ledgerUrl });
  try {
    for (let i = 0; i < count / 10; i += 1) {
      const streamId = `turnout-area-${i % 4}`;
      expectOk(
        await store.appendToStream({
          streamId,
          expectedRevision: 'any',
          events: newTestEvents(streamId, 10),
        }),
      );
    }
    return await store.head();
  } finally {
    await store.close();
  }
}

/** The reference: the sequential verifier over the store's pages, as an auditor runs it. */
async function sequential(options: VerifyChainOptions = {}): Promise<VerifyChainResult> {
  const store = new PostgresEventStore({ connectionString: ledgerUrl });
  try {
    return await verifyChain(
      store.pages({
        pageSize: 7,
        ...(options.fromPosition === undefined ? {} : { fromPosition: options.fromPosition }),
      }),
      options,
    );
  } finally {
    await store.close();
  }
}

/** Small pages and one event per worker minimum, so boundaries and windows are all exercised. */
function parallel(
  options: VerifyChainOptions = {},
  workerCount = workers,
): Promise<VerifyChainResult> {
  return verifyLogParallel({
    connectionString: ledgerUrl,
    workers: workerCount,
    minEventsPerWorker: 1,
    pageSize: 7,
    ...options,
  });
}

/** Superuser tampering: triggers off, one change, triggers on again. */
async function tamper(sql: string, values: unknown[] = []): Promise<void> {
  await admin.query('ALTER TABLE ledger.events DISABLE TRIGGER USER');
  try {
    await admin.query(sql, values);
  } finally {
    await admin.query('ALTER TABLE ledger.events ENABLE TRIGGER USER');
  }
}

/** Rewrites an event's data and then its hash, as a careful forger would: only the next link breaks. */
async function forgeAndRehash(position: number): Promise<void> {
  const store = new PostgresEventStore({ connectionString: ledgerUrl });
  try {
    const [event] = await store.readAll({ fromPosition: position, limit: 1 });
    if (event === undefined) throw new Error(`no event at ${position}`);
    const forged = sealEvent({ ...event, data: { forged: true } }, event.prevHash);
    await tamper(
      `UPDATE ledger.events SET data = $2::jsonb, hash = decode($3, 'hex') WHERE position = $1`,
      [position, JSON.stringify(forged.data), forged.hash],
    );
  } finally {
    await store.close();
  }
}

async function expectSameAsSequential(
  options: VerifyChainOptions = {},
): Promise<VerifyChainResult> {
  const reference = await sequential(options);
  expect(await parallel(options)).toEqual(reference);
  expect(await parallel(options, 1)).toEqual(reference);
  return reference;
}

describe('verifyLogParallel agrees with the sequential verifier', () => {
  it('on a clean log, with and without the expected head', async () => {
    const plain = await expectSameAsSequential();
    expect(plain).toMatchObject({
      ok: true,
      count: eventCount,
      checkedTo: eventCount,
      headHash: head.hash,
    });
    expect((await expectSameAsSequential({ expectedHead: head })).ok).toBe(true);
    expect(await parallel({}, 8)).toEqual(plain);
  });

  it('on an empty log', async () => {
    await tamper('DELETE FROM ledger.events');
    const result = await expectSameAsSequential();
    expect(result).toMatchObject({ ok: true, count: 0, checkedTo: 0 });
  });

  it('from a checkpoint in the middle', async () => {
    const { rows } = await admin.query<{ hash: string }>(
      `SELECT encode(hash, 'hex') AS hash FROM ledger.events WHERE position = 49`,
    );
    const options = { fromPosition: 50, expectedPrevHash: rows[0]?.hash ?? '', expectedHead: head };
    expect(await expectSameAsSequential(options)).toMatchObject({ ok: true, count: 71 });
  });

  it('when an event’s content was edited inside a range', async () => {
    await tamper(`UPDATE ledger.events SET data = '{"edited": true}' WHERE position = 57`);
    expect(await expectSameAsSequential()).toMatchObject({
      ok: false,
      firstBadPosition: 57,
      reason: 'HASH_MISMATCH',
    });
  });

  it('when an edited event was re-hashed at the end of a range (the break is on the boundary)', async () => {
    await forgeAndRehash(40);
    expect(await expectSameAsSequential()).toMatchObject({
      ok: false,
      firstBadPosition: 41,
      reason: 'BROKEN_LINK',
    });
  });

  it('when the first event of a range has another prevHash', async () => {
    await tamper(
      `UPDATE ledger.events SET prev_hash = decode(repeat('ab', 32), 'hex') WHERE position = 81`,
    );
    expect(await expectSameAsSequential()).toMatchObject({
      ok: false,
      firstBadPosition: 81,
      reason: 'BROKEN_LINK',
    });
  });

  it('when events were removed, even a whole range', async () => {
    await tamper('DELETE FROM ledger.events WHERE position BETWEEN 41 AND 80');
    expect(await expectSameAsSequential()).toMatchObject({
      ok: false,
      firstBadPosition: 41,
      reason: 'POSITION_MISMATCH',
      detail: 'expected position 41, found 81',
    });
  });

  it('when the tail was cut, against the expected head', async () => {
    await tamper('DELETE FROM ledger.events WHERE position > 115');
    expect(await expectSameAsSequential({ expectedHead: head })).toMatchObject({
      ok: false,
      firstBadPosition: 116,
      reason: 'HEAD_MISMATCH',
    });
  });

  it('when a later range is damaged too, the first break is the one named', async () => {
    await tamper(`UPDATE ledger.events SET type = 'Edited' WHERE position IN (25, 100)`);
    expect(await expectSameAsSequential()).toMatchObject({ firstBadPosition: 25 });
  });
});

describe('verifyLogParallel when it cannot read', () => {
  it('throws when a worker’s query fails (a database without the ledger’s table)', async () => {
    await expect(
      verifyLogParallel({
        connectionString: inject('postgresAdminUrl'),
        toPosition: 100,
        workers: 2,
        minEventsPerWorker: 1,
      }),
    ).rejects.toThrow(/ledger\.events/);
  });
});
