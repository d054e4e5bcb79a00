import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { HashedEventFields } from './canonical-event.js';
import { GENESIS_HASH } from './chain-hash.js';
import { sealEvent, sealEvents } from './seal-event.js';
import {
  ChainVerifier,
  verifyChain,
  type ChainEvent,
  type VerifyChainResult,
} from './verify-chain.js';

function unsealed(
  position: number,
  data: Record<string, unknown> = { n: position },
): HashedEventFields {
  return {
    position,
    eventId: `01957b2e-8c00-7000-8000-${String(position).padStart(12, '0')}`,
    type: 'IncidentReported',
    schemaVersion: 1,
    streamId: `incident-${position % 3}`,
    streamRevision: Math.floor((position - 1) / 3),
    data,
    metadata: {
      occurredAt: '2026-03-15T09:00:00+07:00',
      actor: { id: 'ops-1', role: 'ops' },
      correlationId: `c-${position}`,
    },
    recordedAt: '2026-03-15T02:00:00.000Z',
  };
}

function chainOf(length: number): ChainEvent[] {
  return sealEvents(
    Array.from({ length }, (_, i) => unsealed(i + 1)),
    GENESIS_HASH,
  );
}

function failure(result: VerifyChainResult): { position: number; reason: string } {
  if (result.ok)
    throw new Error(`expected the chain to fail, it verified: ${JSON.stringify(result)}`);
  return { position: result.firstBadPosition, reason: result.reason };
}

async function* pagesOf(events: ChainEvent[], size: number): AsyncGenerator<ChainEvent[]> {
  for (let i = 0; i < events.length; i += size) yield events.slice(i, i + size);
}

describe('verifyChain', () => {
  it('accepts an intact chain and reports its range and head', async () => {
    const chain = chainOf(10);
    const result = await verifyChain(chain);
    expect(result).toEqual({
      ok: true,
      checkedFrom: 1,
      checkedTo: 10,
      headHash: chain[9]?.hash,
      count: 10,
    });
  });

  it('accepts an empty log, whose head is the genesis value', async () => {
    expect(await verifyChain([])).toEqual({
      ok: true,
      checkedFrom: 1,
      checkedTo: 0,
      headHash: GENESIS_HASH,
      count: 0,
    });
  });

  it('reads async sources of single events or of pages alike', async () => {
    const chain = chainOf(25);
    const single = async function* (): AsyncGenerator<ChainEvent> {
      yield* chain;
    };
    expect((await verifyChain(single())).ok).toBe(true);
    expect(await verifyChain(pagesOf(chain, 7))).toEqual(await verifyChain(chain));
  });

  it('continues from a checkpoint: fromPosition and the checkpoint hash', async () => {
    const chain = chainOf(10);
    const tail = chain.slice(4);
    const result = await verifyChain(tail, {
      fromPosition: 5,
      expectedPrevHash: chain[3]?.hash ?? '',
    });
    expect(result).toMatchObject({ ok: true, checkedFrom: 5, checkedTo: 10, count: 6 });
    expect(failure(await verifyChain(tail, { fromPosition: 5 }))).toEqual({
      position: 5,
      reason: 'BROKEN_LINK',
    });
  });

  it('names the position of an edited event (hash mismatch)', async () => {
    const chain = chainOf(10);
    chain[6] = { ...(chain[6] as ChainEvent), data: { n: 999 } };
    expect(failure(await verifyChain(chain))).toEqual({ position: 7, reason: 'HASH_MISMATCH' });
  });

  it('names an edit of any hashed field, including recordedAt and streamRevision', async () => {
    for (const edit of [
      { recordedAt: '2026-03-15T02:00:00.001Z' },
      { streamRevision: 42 },
      { type: 'IncidentResolved' },
      { metadata: { occurredAt: 'x', actor: { id: 'a', role: 'ops' }, correlationId: 'c' } },
    ]) {
      const chain = chainOf(5);
      chain[2] = { ...(chain[2] as ChainEvent), ...edit };
      expect(failure(await verifyChain(chain))).toEqual({ position: 3, reason: 'HASH_MISMATCH' });
    }
  });

  it('names the position of a removed event', async () => {
    const chain = chainOf(10);
    chain.splice(3, 1);
    expect(failure(await verifyChain(chain))).toEqual({ position: 4, reason: 'POSITION_MISMATCH' });
  });

  it('names the first displaced position when two events are swapped', async () => {
    const chain = chainOf(10);
    const [a, b] = [chain[2] as ChainEvent, chain[6] as ChainEvent];
    chain[2] = b;
    chain[6] = a;
    expect(failure(await verifyChain(chain))).toEqual({ position: 3, reason: 'POSITION_MISMATCH' });
  });

  it('names a renumbered event: moved to another position, it no longer hashes', async () => {
    const chain = chainOf(10);
    const [a, b] = [chain[2] as ChainEvent, chain[6] as ChainEvent];
    // What a swap of the position column looks like when read back in position order.
    chain[2] = { ...b, position: 3 };
    chain[6] = { ...a, position: 7 };
    expect(failure(await verifyChain(chain))).toEqual({ position: 3, reason: 'BROKEN_LINK' });
  });

  it('names the event after a re-hashed edit: its link to the edited event is broken', async () => {
    const chain = chainOf(10);
    const original = chain[4] as ChainEvent;
    chain[4] = sealEvent({ ...original, data: { n: -1 } }, original.prevHash);
    expect(failure(await verifyChain(chain))).toEqual({ position: 6, reason: 'BROKEN_LINK' });
  });

  it('catches a cut tail only against an expected head (a checkpoint)', async () => {
    const chain = chainOf(10);
    const head = { position: 10, hash: chain[9]?.hash ?? '' };
    const cut = chain.slice(0, 8);
    expect((await verifyChain(cut)).ok).toBe(true);
    expect(failure(await verifyChain(cut, { expectedHead: head }))).toEqual({
      position: 9,
      reason: 'HEAD_MISMATCH',
    });
    expect((await verifyChain(chain, { expectedHead: head })).ok).toBe(true);
  });

  it('reports an event that cannot be canonicalised instead of throwing', async () => {
    const chain = chainOf(3);
    chain[1] = { ...(chain[1] as ChainEvent), data: { x: Number.NaN } };
    expect(failure(await verifyChain(chain))).toEqual({ position: 2, reason: 'UNHASHABLE' });
  });

  it('stops at the first failure and keeps the last verified range', () => {
    const chain = chainOf(6);
    chain[3] = { ...(chain[3] as ChainEvent), data: {} };
    const verifier = new ChainVerifier();
    expect(verifier.pushAll(chain)).toBe(false);
    expect(verifier.result()).toMatchObject({
      ok: false,
      checkedTo: 3,
      headHash: chain[2]?.hash,
      count: 3,
      firstBadPosition: 4,
    });
  });
});

// Property-based: the chain is only as good as its worst case, so let fast-check look for it.
const jsonObject = fc.dictionary(
  fc.string({ maxLength: 8 }),
  fc.oneof(
    fc.string(),
    fc.integer(),
    fc.double({ noNaN: true, noDefaultInfinity: true }),
    fc.boolean(),
    fc.constant(null),
  ),
  { maxKeys: 5 },
);

const arbitraryLog = fc
  .array(
    fc.record({
      type: fc.constantFrom('CheckInRecorded', 'TurnoutReported', 'IncidentReported'),
      streamId: fc.constantFrom('voter-a', 'turnout-1', 'incident-9'),
      data: jsonObject,
      recordedAt: fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
    }),
    { minLength: 1, maxLength: 40 },
  )
  .map((items) => {
    const revisions = new Map<string, number>();
    return sealEvents(
      items.map((item, i): HashedEventFields => {
        const streamRevision = (revisions.get(item.streamId) ?? -1) + 1;
        revisions.set(item.streamId, streamRevision);
        return {
          ...item,
          position: i + 1,
          eventId: `01957b2e-8c00-7000-8000-${String(i).padStart(12, '0')}`,
          schemaVersion: 1,
          streamRevision,
          metadata: {
            occurredAt: item.recordedAt,
            actor: { id: 'x', role: 'system' },
            correlationId: 'c',
          },
        };
      }),
      GENESIS_HASH,
    );
  });

describe('verifyChain, property-based', () => {
  it('any sequence of sealed events verifies, ending at its last hash', async () => {
    await fc.assert(
      fc.asyncProperty(arbitraryLog, async (log) => {
        const result = await verifyChain(log);
        expect(result).toMatchObject({
          ok: true,
          checkedTo: log.length,
          headHash: log.at(-1)?.hash,
        });
      }),
    );
  });

  it('any single edit, swap or removal is found at the position where it happened', async () => {
    const mutation = fc.oneof(
      fc.record({ kind: fc.constant('edit' as const), at: fc.nat(), value: fc.integer() }),
      fc.record({ kind: fc.constant('swap' as const), at: fc.nat(), other: fc.nat() }),
      fc.record({ kind: fc.constant('drop' as const), at: fc.nat() }),
    );
    await fc.assert(
      fc.asyncProperty(arbitraryLog, mutation, async (log, m) => {
        const head = { position: log.length, hash: log.at(-1)?.hash ?? GENESIS_HASH };
        const events = [...log];
        const i = m.at % events.length;
        let expectedPosition: number;
        switch (m.kind) {
          case 'edit': {
            const target = events[i] as ChainEvent;
            // A key no generated object has, so the content surely changes.
            events[i] = { ...target, data: { ...(target.data as object), 'mutated!': m.value } };
            expectedPosition = i + 1;
            break;
          }
          case 'swap': {
            fc.pre(events.length >= 2);
            const j = (i + 1 + (m.other % (events.length - 1))) % events.length;
            const [lo, hi] = [Math.min(i, j), Math.max(i, j)];
            [events[lo], events[hi]] = [events[hi] as ChainEvent, events[lo] as ChainEvent];
            expectedPosition = lo + 1;
            break;
          }
          case 'drop':
            events.splice(i, 1);
            expectedPosition = i + 1;
            break;
          default: {
            const unknown: never = m;
            throw new Error(`unknown mutation ${JSON.stringify(unknown)}`);
          }
        }
        const result = await verifyChain(events, { expectedHead: head });
        expect(failure(result).position).toBe(expectedPosition);
      }),
    );
  });
});
