// The storage contract against a real KurrentDB, only when KURRENTDB_CONNECTION_STRING names one
// (none can run on the build machine): without it these tests are reported as skipped, not passed.
import { v7 as uuidv7 } from 'uuid';
import { describe, expect, it } from 'vitest';
import { verifyChain } from '../chain/verify-chain.js';
import {
  describeEventStoreContract,
  expectCode,
  expectOk,
} from './event-store-contract.test-support.js';
import { KurrentDbEventStore, type KurrentDbEventStoreOptions } from './kurrentdb-event-store.js';
import { newTestEvents, uniqueStreamId } from './test-events.test-support.js';

const connectionString = process.env['KURRENTDB_CONNECTION_STRING'] ?? '';

/** A prefix no other run or test uses: each fixture starts with an empty log on a shared server. */
function freshPrefix(): string {
  return `t${uuidv7().replaceAll('-', '')}.`;
}

function open(options: Partial<KurrentDbEventStoreOptions> = {}): Promise<KurrentDbEventStore> {
  return KurrentDbEventStore.open({ connectionString, streamPrefix: freshPrefix(), ...options });
}

describe.skipIf(connectionString === '')('KurrentDbEventStore against a live server', () => {
  describeEventStoreContract('KurrentDB', async () => {
    const store = await open();
    return { store, dispose: () => store.close() };
  });

  describe('what a restart must keep', () => {
    it('a reopened store continues the chain and still recognises retries and conflicts', async () => {
      const streamPrefix = freshPrefix();
      const first = await open({ streamPrefix });
      const streamId = uniqueStreamId();
      const events = newTestEvents(streamId, 3);
      const done = expectOk(
        await first.appendToStream({ streamId, expectedRevision: 'no_stream', events }),
      );
      await first.close();

      const second = await open({ streamPrefix });
      try {
        expect(await second.head()).toMatchObject({ position: 3 });
        expect(
          expectOk(
            await second.appendToStream({ streamId, expectedRevision: 'no_stream', events }),
          ),
        ).toEqual({ ...done, duplicate: true });
        const [event] = events;
        if (event === undefined) throw new Error('no test event');
        expectCode(
          await second.appendToStream({
            streamId,
            expectedRevision: 'any',
            events: [{ ...event, data: { n: 'changed' } }],
          }),
          'EVENT_ID_CONFLICT',
        );
        expectCode(
          await second.appendToStream({
            streamId,
            expectedRevision: 1,
            events: newTestEvents(streamId, 1),
          }),
          'STALE_REVISION',
        );
        const next = expectOk(
          await second.appendToStream({
            streamId,
            expectedRevision: 2,
            events: newTestEvents(streamId, 2),
          }),
        );
        expect(next.positions).toEqual([4, 5]);
        const head = await second.head();
        expect(await verifyChain(second.pages(), { expectedHead: head })).toMatchObject({
          ok: true,
          count: 5,
        });
      } finally {
        await second.close();
      }
    });

    it('reads from any position through the $all checkpoints, before and after a reopen', async () => {
      const streamPrefix = freshPrefix();
      const writer = await open({ streamPrefix, checkpointStride: 4 });
      for (let i = 0; i < 5; i += 1) {
        const streamId = uniqueStreamId();
        expectOk(
          await writer.appendToStream({
            streamId,
            expectedRevision: 'no_stream',
            events: newTestEvents(streamId, 5),
          }),
        );
      }
      const expectRange = async (store: KurrentDbEventStore): Promise<void> => {
        for (const from of [1, 4, 5, 9, 17, 25]) {
          const page = await store.readAll({ fromPosition: from, limit: 3 });
          expect(page.map((e) => e.position)).toEqual(
            [from, from + 1, from + 2].filter((p) => p <= 25),
          );
        }
        expect(await store.readAll({ fromPosition: 26 })).toEqual([]);
      };
      await expectRange(writer);
      await writer.close();
      const reader = await open({ streamPrefix, checkpointStride: 4 });
      try {
        await expectRange(reader);
      } finally {
        await reader.close();
      }
    });
  });
});
