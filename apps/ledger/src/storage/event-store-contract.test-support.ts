// The behaviour every event-store implementation must show, as a reusable Vitest suite: the
// PostgreSQL store runs it now, a KurrentDB store can run the very same cases later.
import type { NewEvent } from '@hpe/domain';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { GENESIS_HASH } from '../chain/chain-hash.js';
import { verifyChain } from '../chain/verify-chain.js';
import type { AppendRequest, AppendResult, AppendSuccess, EventStore } from './event-store.js';
import { defaultLedgerLimits } from './limits.js';
import { newTestEvent, newTestEvents, uniqueStreamId } from './test-events.test-support.js';

export interface EventStoreFixture {
  /** A store over an empty log, with the default limits. */
  readonly store: EventStore;
  dispose(): Promise<void>;
}

/** Network input is untyped: hostile cases bypass the static type on purpose. */
function hostile(request: unknown): AppendRequest {
  return request as AppendRequest;
}

export function expectOk(result: AppendResult): AppendSuccess {
  if (!result.ok) throw new Error(`append failed: ${result.error.code}: ${result.error.message}`);
  return result.value;
}

export function expectCode(result: AppendResult, code: string): Readonly<Record<string, unknown>> {
  expect(result.ok ? 'OK' : result.error.code).toBe(code);
  return result.ok ? {} : (result.error.details ?? {});
}

export function describeEventStoreContract(
  name: string,
  makeStore: () => Promise<EventStoreFixture>,
): void {
  describe(`event store contract: ${name}`, () => {
    let fixture: EventStoreFixture;
    let store: EventStore;
    beforeEach(async () => {
      fixture = await makeStore();
      store = fixture.store;
    });
    afterEach(async () => {
      await fixture.dispose();
    });

    /** Runs `attempt` and checks that the log is exactly as it was. */
    async function expectLogUnchanged(attempt: () => Promise<unknown>): Promise<void> {
      const before = await store.head();
      const all = await store.readAll();
      await attempt();
      expect(await store.head()).toEqual(before);
      expect(await store.readAll()).toEqual(all);
    }

    describe('append and read', () => {
      it('starts empty: head at position 0 with the genesis hash', async () => {
        expect(await store.head()).toEqual({ position: 0, hash: GENESIS_HASH });
        expect(await store.readAll()).toEqual([]);
        expect(await store.readStream('incident-none')).toEqual([]);
      });

      it('records events with positions, revisions, time and hash chain, and reads them back', async () => {
        const streamId = uniqueStreamId();
        const events = newTestEvents(streamId, 3);
        const done = expectOk(
          await store.appendToStream({ streamId, expectedRevision: 'no_stream', events }),
        );
        expect(done).toEqual({
          positions: [1, 3],
          nextRevision: 2,
          eventIds: events.map((e) => e.eventId),
        });
        const recorded = await store.readStream(streamId);
        expect(recorded.map((e) => [e.position, e.streamRevision])).toEqual([
          [1, 0],
          [2, 1],
          [3, 2],
        ]);
        for (const [i, e] of recorded.entries()) {
          const sent = events[i] as NewEvent;
          expect(e).toMatchObject(sent);
          expect(e.recordedAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
        }
        expect(recorded[0]?.prevHash).toBe(GENESIS_HASH);
        expect(recorded[1]?.prevHash).toBe(recorded[0]?.hash);
        expect(await store.head()).toEqual({ position: 3, hash: recorded[2]?.hash });
      });

      it('keeps data exactly: key order, Unicode, fractions and large safe integers, and still verifies', async () => {
        const streamId = uniqueStreamId();
        const data = {
          z: 1,
          a: { 'Hải Phòng': 'Thành Đông 😀', nested: [0.1, 1e-7, 2 ** 53 - 1, -5, true, null] },
          quote: 'say "hi"\\n\n\t',
          empty: {},
        };
        expectOk(
          await store.appendToStream({
            streamId,
            expectedRevision: 'any',
            events: [newTestEvent(streamId, data)],
          }),
        );
        const [recorded] = await store.readStream(streamId);
        expect(recorded?.data).toEqual(data);
        const head = await store.head();
        expect(await verifyChain(store.pages(), { expectedHead: head })).toMatchObject({
          ok: true,
        });
      });

      it('reads a stream from a revision with a limit, and the log from a position', async () => {
        const a = uniqueStreamId();
        const b = uniqueStreamId();
        expectOk(
          await store.appendToStream({
            streamId: a,
            expectedRevision: 'any',
            events: newTestEvents(a, 5),
          }),
        );
        expectOk(
          await store.appendToStream({
            streamId: b,
            expectedRevision: 'any',
            events: newTestEvents(b, 2),
          }),
        );
        expectOk(
          await store.appendToStream({
            streamId: a,
            expectedRevision: 4,
            events: newTestEvents(a, 1),
          }),
        );
        const page = await store.readStream(a, { fromRevision: 2, limit: 3 });
        expect(page.map((e) => e.streamRevision)).toEqual([2, 3, 4]);
        expect((await store.readStream(a, { fromRevision: 5 })).map((e) => e.position)).toEqual([
          8,
        ]);
        expect((await store.readAll({ fromPosition: 5, limit: 2 })).map((e) => e.position)).toEqual(
          [5, 6],
        );
        expect((await store.readAll({ fromPosition: 9 })).length).toBe(0);
        const paged: number[] = [];
        for await (const p of store.pages({ fromPosition: 2, pageSize: 3 })) {
          paged.push(...p.map((e) => e.position));
        }
        expect(paged).toEqual([2, 3, 4, 5, 6, 7, 8]);
      });

      it('reads many streams at once, each as readStream would, in the order asked', async () => {
        const a = uniqueStreamId();
        const b = uniqueStreamId();
        expectOk(
          await store.appendToStream({
            streamId: a,
            expectedRevision: 'any',
            events: newTestEvents(a, 4),
          }),
        );
        expectOk(
          await store.appendToStream({
            streamId: b,
            expectedRevision: 'any',
            events: newTestEvents(b, 2),
          }),
        );
        const reads = [
          { streamId: b },
          { streamId: uniqueStreamId() },
          { streamId: a, fromRevision: 1, limit: 2 },
          { streamId: a },
        ];
        const pages = await store.readStreams(reads);
        expect(pages).toEqual(await Promise.all(reads.map((r) => store.readStream(r.streamId, r))));
        expect(pages.map((p) => p.map((e) => e.streamRevision))).toEqual([
          [0, 1],
          [],
          [1, 2],
          [0, 1, 2, 3],
        ]);
        expect(await store.readStreams([])).toEqual([]);
      });
    });

    describe('expected revision', () => {
      it('no_stream: succeeds on a new stream, fails once it exists', async () => {
        const streamId = uniqueStreamId();
        expectOk(
          await store.appendToStream({
            streamId,
            expectedRevision: 'no_stream',
            events: newTestEvents(streamId, 1),
          }),
        );
        await expectLogUnchanged(async () => {
          const details = expectCode(
            await store.appendToStream({
              streamId,
              expectedRevision: 'no_stream',
              events: newTestEvents(streamId, 1),
            }),
            'STALE_REVISION',
          );
          expect(details).toMatchObject({ expected: 'no_stream', actual: 0 });
        });
      });

      it('stream_exists: fails on a new stream, succeeds once it exists', async () => {
        const streamId = uniqueStreamId();
        await expectLogUnchanged(async () => {
          const details = expectCode(
            await store.appendToStream({
              streamId,
              expectedRevision: 'stream_exists',
              events: newTestEvents(streamId, 1),
            }),
            'STALE_REVISION',
          );
          expect(details).toMatchObject({ expected: 'stream_exists', actual: 'no_stream' });
        });
        expectOk(
          await store.appendToStream({
            streamId,
            expectedRevision: 'any',
            events: newTestEvents(streamId, 1),
          }),
        );
        expectOk(
          await store.appendToStream({
            streamId,
            expectedRevision: 'stream_exists',
            events: newTestEvents(streamId, 1),
          }),
        );
      });

      it('an exact revision must be the revision of the last event', async () => {
        const streamId = uniqueStreamId();
        await expectLogUnchanged(async () => {
          expectCode(
            await store.appendToStream({
              streamId,
              expectedRevision: 0,
              events: newTestEvents(streamId, 1),
            }),
            'STALE_REVISION',
          );
        });
        const first = expectOk(
          await store.appendToStream({
            streamId,
            expectedRevision: 'no_stream',
            events: newTestEvents(streamId, 2),
          }),
        );
        expect(first.nextRevision).toBe(1);
        await expectLogUnchanged(async () => {
          const details = expectCode(
            await store.appendToStream({
              streamId,
              expectedRevision: 0,
              events: newTestEvents(streamId, 1),
            }),
            'STALE_REVISION',
          );
          expect(details).toMatchObject({ expected: 0, actual: 1 });
        });
        const second = expectOk(
          await store.appendToStream({
            streamId,
            expectedRevision: first.nextRevision,
            events: newTestEvents(streamId, 1),
          }),
        );
        expect(second.nextRevision).toBe(2);
      });

      it('any: appends whatever the stream state', async () => {
        const streamId = uniqueStreamId();
        for (let i = 0; i < 3; i += 1) {
          expectOk(
            await store.appendToStream({
              streamId,
              expectedRevision: 'any',
              events: newTestEvents(streamId, 1),
            }),
          );
        }
        expect((await store.readStream(streamId)).length).toBe(3);
      });

      it('two appends racing for a new stream: exactly one wins', async () => {
        const streamId = uniqueStreamId();
        const results = await Promise.all(
          [0, 1].map(() =>
            store.appendToStream({
              streamId,
              expectedRevision: 'no_stream',
              events: newTestEvents(streamId, 1),
            }),
          ),
        );
        expect(results.filter((r) => r.ok).length).toBe(1);
        expectCode(results.find((r) => !r.ok) ?? (results[0] as AppendResult), 'STALE_REVISION');
        expect((await store.readStream(streamId)).length).toBe(1);
      });
    });

    describe('idempotency by event id', () => {
      it('the same events again return the original positions and write nothing', async () => {
        const streamId = uniqueStreamId();
        const events = newTestEvents(streamId, 3);
        const first = expectOk(
          await store.appendToStream({ streamId, expectedRevision: 'no_stream', events }),
        );
        expectOk(
          await store.appendToStream({
            streamId,
            expectedRevision: 2,
            events: newTestEvents(streamId, 1),
          }),
        );
        await expectLogUnchanged(async () => {
          // A retry carries the expected revision of the first try: still answered as a success.
          const again = expectOk(
            await store.appendToStream({
              streamId,
              expectedRevision: 'no_stream',
              events: events.map((e) => ({ ...e })),
            }),
          );
          expect(again).toEqual({ ...first, duplicate: true });
        });
      });

      it('a retry in the same batch as the original is answered with the same positions', async () => {
        const streamId = uniqueStreamId();
        const events = newTestEvents(streamId, 2);
        const [a, b] = await Promise.all([
          store.appendToStream({ streamId, expectedRevision: 'no_stream', events }),
          store.appendToStream({ streamId, expectedRevision: 'no_stream', events }),
        ]);
        const first = expectOk(a as AppendResult);
        expect(expectOk(b as AppendResult)).toEqual({ ...first, duplicate: true });
        expect((await store.readAll()).length).toBe(2);
      });

      it('the same id with other content is refused', async () => {
        const streamId = uniqueStreamId();
        const [event] = newTestEvents(streamId, 1) as [NewEvent];
        expectOk(
          await store.appendToStream({ streamId, expectedRevision: 'any', events: [event] }),
        );
        await expectLogUnchanged(async () => {
          const changed = { ...event, data: { n: 'changed' } };
          expectCode(
            await store.appendToStream({ streamId, expectedRevision: 'any', events: [changed] }),
            'EVENT_ID_CONFLICT',
          );
          const otherStream = uniqueStreamId();
          expectCode(
            await store.appendToStream({
              streamId: otherStream,
              expectedRevision: 'any',
              events: [{ ...event, streamId: otherStream }],
            }),
            'EVENT_ID_CONFLICT',
          );
          expectCode(
            await store.appendToStream({
              streamId,
              expectedRevision: 'any',
              events: [{ ...event, metadata: { ...event.metadata, correlationId: 'other' } }],
            }),
            'EVENT_ID_CONFLICT',
          );
        });
      });

      it('an append mixing recorded and new event ids is refused', async () => {
        const streamId = uniqueStreamId();
        const events = newTestEvents(streamId, 2);
        expectOk(await store.appendToStream({ streamId, expectedRevision: 'any', events }));
        await expectLogUnchanged(async () => {
          expectCode(
            await store.appendToStream({
              streamId,
              expectedRevision: 'any',
              events: [...events, ...newTestEvents(streamId, 1)],
            }),
            'PARTIAL_DUPLICATE',
          );
        });
      });
    });

    describe('limits and hostile input leave the log unchanged', () => {
      let streamId: string;
      beforeEach(async () => {
        streamId = uniqueStreamId();
        expectOk(
          await store.appendToStream({
            streamId,
            expectedRevision: 'any',
            events: newTestEvents(streamId, 2),
          }),
        );
      });

      const cases: [string, string, (streamId: string) => unknown][] = [
        [
          'an empty append',
          'EMPTY_APPEND',
          (s) => ({ streamId: s, expectedRevision: 'any', events: [] }),
        ],
        [
          'too many events',
          'TOO_MANY_EVENTS',
          (s) => ({
            streamId: s,
            expectedRevision: 'any',
            events: newTestEvents(s, defaultLedgerLimits.maxEventsPerAppend + 1),
          }),
        ],
        [
          'an oversized event',
          'EVENT_TOO_LARGE',
          (s) => ({
            streamId: s,
            expectedRevision: 'any',
            events: [newTestEvent(s, { blob: 'x'.repeat(defaultLedgerLimits.maxEventBytes) })],
          }),
        ],
        [
          'an unknown expected revision',
          'UNKNOWN_EXPECTED_REVISION',
          (s) => ({ streamId: s, expectedRevision: 'latest', events: newTestEvents(s, 1) }),
        ],
        [
          'a request that is JSON text, not an object',
          'VALIDATION_FAILED',
          () => '{"streamId": "incident-x"',
        ],
        ['no request at all', 'VALIDATION_FAILED', () => null],
        [
          'a wrong type in an event',
          'VALIDATION_FAILED',
          (s) => ({
            streamId: s,
            expectedRevision: 'any',
            events: [{ ...newTestEvent(s), schemaVersion: '1' }],
          }),
        ],
        [
          'data that JSONB cannot hold',
          'VALIDATION_FAILED',
          (s) => ({
            streamId: s,
            expectedRevision: 'any',
            events: [newTestEvent(s, { s: 'a\u0000b' })],
          }),
        ],
        [
          'an event for another stream',
          'VALIDATION_FAILED',
          (s) => ({
            streamId: s,
            expectedRevision: 'any',
            events: [newTestEvent('incident-elsewhere')],
          }),
        ],
        [
          'a malformed stream id',
          'VALIDATION_FAILED',
          () => ({
            streamId: 'no category',
            expectedRevision: 'any',
            events: [newTestEvent('incident-a')],
          }),
        ],
      ];
      for (const [title, code, make] of cases) {
        it(`${title} → ${code}`, async () => {
          await expectLogUnchanged(async () => {
            expectCode(await store.appendToStream(hostile(make(streamId))), code);
          });
        });
      }

      it('a hostile request fails alone: appends in the same batch still commit', async () => {
        const good = uniqueStreamId();
        const [bad, ok1, ok2] = await Promise.all([
          store.appendToStream(hostile({ streamId: good, expectedRevision: 'any', events: [] })),
          store.appendToStream({
            streamId: good,
            expectedRevision: 'no_stream',
            events: newTestEvents(good, 1),
          }),
          store.appendToStream({
            streamId: good,
            expectedRevision: 0,
            events: newTestEvents(good, 1),
          }),
        ]);
        expectCode(bad as AppendResult, 'EMPTY_APPEND');
        expect(expectOk(ok1 as AppendResult).positions).toEqual([3, 3]);
        expect(expectOk(ok2 as AppendResult).positions).toEqual([4, 4]);
      });
    });

    describe('group commit', () => {
      it('200 concurrent appends on distinct streams all commit at positions 1..N without gaps', async () => {
        const requests = Array.from({ length: 200 }, (_, i) => {
          const streamId = uniqueStreamId();
          return {
            streamId,
            expectedRevision: 'no_stream' as const,
            events: newTestEvents(streamId, 1 + (i % 3)),
          };
        });
        const total = requests.reduce((n, r) => n + r.events.length, 0);
        const results = (await Promise.all(requests.map((r) => store.appendToStream(r)))).map(
          expectOk,
        );
        const positions = results.flatMap((r) => {
          const [first, last] = r.positions;
          return Array.from({ length: last - first + 1 }, (_, i) => first + i);
        });
        expect([...positions].sort((x, y) => x - y)).toEqual(
          Array.from({ length: total }, (_, i) => i + 1),
        );
        const all = await store.readAll({ limit: 1_000 });
        expect(all.map((e) => e.position)).toEqual(Array.from({ length: total }, (_, i) => i + 1));
        for (const [i, r] of results.entries()) {
          const stored = all.slice(r.positions[0] - 1, r.positions[1]);
          expect(stored.map((e) => e.eventId)).toEqual(requests[i]?.events.map((e) => e.eventId));
        }
        const head = await store.head();
        expect(head.position).toBe(total);
        expect(await verifyChain(store.pages(), { expectedHead: head })).toMatchObject({
          ok: true,
          count: total,
        });
      });

      it('a stale request in a batch fails alone; the others commit', async () => {
        const contested = uniqueStreamId();
        expectOk(
          await store.appendToStream({
            streamId: contested,
            expectedRevision: 'any',
            events: newTestEvents(contested, 1),
          }),
        );
        const others = Array.from({ length: 20 }, () => uniqueStreamId());
        const results = await Promise.all([
          ...others.map((s) =>
            store.appendToStream({
              streamId: s,
              expectedRevision: 'no_stream',
              events: newTestEvents(s, 1),
            }),
          ),
          store.appendToStream({
            streamId: contested,
            expectedRevision: 5,
            events: newTestEvents(contested, 1),
          }),
        ]);
        expect(results.slice(0, 20).every((r) => r.ok)).toBe(true);
        expectCode(results[20] as AppendResult, 'STALE_REVISION');
        expect((await store.head()).position).toBe(21);
      });
    });
  });
}
