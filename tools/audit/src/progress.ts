// Progress for long runs, on standard error: events done and the rate, at most once a second, so
// an auditor can tell a slow verification from a stuck one.
export interface Progress {
  update(done: number): void;
  /** Prints the final figures (when the run was long enough to show progress at all). */
  finish(done: number): void;
}

export function createProgress(
  label: string,
  write: (line: string) => void,
  now: () => number = () => performance.now(),
): Progress {
  const started = now();
  let lastPrint = started;
  let printed = false;
  const line = (done: number, at: number) => {
    const seconds = Math.max((at - started) / 1_000, 1e-3);
    const rate = Math.round(done / seconds);
    return `${label}: ${done.toLocaleString('en-US')} events, ${rate.toLocaleString('en-US')} events/s`;
  };
  return {
    update(done) {
      const at = now();
      if (at - lastPrint < 1_000) return;
      lastPrint = at;
      printed = true;
      write(line(done, at));
    },
    finish(done) {
      if (printed) write(`${line(done, now())} (done)`);
    },
  };
}
