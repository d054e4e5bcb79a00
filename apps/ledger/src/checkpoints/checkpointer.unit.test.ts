import { generateKeyPairSync } from 'node:crypto';
import type { RecordedEvent } from '@hpe/domain';
import { ok } from '@hpe/domain';
import { v7 as uuidv7 } from 'uuid';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { GENESIS_HASH } from '../chain/chain-hash.js';
import { sealEvent } from '../chain/seal-event.js';
import { verifyChain } from '../chain/verify-chain.js';
import type { AppendRequest, AppendResult, EventStore, LogHead } from '../storage/event-store.js';
import { checkpointEventType } from './checkpoint-event.js';
import { createCheckpointer, type Checkpointer } from './checkpointer.js';
import { signingKeyOf } from './signing-key.js';
import { verifyCheckpoints } from './verify-checkpoints.js';

/**
 * A test double of our own EventStore interface, in memory: enough of it for the checkpointer
 * (append with 'any', head, readAll). The real store is exercised in tools/audit's int test.
 */
class FakeEventStore implements EventStore {
  readonly events: RecordedEvent[] = [];
  failNextAppends = 0;

  appendToStream(request: AppendRequest): Promise<AppendResult> {
    if (this.failNextAppends > 0) {
      this.failNextAppends -= 1;
      return Promise.reject(new Error('database went away'));
    }
    const first = this.events.length + 1;
    for (const event of request.events) {
      const position = this.events.length + 1;
      const revision = this.events.filter((e) => e.streamId === event.streamId).length;
      this.events.push(
        sealEvent(
          {
            ...event,
            position,
            streamRevision: revision,
            recordedAt: '2026-03-15T02:30:00.000Z',
          },
          this.events.at(-1)?.hash ?? GENESIS_HASH,
        ),
      );
    }
    return Promise.resolve(
      ok({
        positions: [first, this.events.length] as const,
        nextRevision: 0,
        eventIds: request.events.map((e) => e.eventId),
      }),
    );
  }
  readStream(): Promise<RecordedEvent[]> {
    throw new Error('not used by the checkpointer');
  }
  readStreams(): Promise<RecordedEvent[][]> {
    throw new Error('not used by the checkpointer');
  }
  readAll(options: { fromPosition?: number; limit?: number } = {}): Promise<RecordedEvent[]> {
    const from = options.fromPosition ?? 1;
    return Promise.resolve(this.events.slice(from - 1, from - 1 + (options.limit ?? 1_000)));
  }
  head(): Promise<LogHead> {
    const last = this.events.at(-1);
    return Promise.resolve(last ?? { position: 0, hash: GENESIS_HASH });
  }
  // eslint-disable-next-line require-yield -- the checkpointer never pages
  async *pages(): AsyncIterable<RecordedEvent[]> {
    throw new Error('not used by the checkpointer');
  }
  close(): Promise<void> {
    return Promise.resolve();
  }

  async appendOrdinary(count: number): Promise<number> {
    let last = 0;
    for (let i = 0; i < count; i += 1) {
      const result = await this.appendToStream({
        streamId: 'incident-a',
        expectedRevision: 'any',
        events: [
          {
            eventId: uuidv7(),
            type: 'IncidentReported',
            schemaVersion: 1,
            streamId: 'incident-a',
            data: { i },
            metadata: {
              occurredAt: '2026-03-15T09:30:00+07:00',
              actor: { id: 'reporter-7', role: 'reporter' },
              correlationId: 'c',
            },
          },
        ],
      });
      if (!result.ok) throw new Error('fake append failed');
      last = result.value.positions[1];
    }
    return last;
  }

  checkpointPositions(): number[] {
    return this.events.filter((e) => e.type === checkpointEventType).map((e) => e.position);
  }
}

const key = signingKeyOf(generateKeyPairSync('ed25519').privateKey);

describe('checkpointer', () => {
  let store: FakeEventStore;
  let checkpointer: Checkpointer;
  const warnings: string[] = [];

  function make(everyEvents: number, everyMs: number): Checkpointer {
    return createCheckpointer({
      store,
      signer: key,
      everyEvents,
      everyMs,
      clock: () => new Date('2026-03-15T02:30:00.000Z'),
      newEventId: uuidv7,
      log: { info: () => undefined, warn: (_fields, message) => warnings.push(message) },
    });
  }

  beforeEach(() => {
    store = new FakeEventStore();
    warnings.length = 0;
  });
  afterEach(async () => {
    await checkpointer.stop();
    vi.useRealTimers();
  });

  it('appends nothing on an empty log', async () => {
    checkpointer = make(10, 1_000);
    expect(await checkpointer.checkpointNow()).toEqual({ appended: false, why: 'empty' });
    expect(store.events).toHaveLength(0);
  });

  it('signs the head before the checkpoint, and never twice in a row', async () => {
    checkpointer = make(10, 1_000);
    await store.appendOrdinary(3);
    const head = await store.head();
    expect(await checkpointer.checkpointNow()).toEqual({
      appended: true,
      position: 4,
      headPosition: 3,
      headHash: head.hash,
    });
    expect(await checkpointer.checkpointNow()).toEqual({ appended: false, why: 'unchanged' });
    expect(store.checkpointPositions()).toEqual([4]);
    expect((await verifyChain(store.events)).ok).toBe(true);
    expect(verifyCheckpoints(store.events, [key.publicKey])).toMatchObject({
      ok: true,
      checkpoints: 1,
    });
  });

  it('finds a checkpoint at the head written before a restart and does not repeat it', async () => {
    checkpointer = make(10, 1_000);
    await store.appendOrdinary(2);
    await checkpointer.checkpointNow();
    const restarted = make(10, 1_000);
    expect(await restarted.checkpointNow()).toEqual({ appended: false, why: 'unchanged' });
    expect(store.checkpointPositions()).toEqual([3]);
  });

  it('appends a checkpoint every N events as commits are noted', async () => {
    checkpointer = make(5, 60_000);
    for (let i = 0; i < 12; i += 1) {
      checkpointer.noteCommitted(await store.appendOrdinary(1));
      // Let a triggered checkpoint finish before the next commit, as a slow writer would.
      await checkpointer.stop();
    }
    // Five events, a checkpoint (6), five more (7..11), a checkpoint (12), two more.
    expect(store.checkpointPositions()).toEqual([6, 12]);
    expect(verifyCheckpoints(store.events, [key.publicKey])).toMatchObject({
      ok: true,
      checkpoints: 2,
    });
  });

  it('appends on the timer only when something new was recorded', async () => {
    vi.useFakeTimers();
    checkpointer = make(1_000, 1_000);
    checkpointer.start();
    await vi.advanceTimersByTimeAsync(1_000);
    await checkpointer.stop();
    expect(store.events).toHaveLength(0);

    await store.appendOrdinary(2);
    checkpointer.start();
    await vi.advanceTimersByTimeAsync(999);
    await checkpointer.stop();
    expect(store.checkpointPositions()).toEqual([]);
    checkpointer.start();
    await vi.advanceTimersByTimeAsync(1_000);
    await checkpointer.stop();
    expect(store.checkpointPositions()).toEqual([3]);

    // Nothing new since: further ticks append nothing.
    checkpointer.start();
    await vi.advanceTimersByTimeAsync(5_000);
    await checkpointer.stop();
    expect(store.checkpointPositions()).toEqual([3]);

    await store.appendOrdinary(1);
    checkpointer.start();
    await vi.advanceTimersByTimeAsync(1_000);
    await checkpointer.stop();
    expect(store.checkpointPositions()).toEqual([3, 5]);
  });

  it('logs a failed append and retries on the next tick', async () => {
    vi.useFakeTimers();
    checkpointer = make(1_000, 1_000);
    await store.appendOrdinary(1);
    store.failNextAppends = 1;
    checkpointer.start();
    await vi.advanceTimersByTimeAsync(1_000);
    await checkpointer.stop();
    expect(store.checkpointPositions()).toEqual([]);
    expect(warnings).toHaveLength(1);
    checkpointer.start();
    await vi.advanceTimersByTimeAsync(1_000);
    await checkpointer.stop();
    expect(store.checkpointPositions()).toEqual([2]);
  });

  it('refuses nonsense settings', () => {
    checkpointer = make(1, 1);
    expect(() => make(0, 1_000)).toThrow(RangeError);
    expect(() => make(10, 0)).toThrow(RangeError);
  });
});
