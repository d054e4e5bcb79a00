// What the driver records per scenario while it runs: latency, statuses, problem codes, missing
// endpoints, and the accepted commands per polling area that the reconciliation checks.
import type { RequestSpec } from '../scenarios/definitions.ts';
import type { SentRequest } from './api-client.ts';
import { LatencyHistogram } from './histogram.ts';

export class ScenarioStats {
  readonly histogram = new LatencyHistogram();
  readonly statuses = new Map<number, number>();
  readonly codes = new Map<string, number>();
  readonly acceptedByArea: Record<string, number> = {};
  /** The highest figure accepted per area (turnout only grows, so also the last one). */
  readonly lastTurnout: Record<string, number> = {};
  requests = 0;
  ok = 0;
  failed = 0;
  endpointMissing = 0;
  exhausted = 0;
  maxPosition = 0;

  record(spec: RequestSpec, sent: SentRequest): void {
    this.requests += 1;
    this.histogram.record(sent.ms);
    this.statuses.set(sent.status, (this.statuses.get(sent.status) ?? 0) + 1);
    if (spec.expectedStatuses.includes(sent.status)) {
      this.ok += 1;
      const area = spec.tags.pollingAreaId;
      if (area !== undefined) this.acceptedByArea[area] = (this.acceptedByArea[area] ?? 0) + 1;
      const position = (sent.body as { position?: unknown } | undefined)?.position;
      if (typeof position === 'number') this.maxPosition = Math.max(this.maxPosition, position);
      const figure = (spec.body as { votersVoted?: unknown } | undefined)?.votersVoted;
      if (
        spec.tags.scenario === 'turnoutReports' &&
        area !== undefined &&
        typeof figure === 'number'
      ) {
        this.lastTurnout[area] = Math.max(this.lastTurnout[area] ?? 0, figure);
      }
      return;
    }
    this.failed += 1;
    if (sent.endpointMissing) this.endpointMissing += 1;
    const code = sent.code ?? (sent.status === 0 ? 'NETWORK' : 'no code');
    const key = `${sent.status} ${code}${sent.endpointMissing ? ' (endpoint missing)' : ''}`;
    this.codes.set(key, (this.codes.get(key) ?? 0) + 1);
  }

  errorRate(): number {
    return this.requests === 0 ? 0 : this.failed / this.requests;
  }
}
