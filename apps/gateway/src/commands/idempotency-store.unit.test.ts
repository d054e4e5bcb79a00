// The Idempotency-Key store alone: replays, another body, concurrent duplicates, failures worth a
// retry forgotten, the size bound and the time to live.
import { describe, expect, it } from 'vitest';
import { IdempotencyKeyReused, IdempotencyStore } from './idempotency-store.js';

const keepAll = (): boolean => true;

describe('IdempotencyStore', () => {
  it('runs once per key and replays the first answer for the same body', async () => {
    const store = new IdempotencyStore();
    let runs = 0;
    const run = (): Promise<number> => Promise.resolve((runs += 1));
    expect(await store.once('k', 'body', run, keepAll)).toEqual({ replayed: false, value: 1 });
    expect(await store.once('k', 'body', run, keepAll)).toEqual({ replayed: true, value: 1 });
    expect(runs).toBe(1);
  });

  it('refuses the same key with another body', async () => {
    const store = new IdempotencyStore();
    await store.once('k', 'a', () => Promise.resolve(1), keepAll);
    await expect(store.once('k', 'b', () => Promise.resolve(2), keepAll)).rejects.toBeInstanceOf(
      IdempotencyKeyReused,
    );
  });

  it('lets concurrent duplicates wait for the first', async () => {
    const store = new IdempotencyStore();
    let release: (v: number) => void = () => undefined;
    const first = store.once('k', 'b', () => new Promise<number>((r) => (release = r)), keepAll);
    const second = store.once('k', 'b', () => Promise.resolve(99), keepAll);
    release(5);
    expect(await first).toEqual({ replayed: false, value: 5 });
    expect(await second).toEqual({ replayed: true, value: 5 });
  });

  it('replays a kept refusal and forgets one worth a retry', async () => {
    const store = new IdempotencyStore();
    const keepDomain = (o: { ok: boolean; error?: unknown }): boolean =>
      o.ok || o.error !== 'unavailable';
    await expect(store.once('a', 'b', () => Promise.reject('rule'), keepDomain)).rejects.toBe(
      'rule',
    );
    await expect(store.once('a', 'b', () => Promise.resolve(1), keepDomain)).rejects.toBe('rule');
    await expect(
      store.once('u', 'b', () => Promise.reject('unavailable'), keepDomain),
    ).rejects.toBe('unavailable');
    expect(await store.once('u', 'b', () => Promise.resolve(1), keepDomain)).toEqual({
      replayed: false,
      value: 1,
    });
  });

  it('keeps at most maxEntries, dropping the least recently used', async () => {
    const store = new IdempotencyStore(2);
    for (const k of ['a', 'b']) await store.once(k, 'x', () => Promise.resolve(k), keepAll);
    await store.once('a', 'x', () => Promise.resolve('again'), keepAll);
    await store.once('c', 'x', () => Promise.resolve('c'), keepAll);
    expect(store.size).toBe(2);
    expect((await store.once('a', 'x', () => Promise.resolve('new'), keepAll)).replayed).toBe(true);
    expect((await store.once('b', 'x', () => Promise.resolve('new'), keepAll)).replayed).toBe(
      false,
    );
  });

  it('forgets answers after the time to live', async () => {
    let now = 0;
    const store = new IdempotencyStore(10, 1_000, () => now);
    await store.once('k', 'a', () => Promise.resolve(1), keepAll);
    now = 1_000;
    expect(await store.once('k', 'b', () => Promise.resolve(2), keepAll)).toEqual({
      replayed: false,
      value: 2,
    });
  });
});
