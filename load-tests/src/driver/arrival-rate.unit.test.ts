import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { startArrivalRate, type SchedulerClock } from './arrival-rate.ts';

const fakeClock: SchedulerClock = {
  now: () => Date.now(),
  sleepUntil: (at) => new Promise((resolve) => setTimeout(resolve, Math.max(0, at - Date.now()))),
};

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

describe('constant-arrival-rate scheduling', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('drops the iterations that find every VU busy, and starts the rest on schedule', async () => {
    const startedAt: number[] = [];
    const t0 = Date.now();
    // 10/s for 1 s with 2 VUs, each iteration 450 ms: at 0 and 100 ms both VUs get busy, 200-400
    // find none free; at 500 and 600 they are free again; 700-900 are dropped.
    const run = startArrivalRate({
      rate: 10,
      timeUnitMs: 1_000,
      durationMs: 1_000,
      maxVUs: 2,
      clock: fakeClock,
      iterate: async () => {
        startedAt.push(Date.now() - t0);
        await sleep(450);
      },
    });
    await vi.advanceTimersByTimeAsync(2_000);
    const counters = await run.done;
    expect(counters.scheduled).toBe(10);
    expect(counters.started).toBe(4);
    expect(counters.dropped).toBe(6);
    expect(counters.completed).toBe(4);
    expect(counters.maxActive).toBe(2);
    expect(startedAt).toEqual([0, 100, 500, 600]);
  });

  it('drops nothing when iterations finish before the next one is due', async () => {
    const indexes: number[] = [];
    const run = startArrivalRate({
      rate: 2,
      timeUnitMs: 1_000,
      durationMs: 3_000,
      maxVUs: 1,
      clock: fakeClock,
      iterate: async (index) => {
        indexes.push(index);
        await sleep(100);
      },
    });
    await vi.advanceTimersByTimeAsync(4_000);
    const counters = await run.done;
    expect(counters).toMatchObject({ scheduled: 6, started: 6, dropped: 0, crashed: 0 });
    expect(indexes).toEqual([0, 1, 2, 3, 4, 5]);
  });

  it('counts an iteration that throws and frees its VU', async () => {
    const run = startArrivalRate({
      rate: 1,
      timeUnitMs: 100,
      durationMs: 300,
      maxVUs: 1,
      clock: fakeClock,
      iterate: () => Promise.reject(new Error('bug')),
    });
    await vi.advanceTimersByTimeAsync(500);
    expect(await run.done).toMatchObject({ started: 3, dropped: 0, crashed: 3, active: 0 });
  });
});
