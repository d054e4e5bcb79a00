// Where the CPU goes during a run on the embedded stack: CPU seconds per process of the stack
// (each app, nats-server, and PostgreSQL with all its backends), read from /proc before and after.
// Linux only; elsewhere it reports nothing rather than guess.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export type CpuSample = ReadonlyMap<string, number>;

const ticksPerSecond = 100;

function processTicks(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces) start after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // utime and stime are fields 14 and 15 of stat: 12 and 13 after the name.
    return Number(fields[11]) + Number(fields[12]);
  } catch {
    return undefined;
  }
}

function childrenOf(pid: number): number[] {
  const out: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === pid) out.push(Number(entry));
    } catch {
      // The process ended while we looked.
    }
  }
  return out;
}

/** The stack's processes by name, from its run folder (and PostgreSQL's postmaster.pid). */
export function stackProcesses(dataDir: string): Map<string, number[]> {
  const found = new Map<string, number[]>();
  const runDir = join(dataDir, 'run');
  if (!existsSync('/proc') || !existsSync(runDir)) return found;
  for (const file of readdirSync(runDir)) {
    if (!file.endsWith('.pid')) continue;
    const pid = Number(readFileSync(join(runDir, file), 'utf8').trim());
    if (Number.isInteger(pid) && pid > 0) found.set(file.slice(0, -4), [pid]);
  }
  const postmaster = join(dataDir, 'postgres', 'postmaster.pid');
  if (existsSync(postmaster)) {
    const pid = Number(readFileSync(postmaster, 'utf8').split('\n')[0]);
    // PostgreSQL works in its backends: count the postmaster and every child.
    if (Number.isInteger(pid) && pid > 0) found.set('postgres', [pid, ...childrenOf(pid)]);
  }
  return found;
}

/** CPU seconds so far per process name (backends that ended since are not counted). */
export function sampleCpu(dataDir: string): CpuSample {
  const sample = new Map<string, number>();
  for (const [name, pids] of stackProcesses(dataDir)) {
    const ticks = pids.map(processTicks).reduce<number>((sum, t) => sum + (t ?? 0), 0);
    sample.set(name, ticks / ticksPerSecond);
  }
  return sample;
}

/** CPU seconds used between two samples, by process, largest first. */
export function cpuBetween(before: CpuSample, after: CpuSample): [string, number][] {
  return [...after]
    .map(([name, seconds]): [string, number] => [name, seconds - (before.get(name) ?? 0)])
    .sort((a, b) => b[1] - a[1]);
}
