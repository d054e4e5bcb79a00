// The ledger's NATS request-reply API: appends (leader only, queue group ledger-writers) and reads
// (every instance, ledger-readers). Each request runs in a span continuing the caller's trace.
import { codedError, type CodedError, type RecordedEvent } from '@hpe/domain';
import {
  HeadRequest,
  ledgerQueues,
  ledgerSubjects,
  maxAppendsPerRequest,
  ReadAllRequest,
  ReadStreamRequest,
  ReadStreamsRequest,
  type EventsPage,
  type LedgerErrorCode,
} from '@hpe/ledger-client';
import { maxSubjectTokenLength } from '@hpe/messaging';
import { extractTraceContext, natsHeadersCarrier, withSpan, type LogSink } from '@hpe/telemetry';
import type { Msg, NatsConnection, Subscription } from '@nats-io/transport-node';
import type { z } from 'zod';
import { parseAppendRequestJson } from '../storage/append-request.js';
import { fitStreamPages } from './fit-stream-pages.js';
import type { EventStore } from '../storage/event-store.js';

export interface LedgerApiOptions {
  readonly nc: NatsConnection;
  readonly store: EventStore;
  readonly log: LogSink;
  /** Largest `limit` a read may ask for (the store's page size). */
  readonly maxReadLimit: number;
  /** Whether this instance holds the leader lock right now. */
  readonly isLeader: () => boolean;
}

type WireResult = { ok: true; value: unknown } | { ok: false; error: CodedError<LedgerErrorCode> };

/** Room left in a reply for the envelope around the events (`{"ok":true,"value":{...}}`). */
const replyOverheadBytes = 1_024;

export class LedgerApi {
  private readonly encoder = new TextEncoder();
  private readonly decoder = new TextDecoder();
  private readers: Subscription[] = [];
  private writers: Subscription[] = [];
  private readonly inFlight = new Set<Promise<void>>();
  private readonly counts = {
    append: 0,
    appendMany: 0,
    readStream: 0,
    readStreams: 0,
    readAll: 0,
    head: 0,
  };

  constructor(private readonly options: LedgerApiOptions) {}

  /** Subscribes the read subjects; every instance serves them. */
  startReads(): void {
    if (this.readers.length > 0) return;
    this.readers = [
      this.serve(ledgerSubjects.readStream, ledgerQueues.readers, 'readStream', this.readStream),
      this.serve(ledgerSubjects.readStreams, ledgerQueues.readers, 'readStreams', this.readStreams),
      this.serve(ledgerSubjects.readAll, ledgerQueues.readers, 'readAll', this.readAll),
      this.serve(ledgerSubjects.head, ledgerQueues.readers, 'head', this.head),
    ];
  }

  /** Subscribes `ledger.append` and `ledger.append.many`; only the leader calls this. */
  startWrites(): void {
    if (this.writers.length > 0) return;
    this.writers = [
      this.serve(ledgerSubjects.append, ledgerQueues.writers, 'append', this.append),
      this.serve(ledgerSubjects.appendMany, ledgerQueues.writers, 'appendMany', this.appendMany),
    ];
  }

  private serve(
    subject: string,
    queue: string,
    operation: keyof LedgerApi['counts'],
    work: (this: LedgerApi, msg: Msg) => Promise<WireResult>,
  ): Subscription {
    return this.options.nc.subscribe(subject, {
      queue,
      callback: (_e, msg) => this.handle(msg, operation, (m) => work.call(this, m)),
    });
  }

  /**
   * Stops taking appends at once. Messages the server already routed here are still answered,
   * NOT_LEADER when leadership is gone, so their senders retry elsewhere instead of timing out.
   */
  stopWrites(): void {
    const writers = this.writers;
    this.writers = [];
    for (const sub of writers) sub.unsubscribe();
  }

  /** Requests this instance answered, per operation (metrics; tests check who served what). */
  get served(): Readonly<Record<keyof LedgerApi['counts'], number>> {
    return { ...this.counts };
  }

  get servingWrites(): boolean {
    return this.writers.length > 0;
  }

  /** Stops every subscription and waits for the requests being handled. */
  async close(): Promise<void> {
    this.stopWrites();
    for (const sub of this.readers) sub.unsubscribe();
    this.readers = [];
    await this.settled();
  }

  /** Waits until every request taken so far has its answer. */
  async settled(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }

  private handle(
    msg: Msg,
    operation: keyof LedgerApi['counts'],
    work: (msg: Msg) => Promise<WireResult>,
  ): void {
    const parent =
      msg.headers === undefined ? undefined : extractTraceContext(natsHeadersCarrier(msg.headers));
    const done: Promise<void> = withSpan(
      `ledger.${operation}`,
      { 'messaging.system': 'nats', 'messaging.destination.name': msg.subject },
      async () => {
        let result: WireResult;
        try {
          result = await work(msg);
        } catch (error) {
          // Storage failures on reads (database down) are expected conditions, not crashes.
          this.options.log.error({ err: error, subject: msg.subject }, 'ledger request failed');
          result = failure(
            operation === 'append' || operation === 'appendMany'
              ? 'APPEND_FAILED'
              : 'LEDGER_UNAVAILABLE',
            `the ledger could not serve ${msg.subject}: ${error instanceof Error ? error.message : String(error)}`,
          );
        }
        this.counts[operation] += 1;
        this.respond(msg, result);
      },
      parent === undefined ? {} : { parent },
    )
      .catch((error: unknown) => {
        this.options.log.error({ err: error, subject: msg.subject }, 'ledger reply failed');
      })
      .finally(() => this.inFlight.delete(done));
    this.inFlight.add(done);
  }

  private respond(msg: Msg, result: WireResult): void {
    // A request without a reply subject (a plain publish) gets no answer: nobody would read it.
    if (msg.reply === undefined || msg.reply === '') return;
    msg.respond(this.encoder.encode(JSON.stringify(result)));
  }

  private async append(msg: Msg): Promise<WireResult> {
    if (!this.options.isLeader()) {
      return failure('NOT_LEADER', 'this ledger instance is a standby; retry', {});
    }
    const parsed = parseAppendRequestJson(this.decoder.decode(msg.data));
    if (!parsed.ok) return parsed;
    return this.appendOne(parsed.value);
  }

  /**
   * `{appends: [...]}`: each append validated and decided alone, all handed to the store at once
   * (its group commit writes them in one transaction); one answer per append, in order.
   */
  private async appendMany(msg: Msg): Promise<WireResult> {
    if (!this.options.isLeader()) {
      return failure('NOT_LEADER', 'this ledger instance is a standby; retry', {});
    }
    const parsed = parseAppendRequestJson(this.decoder.decode(msg.data));
    if (!parsed.ok) return parsed;
    const request = parsed.value;
    if (
      typeof request !== 'object' ||
      request === null ||
      Array.isArray(request) ||
      Object.keys(request).some((key) => key !== 'appends') ||
      !('appends' in request) ||
      !Array.isArray(request.appends)
    ) {
      return failure('VALIDATION_FAILED', 'the request must be {"appends": [append, …]}');
    }
    const appends: unknown[] = request.appends;
    if (appends.length === 0 || appends.length > maxAppendsPerRequest) {
      return failure(
        'VALIDATION_FAILED',
        `appends must hold from 1 to ${maxAppendsPerRequest} appends`,
        { count: appends.length, limit: maxAppendsPerRequest },
      );
    }
    const results = await Promise.all(appends.map((append) => this.appendOne(append)));
    return { ok: true, value: { results } };
  }

  private async appendOne(request: unknown): Promise<WireResult> {
    const streamId = streamIdOf(request);
    if (streamId !== undefined && streamId.length > maxSubjectTokenLength) {
      // The relay publishes on events.<category>.<streamId>: a longer id could never be relayed.
      return failure(
        'VALIDATION_FAILED',
        `streamId is longer than ${maxSubjectTokenLength} characters`,
        { length: streamId.length, limit: maxSubjectTokenLength },
      );
    }
    return this.options.store.appendToStream(
      // The store validates the request whatever its static type (it comes from the network).
      request as Parameters<EventStore['appendToStream']>[0],
    );
  }

  private async readStream(msg: Msg): Promise<WireResult> {
    const request = this.parse(msg, ReadStreamRequest);
    if (!request.ok) return request;
    const { streamId, fromRevision = 0 } = request.value;
    const limit = this.checkLimit(request.value.limit);
    if (!limit.ok) return limit;
    const events = await this.options.store.readStream(streamId, {
      fromRevision,
      limit: limit.value,
    });
    return this.page(events, limit.value, (e) => e.streamRevision + 1);
  }

  /**
   * Many streams' pages in one reply. They share one NATS message: a page that does not fit comes
   * back cut (or empty) with `nextFrom`, and the caller reads on with `ledger.read.stream`.
   */
  private async readStreams(msg: Msg): Promise<WireResult> {
    const request = this.parse(msg, ReadStreamsRequest);
    if (!request.ok) return request;
    const reads = [];
    for (const read of request.value.reads) {
      const limit = this.checkLimit(read.limit);
      if (!limit.ok) return limit;
      reads.push({
        streamId: read.streamId,
        fromRevision: read.fromRevision ?? 0,
        limit: limit.value,
      });
    }
    const found = await this.options.store.readStreams(reads);
    const maxPayload = this.options.nc.info?.max_payload ?? 1024 * 1024;
    const pages = fitStreamPages(reads, found, maxPayload - replyOverheadBytes);
    return { ok: true, value: { pages } };
  }

  private async readAll(msg: Msg): Promise<WireResult> {
    const request = this.parse(msg, ReadAllRequest);
    if (!request.ok) return request;
    const limit = this.checkLimit(request.value.limit);
    if (!limit.ok) return limit;
    const events = await this.options.store.readAll({
      fromPosition: request.value.fromPosition ?? 1,
      limit: limit.value,
    });
    return this.page(events, limit.value, (e) => e.position + 1);
  }

  private async head(msg: Msg): Promise<WireResult> {
    if (msg.data.length > 0) {
      const request = this.parse(msg, HeadRequest);
      if (!request.ok) return request;
    }
    return { ok: true, value: await this.options.store.head() };
  }

  /**
   * The events that fit in one NATS message; `nextFrom` says where to continue when the page was
   * cut or full. Sizes are measured on the encoded events, so the reply cannot exceed max_payload.
   */
  private page(
    events: readonly RecordedEvent[],
    limit: number,
    next: (event: RecordedEvent) => number,
  ): WireResult {
    const maxPayload = this.options.nc.info?.max_payload ?? 1024 * 1024;
    let bytes = replyOverheadBytes;
    const fitting: RecordedEvent[] = [];
    for (const event of events) {
      bytes += Buffer.byteLength(JSON.stringify(event), 'utf8') + 1;
      // One event always fits: events are far smaller than max_payload (LEDGER_MAX_EVENT_BYTES).
      if (bytes > maxPayload && fitting.length > 0) break;
      fitting.push(event);
    }
    const last = fitting.at(-1);
    const more = fitting.length < events.length || events.length === limit;
    const value: EventsPage =
      more && last !== undefined ? { events: fitting, nextFrom: next(last) } : { events: fitting };
    return { ok: true, value };
  }

  private parse<T>(
    msg: Msg,
    schema: z.ZodType<T>,
  ): { ok: true; value: T } | { ok: false; error: CodedError<LedgerErrorCode> } {
    let json: unknown;
    try {
      json = msg.data.length === 0 ? {} : JSON.parse(this.decoder.decode(msg.data));
    } catch (error) {
      return failure(
        'VALIDATION_FAILED',
        `the request is not valid JSON: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
    const parsed = schema.safeParse(json);
    if (!parsed.success) {
      return failure('VALIDATION_FAILED', `the ${msg.subject} request is not valid`, {
        issues: parsed.error.issues.slice(0, 10).map((i) => ({
          path: i.path.map((p) => (typeof p === 'symbol' ? String(p) : p)),
          message: i.message,
        })),
      });
    }
    return { ok: true, value: parsed.data };
  }

  private checkLimit(
    limit: number | undefined,
  ): { ok: true; value: number } | { ok: false; error: CodedError<LedgerErrorCode> } {
    const max = this.options.maxReadLimit;
    if (limit === undefined) return { ok: true, value: max };
    if (limit > max) {
      return failure('VALIDATION_FAILED', `limit must be at most ${max}`, { limit, max });
    }
    return { ok: true, value: limit };
  }
}

function streamIdOf(request: unknown): string | undefined {
  if (typeof request !== 'object' || request === null || !('streamId' in request)) return undefined;
  return typeof request.streamId === 'string' ? request.streamId : undefined;
}

function failure(
  code: LedgerErrorCode,
  message: string,
  details?: Readonly<Record<string, unknown>>,
): { ok: false; error: CodedError<LedgerErrorCode> } {
  return { ok: false, error: codedError(code, message, details) };
}
