// Sends the field's requests as their time comes: a bounded number in flight, one lane at a time
// where order matters (an area's turnout, an incident's triage), retries with the same
// Idempotency-Key when the stack is away, and the tally of what was accepted, refused as planned,
// or failed — per event type and polling area, for the reconciliation.
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type { ApiClient, SentRequest } from '../driver/api-client.ts';
import { LatencyHistogram } from '../driver/histogram.ts';
import { mathRandomBytes } from '../scenarios/random-ids.ts';
import { traceparent } from '../scenarios/traceparent.ts';
import type { FieldRequest } from './field-requests.ts';

/** count[eventType][pollingAreaId] */
export type CountsByArea = Record<string, Record<string, number>>;

export interface Failure {
  readonly endpoint: string;
  readonly pollingAreaId: string;
  readonly status: number;
  readonly code: string;
  readonly expected: string;
}

export interface DispatchStats {
  sent: number;
  accepted: number;
  refusedAsPlanned: number;
  failed: number;
  retries: number;
  skipped: number;
  /** Events the stack recorded for what it accepted (and for planned refusals). */
  readonly recorded: CountsByArea;
  readonly failuresByCode: Record<string, number>;
  readonly failureSamples: Failure[];
  readonly latency: LatencyHistogram;
  readonly latencyByEndpoint: Map<string, LatencyHistogram>;
  /** The highest log position an answer named. */
  lastPosition: number;
}

const retryStatuses = new Set([0, 429, 502, 503]);
const maxAttempts = 6;

function positionOf(body: unknown): number | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const b = body as { position?: unknown; details?: { position?: unknown } };
  if (typeof b.position === 'number') return b.position;
  if (typeof b.details?.position === 'number') return b.details.position;
  return undefined;
}

export class Dispatcher {
  readonly stats: DispatchStats = {
    sent: 0,
    accepted: 0,
    refusedAsPlanned: 0,
    failed: 0,
    retries: 0,
    skipped: 0,
    recorded: {},
    failuresByCode: {},
    failureSamples: [],
    latency: new LatencyHistogram(),
    latencyByEndpoint: new Map(),
    lastPosition: 0,
  };
  private inFlight = 0;
  private readonly waiters: (() => void)[] = [];
  private readonly lanes = new Map<string, Promise<void>>();
  /** Field times of requests dispatched and not finished, oldest first (dispatch is in order). */
  private readonly outstanding: number[] = [];
  private outstandingHead = 0;
  private readonly finished = new Map<number, number>();
  private readonly idle: (() => void)[] = [];

  constructor(
    private readonly client: ApiClient,
    private readonly concurrency: number,
  ) {}

  /** The field time of the oldest request not finished yet, or undefined when none is. */
  oldestOutstanding(): number | undefined {
    this.compact();
    return this.outstanding[this.outstandingHead];
  }

  get pending(): number {
    return this.outstanding.length - this.outstandingHead;
  }

  /** Queues a request; resolves once it has a slot (so the caller feels back-pressure). */
  async dispatch(request: FieldRequest): Promise<void> {
    this.outstanding.push(request.atMs);
    const done = (): void => {
      this.finished.set(request.atMs, (this.finished.get(request.atMs) ?? 0) + 1);
      this.compact();
      if (this.pending === 0) for (const resolve of this.idle.splice(0)) resolve();
    };
    const run = async (): Promise<void> => {
      await this.slot();
      try {
        await this.send(request);
      } finally {
        this.release();
        done();
      }
    };
    if (request.lane === undefined) {
      await this.slotFree();
      void run();
      return;
    }
    const previous = this.lanes.get(request.lane) ?? Promise.resolve();
    const next = previous.then(run);
    this.lanes.set(request.lane, next);
    void next.finally(() => {
      if (this.lanes.get(request.lane ?? '') === next) this.lanes.delete(request.lane ?? '');
    });
    await this.slotFree();
  }

  /** Resolves when everything dispatched so far has finished. */
  drained(): Promise<void> {
    if (this.pending === 0) return Promise.resolve();
    return new Promise((resolve) => this.idle.push(resolve));
  }

  private compact(): void {
    while (this.outstandingHead < this.outstanding.length) {
      const at = this.outstanding[this.outstandingHead] ?? 0;
      const count = this.finished.get(at) ?? 0;
      if (count === 0) break;
      if (count === 1) this.finished.delete(at);
      else this.finished.set(at, count - 1);
      this.outstandingHead += 1;
    }
    if (this.outstandingHead > 100_000) {
      this.outstanding.splice(0, this.outstandingHead);
      this.outstandingHead = 0;
    }
  }

  private slot(): Promise<void> {
    if (this.inFlight < this.concurrency) {
      this.inFlight += 1;
      return Promise.resolve();
    }
    return new Promise((resolve) =>
      this.waiters.push(() => {
        this.inFlight += 1;
        resolve();
      }),
    );
  }

  /** Waits while every slot is taken and others already wait: the dispatch loop slows down. */
  private async slotFree(): Promise<void> {
    while (this.inFlight >= this.concurrency && this.waiters.length > 0) {
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
  }

  private release(): void {
    this.inFlight -= 1;
    this.waiters.shift()?.();
  }

  private count(eventType: string, pollingAreaId: string): void {
    const byArea = (this.stats.recorded[eventType] ??= {});
    byArea[pollingAreaId] = (byArea[pollingAreaId] ?? 0) + 1;
  }

  private async send(request: FieldRequest): Promise<void> {
    const path = request.path();
    if (path === undefined) {
      // The incident this triage step belongs to was never reported.
      this.stats.skipped += 1;
      return;
    }
    const headers = {
      'idempotency-key': randomUUID(),
      traceparent: traceparent(mathRandomBytes),
    };
    let answer: SentRequest | undefined;
    for (let attempt = 1; attempt <= maxAttempts; attempt += 1) {
      const auth = await this.client.authorization(request.user);
      const started = performance.now();
      answer = await this.client.raw('POST', path, request.body, { ...headers, ...auth });
      const ms = performance.now() - started;
      this.stats.sent += 1;
      this.stats.latency.record(ms);
      let byEndpoint = this.stats.latencyByEndpoint.get(request.endpoint);
      if (byEndpoint === undefined) {
        byEndpoint = new LatencyHistogram();
        this.stats.latencyByEndpoint.set(request.endpoint, byEndpoint);
      }
      byEndpoint.record(ms);
      if (answer.status === 401 && attempt === 1) {
        this.client.forget(request.user);
        continue;
      }
      if (!retryStatuses.has(answer.status) || attempt === maxAttempts) break;
      this.stats.retries += 1;
      await new Promise((resolve) => setTimeout(resolve, 200 * 2 ** (attempt - 1)));
    }
    if (answer === undefined) return;
    const position = positionOf(answer.body);
    if (position !== undefined && position > this.stats.lastPosition)
      this.stats.lastPosition = position;
    if (request.expect === undefined && answer.status === 201) {
      this.stats.accepted += 1;
      this.count(request.eventType, request.pollingAreaId);
      request.onAccepted?.(answer.body);
      return;
    }
    if (request.expect !== undefined && answer.status === 422 && answer.code === request.expect) {
      this.stats.refusedAsPlanned += 1;
      if (request.refusalEventType !== undefined)
        this.count(request.refusalEventType, request.pollingAreaId);
      return;
    }
    this.stats.failed += 1;
    request.onFailed?.();
    const code = `${answer.status} ${answer.code ?? ''}`.trim();
    this.stats.failuresByCode[code] = (this.stats.failuresByCode[code] ?? 0) + 1;
    if (this.stats.failureSamples.length < 20)
      this.stats.failureSamples.push({
        endpoint: request.endpoint,
        pollingAreaId: request.pollingAreaId,
        status: answer.status,
        code: answer.code ?? '',
        expected: request.expect ?? '201',
      });
  }
}
