// A latency histogram with logarithmic buckets (about 1 % wide): constant memory however long the
// run, percentiles within 1 %, the exact maximum, and an ASCII picture for the terminal.

const minMs = 0.01;
const growth = 1.01;
const logGrowth = Math.log(growth);

export interface LatencySummary {
  readonly count: number;
  readonly min: number;
  readonly mean: number;
  readonly p50: number;
  readonly p90: number;
  readonly p99: number;
  readonly max: number;
}

export class LatencyHistogram {
  private readonly buckets = new Map<number, number>();
  private total = 0;
  private sum = 0;
  private lowest = Number.POSITIVE_INFINITY;
  private highest = 0;

  record(ms: number): void {
    const value = Math.max(ms, 0);
    const index = value <= minMs ? 0 : Math.ceil(Math.log(value / minMs) / logGrowth);
    this.buckets.set(index, (this.buckets.get(index) ?? 0) + 1);
    this.total += 1;
    this.sum += value;
    this.lowest = Math.min(this.lowest, value);
    this.highest = Math.max(this.highest, value);
  }

  get count(): number {
    return this.total;
  }

  /** The smallest bucket bound with at least q of the samples at or below it (capped at max). */
  percentile(q: number): number {
    if (this.total === 0) return 0;
    const rank = Math.max(1, Math.ceil(q * this.total));
    let seen = 0;
    for (const index of [...this.buckets.keys()].sort((a, b) => a - b)) {
      seen += this.buckets.get(index) ?? 0;
      if (seen >= rank) return Math.min(this.highest, Math.max(this.lowest, upperBound(index)));
    }
    return this.highest;
  }

  summary(): LatencySummary {
    return {
      count: this.total,
      min: this.total === 0 ? 0 : this.lowest,
      mean: this.total === 0 ? 0 : this.sum / this.total,
      p50: this.percentile(0.5),
      p90: this.percentile(0.9),
      p99: this.percentile(0.99),
      max: this.highest,
    };
  }

  /** Counts per display range (ms), for the report and the JSON summary. */
  ranges(edges: readonly number[] = displayEdges): { label: string; count: number }[] {
    const counts = edges.map(() => 0);
    let over = 0;
    for (const [index, n] of this.buckets) {
      const bound = upperBound(index);
      const at = edges.findIndex((edge) => bound <= edge * 1.0000001);
      if (at === -1) over += n;
      else counts[at] = (counts[at] ?? 0) + n;
    }
    const out = edges.map((edge, i) => ({
      label: `<= ${edge} ms`,
      count: counts[i] ?? 0,
    }));
    out.push({ label: `> ${edges.at(-1) ?? 0} ms`, count: over });
    return out;
  }

  ascii(width = 40): string {
    const rows = this.ranges();
    const most = Math.max(1, ...rows.map((r) => r.count));
    return rows
      .map((r) => {
        const bar = '#'.repeat(Math.round((r.count / most) * width));
        return `  ${r.label.padStart(12)} | ${bar.padEnd(width)} ${r.count}`;
      })
      .join('\n');
  }
}

const displayEdges = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1_000, 5_000];

function upperBound(index: number): number {
  return index === 0 ? minMs : minMs * growth ** index;
}
