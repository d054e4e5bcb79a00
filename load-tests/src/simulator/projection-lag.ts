// Projection lag during a run: the projector's own figure (GET /status on its health port: the age
// of the last event it applied while it is behind, 0 when caught up), sampled four times a second.
import { LatencyHistogram, type LatencySummary } from '../driver/histogram.ts';

export class ProjectionLagSampler {
  private readonly samples = new LatencyHistogram();
  private timer: NodeJS.Timeout | undefined;
  private reachable = false;

  constructor(private readonly projectorUrl: string) {}

  start(): void {
    this.timer = setInterval(() => void this.sample(), 250);
  }

  stop(): void {
    clearInterval(this.timer);
  }

  /** Undefined when the projector never answered (another host, or no projector). */
  summary(): LatencySummary | undefined {
    return this.reachable ? this.samples.summary() : undefined;
  }

  private async sample(): Promise<void> {
    try {
      const res = await fetch(`${this.projectorUrl}/status`, {
        signal: AbortSignal.timeout(1_000),
      });
      const body = (await res.json()) as { lagSeconds?: unknown };
      if (typeof body.lagSeconds !== 'number') return;
      this.reachable = true;
      this.samples.record(body.lagSeconds * 1_000);
    } catch {
      // Not reachable now; the summary says so if it never was.
    }
  }
}
