// Constant-arrival-rate scheduling as k6 does it: iterations start on a fixed schedule whatever
// the latency; when every VU is busy the iteration is dropped and counted, never queued.

export interface SchedulerClock {
  now(): number;
  /** Resolves at `at` (ms, same scale as now()) or at once when that has passed. */
  sleepUntil(at: number): Promise<void>;
}

export const realClock: SchedulerClock = {
  now: () => Date.now(),
  sleepUntil: (at) => {
    const wait = at - Date.now();
    return wait <= 0 ? Promise.resolve() : new Promise((resolve) => setTimeout(resolve, wait));
  },
};

export interface ArrivalRateOptions {
  readonly rate: number;
  readonly timeUnitMs: number;
  readonly durationMs: number;
  /** Concurrent iterations at most (k6's maxVUs). */
  readonly maxVUs: number;
  /** Runs iteration `index` (0, 1, 2, ... over started iterations, like k6's iterationInTest). */
  readonly iterate: (index: number) => Promise<void>;
  readonly clock?: SchedulerClock;
  /** Stops scheduling early (Ctrl-C); in-flight iterations still finish. */
  readonly signal?: AbortSignal;
}

export interface ArrivalRateCounters {
  scheduled: number;
  started: number;
  completed: number;
  dropped: number;
  active: number;
  maxActive: number;
  /** Iterations that threw (a bug in the iteration, not an HTTP error). */
  crashed: number;
}

export interface ArrivalRateRun {
  readonly counters: ArrivalRateCounters;
  readonly done: Promise<ArrivalRateCounters>;
}

export function startArrivalRate(options: ArrivalRateOptions): ArrivalRateRun {
  if (!(options.rate > 0) || !(options.timeUnitMs > 0)) throw new Error('rate must be positive');
  const clock = options.clock ?? realClock;
  const interval = options.timeUnitMs / options.rate;
  const counters: ArrivalRateCounters = {
    scheduled: 0,
    started: 0,
    completed: 0,
    dropped: 0,
    active: 0,
    maxActive: 0,
    crashed: 0,
  };
  const inFlight = new Set<Promise<void>>();

  const loop = async (): Promise<ArrivalRateCounters> => {
    const start = clock.now();
    for (let k = 0; ; k += 1) {
      const offset = k * interval;
      if (offset >= options.durationMs || options.signal?.aborted === true) break;
      await clock.sleepUntil(start + offset);
      counters.scheduled += 1;
      if (counters.active >= options.maxVUs) {
        counters.dropped += 1;
        continue;
      }
      const index = counters.started;
      counters.started += 1;
      counters.active += 1;
      counters.maxActive = Math.max(counters.maxActive, counters.active);
      const running: Promise<void> = options
        .iterate(index)
        .catch(() => {
          counters.crashed += 1;
        })
        .finally(() => {
          counters.active -= 1;
          counters.completed += 1;
          inFlight.delete(running);
        });
      inFlight.add(running);
    }
    await Promise.all([...inFlight]);
    return counters;
  };
  return { counters, done: loop() };
}
