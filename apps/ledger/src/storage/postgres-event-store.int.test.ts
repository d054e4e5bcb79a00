import fc from 'fast-check';
import pg from 'pg';
import { afterEach, beforeEach, describe, expect, inject, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '@hpe/test-kit';
// Brings in the types of what the global set-up provides (inject('postgresAdminUrl')).
import type {} from '@hpe/test-kit/global-setup';
import { sealEvent } from '../chain/seal-event.js';
import { verifyChain } from '../chain/verify-chain.js';
import {
  describeEventStoreContract,
  expectCode,
  expectOk,
} from './event-store-contract.test-support.js';
import type { AppendResult, ExpectedRevision } from './event-store.js';
import { PostgresEventStore } from './postgres-event-store.js';
import { installLedgerSchema } from './schema.js';
import { newTestEvent, newTestEvents, uniqueStreamId } from './test-events.test-support.js';

const ledgerRole = 'ledger_writer';

/** A fresh database with the ledger schema, and a URL that logs in as the ledger's role. */
async function freshLedger(): Promise<{ db: TestDatabase; ledgerUrl: string }> {
  const db = await createTestDatabase(inject('postgresAdminUrl'), 'ledger');
  await installLedgerSchema(db.url, { ledgerRole });
  const url = new URL(db.url);
  url.username = ledgerRole;
  return { db, ledgerUrl: url.toString() };
}

describeEventStoreContract('PostgreSQL', async () => {
  const { db, ledgerUrl } = await freshLedger();
  const store = new PostgresEventStore({ connectionString: ledgerUrl });
  return {
    store,
    dispose: async () => {
      await store.close();
      await db.drop();
    },
  };
});

describe('PostgresEventStore', () => {
  let db: TestDatabase;
  let ledgerUrl: string;
  let store: PostgresEventStore;
  beforeEach(async () => {
    ({ db, ledgerUrl } = await freshLedger());
    store = new PostgresEventStore({ connectionString: ledgerUrl });
  });
  afterEach(async () => {
    await store.close();
    await db.drop();
  });

  async function asAdmin<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    try {
      return await work(client);
    } finally {
      await client.end();
    }
  }

  it('commits concurrent appends together: fewer transactions than requests', async () => {
    const results = await Promise.all(
      Array.from({ length: 200 }, () => {
        const streamId = uniqueStreamId();
        return store.appendToStream({
          streamId,
          expectedRevision: 'no_stream',
          events: newTestEvents(streamId, 2),
        });
      }),
    );
    expect(results.every((r) => r.ok)).toBe(true);
    expect(store.stats.requests).toBe(200);
    expect(store.stats.eventsWritten).toBe(400);
    expect(store.stats.batches).toBeLessThan(200);
    expect(store.stats.largestBatch).toBeGreaterThan(1);
  });

  it('splits a batch at maxBatchEvents without splitting a request', async () => {
    await store.close();
    store = new PostgresEventStore({
      connectionString: ledgerUrl,
      limits: { maxBatchEvents: 10 },
    });
    const results = await Promise.all(
      Array.from({ length: 12 }, () => {
        const streamId = uniqueStreamId();
        return store.appendToStream({
          streamId,
          expectedRevision: 'any',
          events: newTestEvents(streamId, 4),
        });
      }),
    );
    expect(results.every((r) => r.ok)).toBe(true);
    // 4 + 4 fit under 10, a third would not: at least 6 batches for 12 requests.
    expect(store.stats.batches).toBeGreaterThanOrEqual(6);
    expect(store.stats.largestBatch).toBeLessThanOrEqual(2);
    expect(await verifyChain(store.pages(), { expectedHead: await store.head() })).toMatchObject({
      ok: true,
      count: 48,
    });
  });

  it('refuses appends beyond the queue limit with LEDGER_OVERLOADED, and recovers', async () => {
    await store.close();
    store = new PostgresEventStore({
      connectionString: ledgerUrl,
      limits: { maxQueuedEvents: 5 },
    });
    const results = await Promise.all(
      Array.from({ length: 4 }, () => {
        const streamId = uniqueStreamId();
        return store.appendToStream({
          streamId,
          expectedRevision: 'any',
          events: newTestEvents(streamId, 2),
        });
      }),
    );
    expect(results.map((r) => (r.ok ? 'OK' : r.error.code))).toEqual([
      'OK',
      'OK',
      'LEDGER_OVERLOADED',
      'LEDGER_OVERLOADED',
    ]);
    const streamId = uniqueStreamId();
    expectOk(
      await store.appendToStream({
        streamId,
        expectedRevision: 'any',
        events: newTestEvents(streamId, 2),
      }),
    );
  });

  it('refuses appends after close', async () => {
    await store.close();
    const streamId = uniqueStreamId();
    expectCode(
      await store.appendToStream({
        streamId,
        expectedRevision: 'any',
        events: newTestEvents(streamId, 1),
      }),
      'STORE_CLOSED',
    );
    // Closing twice is harmless (afterEach closes it again).
    await store.close();
  });

  /** A second writer (there must never be one; leadership prevents it) appends a valid event. */
  async function rogueAppend(streamId: string, streamRevision: number): Promise<void> {
    const head = await store.head();
    const rogue = sealEvent(
      {
        ...newTestEvent(streamId),
        position: head.position + 1,
        streamRevision,
        recordedAt: '2026-03-15T02:00:00.000Z',
      },
      head.hash,
    );
    await asAdmin((c) =>
      c.query(
        `INSERT INTO ledger.events (position, event_id, stream_id, stream_revision, type, schema_version, data, metadata, recorded_at, prev_hash, hash)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, decode($10, 'hex'), decode($11, 'hex'))`,
        [
          rogue.position,
          rogue.eventId,
          rogue.streamId,
          rogue.streamRevision,
          rogue.type,
          rogue.schemaVersion,
          rogue.data,
          rogue.metadata,
          rogue.recordedAt,
          rogue.prevHash,
          rogue.hash,
        ],
      ),
    );
  }

  it('never trusts its cached revision over the database after another writer appended', async () => {
    const streamId = uniqueStreamId();
    expectOk(
      await store.appendToStream({
        streamId,
        expectedRevision: 'no_stream',
        events: newTestEvents(streamId, 1),
      }),
    );
    await rogueAppend(streamId, 1);
    // The writer still believes revision 0: its insert collides and nothing is written.
    expectCode(
      await store.appendToStream({
        streamId,
        expectedRevision: 0,
        events: newTestEvents(streamId, 1),
      }),
      'APPEND_FAILED',
    );
    // After the failure it reads the stream afresh and answers with the truth.
    expect(
      expectCode(
        await store.appendToStream({
          streamId,
          expectedRevision: 0,
          events: newTestEvents(streamId, 1),
        }),
        'STALE_REVISION',
      ),
    ).toMatchObject({ actual: 1 });
    expect((await store.head()).position).toBe(2);
  });

  it('recovers when another writer moved the log: the batch fails, is retried alone, and the chain holds', async () => {
    const first = uniqueStreamId();
    expectOk(
      await store.appendToStream({
        streamId: first,
        expectedRevision: 'any',
        events: newTestEvents(first, 1),
      }),
    );
    const rogueStream = uniqueStreamId();
    await rogueAppend(rogueStream, 0);
    // The writer's cached head is now stale: a lone request fails cleanly, nothing is written.
    const lone = uniqueStreamId();
    const failed = await store.appendToStream({
      streamId: lone,
      expectedRevision: 'any',
      events: newTestEvents(lone, 1),
    });
    expect(expectCode(failed, 'APPEND_FAILED')).toMatchObject({ sqlState: '23505' });
    // The next append re-reads the head and goes through.
    expect(
      expectOk(
        await store.appendToStream({
          streamId: lone,
          expectedRevision: 'any',
          events: newTestEvents(lone, 1),
        }),
      ).positions,
    ).toEqual([3, 3]);
    // Once more with a batch of several requests: it is split and each one retried alone.
    await rogueAppend(rogueStream, 1);
    const streams = [uniqueStreamId(), uniqueStreamId(), uniqueStreamId()];
    const batch = await Promise.all(
      streams.map((s) =>
        store.appendToStream({
          streamId: s,
          expectedRevision: 'no_stream',
          events: newTestEvents(s, 1),
        }),
      ),
    );
    expect(batch.map((r) => expectOk(r).positions[0]).sort()).toEqual([5, 6, 7]);
    expect(await verifyChain(store.pages(), { expectedHead: await store.head() })).toMatchObject({
      ok: true,
      count: 7,
    });
  });

  it('writers racing on one stream with exact revisions: one wins each revision, no gap, no duplicate, the chain verifies', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 2, max: 8 }),
        fc.integer({ min: 1, max: 4 }),
        fc.integer({ min: 1, max: 3 }),
        async (writers, appendsPerWriter, eventsPerAppend) => {
          const streamId = uniqueStreamId();
          const before = await store.head();
          const won: string[] = [];
          let stale = 0;
          await Promise.all(
            Array.from({ length: writers }, async (_, w) => {
              let expected: ExpectedRevision = 'no_stream';
              for (let done = 0; done < appendsPerWriter;) {
                const events = Array.from({ length: eventsPerAppend }, (_, i) =>
                  newTestEvent(streamId, { writer: w, append: done, i }),
                );
                const result: AppendResult = await store.appendToStream({
                  streamId,
                  expectedRevision: expected,
                  events,
                });
                if (result.ok) {
                  won.push(...result.value.eventIds);
                  expected = result.value.nextRevision;
                  done += 1;
                } else {
                  // The only acceptable failure: someone else took the revision; retry from theirs.
                  const actual = expectCode(result, 'STALE_REVISION')['actual'];
                  stale += 1;
                  expected = actual === 'no_stream' ? 'no_stream' : Number(actual);
                }
              }
            }),
          );
          // All writers start at no_stream together: all but one of them must have lost once.
          expect(stale).toBeGreaterThanOrEqual(writers - 1);
          const total = writers * appendsPerWriter * eventsPerAppend;
          const stream = await store.readStream(streamId);
          expect(stream.map((e) => e.streamRevision)).toEqual(
            Array.from({ length: total }, (_, i) => i),
          );
          expect(new Set(stream.map((e) => e.eventId)).size).toBe(total);
          expect(stream.map((e) => e.eventId).sort()).toEqual([...won].sort());
          expect(stream.map((e) => e.position)).toEqual(
            Array.from({ length: total }, (_, i) => before.position + 1 + i),
          );
          const head = await store.head();
          expect(head.position).toBe(before.position + total);
          expect(await verifyChain(store.pages(), { expectedHead: head })).toMatchObject({
            ok: true,
          });
        },
      ),
      { numRuns: 12 },
    );
  });
});
