// Typed client of the ledger over NATS request-reply: validates every reply against the shared
// wire schemas, keeps error codes as sent, and rides out a leader change by retrying briefly.
import { err, type RecordedEvent, type Result } from '@hpe/domain';
import { injectTraceContext, natsHeadersCarrier } from '@hpe/telemetry';
import {
  headers as natsHeaders,
  RequestError,
  TimeoutError,
  type NatsConnection,
} from '@nats-io/transport-node';
import { groupBySize, joinJsonArray } from '@hpe/messaging';
import DataLoader from 'dataloader';
import type { z } from 'zod';
import { ledgerError, type LedgerError } from './ledger-error.js';
import {
  AppendManyReply,
  AppendReply,
  EventsPageReply,
  EventsPagesReply,
  HeadReply,
  ledgerSubjects,
  maxAppendsPerRequest,
  maxStreamsPerRead,
  type AppendRequest,
  type AppendSuccess,
  type EventsPage,
  type LogHead,
  type ReadAllRequest,
  type ReadStreamRequest,
  type WireError,
} from './wire.js';

export interface LedgerClientOptions {
  /** How long one request waits for its reply; 5 s by default. */
  readonly timeoutMs?: number;
  /**
   * How long an append keeps retrying while no leader takes it (NOT_LEADER, nobody subscribed
   * during a failover, or a reply lost with a dying leader); 5 s by default, 0 to fail at once.
   */
  readonly retryNotLeaderForMs?: number;
  /**
   * Gather the appends, and the first-page stream reads, made while the caller's work of one moment
   * runs into one `ledger.append.many` / `ledger.read.streams` request each (DataLoader's batching).
   * Each append is still decided alone and answered alone; a lone call goes out as it always did.
   * On by default: under load it saves a NATS round trip, a reply and a ledger task per command.
   */
  readonly batch?: boolean;
}

/** An append larger than this goes alone: batching saves nothing on it. */
const batchableAppendBytes = 64 * 1024;
/** A batch's message stays under this (and under half the server's max_payload). */
const maxBatchBytes = 1024 * 1024;

/** Pause between attempts while the leader changes: the standby polls its lock every ~500 ms. */
const retryPauseMs = 100;

type Reply<T> = { ok: true; value: T } | { ok: false; error: WireError };
type AppendResult = Result<AppendSuccess, LedgerError>;
type PageResult = Result<EventsPage, LedgerError>;

export class LedgerClient {
  private readonly timeoutMs: number;
  private readonly retryNotLeaderForMs: number;
  private readonly encoder = new TextEncoder();
  private readonly appends: DataLoader<Uint8Array, AppendResult> | undefined;
  private readonly firstPages: DataLoader<string, PageResult> | undefined;

  constructor(
    private readonly nc: NatsConnection,
    options: LedgerClientOptions = {},
  ) {
    this.timeoutMs = options.timeoutMs ?? 5_000;
    this.retryNotLeaderForMs = options.retryNotLeaderForMs ?? 5_000;
    if (options.batch ?? true) {
      // No cache: every call is its own request; DataLoader only gathers them.
      this.appends = new DataLoader((payloads) => this.appendBatch(payloads), {
        cache: false,
        maxBatchSize: maxAppendsPerRequest,
      });
      this.firstPages = new DataLoader((streamIds) => this.readFirstPages(streamIds), {
        cache: false,
        maxBatchSize: maxStreamsPerRead,
      });
    }
  }

  /**
   * Appends events to one stream. Event ids come from the caller (UUIDv7), so a retry after a
   * timeout or LEDGER_UNAVAILABLE with the same request is idempotent.
   */
  async append(request: AppendRequest): Promise<Result<AppendSuccess, LedgerError>> {
    const payload = this.encoder.encode(JSON.stringify(request));
    // The server's max_payload is a hard limit of the connection: a larger publish would throw.
    const maxPayload = this.nc.info?.max_payload;
    if (maxPayload !== undefined && payload.byteLength > maxPayload) {
      return err(
        ledgerError(
          'APPEND_TOO_LARGE',
          `the append is ${payload.byteLength} bytes; NATS carries at most ${maxPayload}`,
          { bytes: payload.byteLength, limit: maxPayload },
        ),
      );
    }
    if (this.appends === undefined || payload.byteLength > batchableAppendBytes)
      return this.appendAlone(payload);
    return this.appends.load(payload);
  }

  /**
   * Many appends in one request, answered in order, each as `append` would answer it (its own
   * STALE_REVISION, its own duplicate detection). The ledger commits them together.
   */
  appendMany(requests: readonly AppendRequest[]): Promise<AppendResult[]> {
    return this.appendBatch(requests.map((r) => this.encoder.encode(JSON.stringify(r))));
  }

  private appendAlone(payload: Uint8Array): Promise<AppendResult> {
    return this.leaderRetry(() => this.request(ledgerSubjects.append, payload, AppendReply));
  }

  private async appendBatch(payloads: readonly Uint8Array[]): Promise<AppendResult[]> {
    if (payloads.length === 1 && payloads[0] !== undefined)
      return [await this.appendAlone(payloads[0])];
    const chunks = this.chunks(payloads);
    const answered = await Promise.all(
      chunks.map(async (chunk) => {
        const body = joinJsonArray('appends', chunk);
        const reply = await this.leaderRetry(() =>
          this.request(ledgerSubjects.appendMany, body, AppendManyReply),
        );
        return perRequest(reply, chunk.length, ledgerSubjects.appendMany, (r) =>
          r.results.map((one): AppendResult => (one.ok ? one : this.failed(one.error))),
        );
      }),
    );
    return answered.flat();
  }

  /** Groups of payloads that fit one message, in order. */
  private chunks(payloads: readonly Uint8Array[]): Uint8Array[][] {
    const limit = Math.min(maxBatchBytes, (this.nc.info?.max_payload ?? 2 * maxBatchBytes) / 2);
    return groupBySize(payloads, (p) => p.byteLength, limit, maxAppendsPerRequest);
  }

  /** While leadership moves nobody may answer, or a request may reach a leader as it dies and
   * time out; the events' own ids make the same request safe to send again. */
  private async leaderRetry<T>(
    send: () => Promise<Result<T, LedgerError>>,
  ): Promise<Result<T, LedgerError>> {
    const deadline = Date.now() + this.retryNotLeaderForMs;
    for (;;) {
      const reply = await send();
      const leaderless =
        !reply.ok &&
        (reply.error.code === 'NOT_LEADER' ||
          (reply.error.code === 'LEDGER_UNAVAILABLE' &&
            (reply.error.details?.['noResponders'] === true ||
              reply.error.details?.['timeout'] === true)));
      if (!leaderless || Date.now() + retryPauseMs > deadline) return reply;
      await new Promise((resolve) => setTimeout(resolve, retryPauseMs));
    }
  }

  /** One page of a stream's events from `fromRevision` (0 by default). */
  readStream(
    streamId: string,
    options: Omit<ReadStreamRequest, 'streamId'> = {},
  ): Promise<Result<EventsPage, LedgerError>> {
    // Loading an aggregate starts with its first page: those are gathered. A page after a cut is
    // read alone, so a long stream always makes progress.
    if (
      this.firstPages !== undefined &&
      options.limit === undefined &&
      options.fromRevision === undefined
    )
      return this.firstPages.load(streamId);
    return this.readStreamAlone(streamId, options);
  }

  /** The first page of many streams in one request, in order (a page may be cut: see nextFrom). */
  readStreams(streamIds: readonly string[]): Promise<PageResult[]> {
    return this.readFirstPages(streamIds);
  }

  private async readFirstPages(streamIds: readonly string[]): Promise<PageResult[]> {
    if (streamIds.length === 1 && streamIds[0] !== undefined)
      return [await this.readStreamAlone(streamIds[0])];
    const groups = groupBySize(streamIds, () => 0, Infinity, maxStreamsPerRead);
    const answered = await Promise.all(
      groups.map(async (group) => {
        const reply = await this.request(
          ledgerSubjects.readStreams,
          this.encoder.encode(JSON.stringify({ reads: group.map((streamId) => ({ streamId })) })),
          EventsPagesReply,
        );
        return perRequest(reply, group.length, ledgerSubjects.readStreams, (r) =>
          r.pages.map((page): PageResult => ({ ok: true, value: page })),
        );
      }),
    );
    return answered.flat();
  }

  private readStreamAlone(
    streamId: string,
    options: Omit<ReadStreamRequest, 'streamId'> = {},
  ): Promise<PageResult> {
    return this.request(
      ledgerSubjects.readStream,
      this.encoder.encode(JSON.stringify({ streamId, ...options })),
      EventsPageReply,
    );
  }

  /** One page of the global log from `fromPosition` (1 by default). */
  readAll(options: ReadAllRequest = {}): Promise<Result<EventsPage, LedgerError>> {
    return this.request(
      ledgerSubjects.readAll,
      this.encoder.encode(JSON.stringify(options)),
      EventsPageReply,
    );
  }

  /** Every event from a position on, page by page, until the head at the time of reading. */
  async *events(fromPosition = 1): AsyncGenerator<RecordedEvent[]> {
    let from: number | undefined = fromPosition;
    while (from !== undefined) {
      const page = await this.readAll({ fromPosition: from });
      if (!page.ok) throw new LedgerRequestError(page.error);
      if (page.value.events.length > 0) yield page.value.events;
      from = page.value.nextFrom;
    }
  }

  /** The last position and its hash (position 0 and the genesis hash for an empty log). */
  head(): Promise<Result<LogHead, LedgerError>> {
    return this.request(ledgerSubjects.head, this.encoder.encode('{}'), HeadReply);
  }

  private async request<T>(
    subject: string,
    payload: Uint8Array,
    schema: z.ZodType<Reply<T>>,
  ): Promise<Result<T, LedgerError>> {
    const h = natsHeaders();
    injectTraceContext(natsHeadersCarrier(h));
    let text: string;
    try {
      const msg = await this.nc.request(subject, payload, { timeout: this.timeoutMs, headers: h });
      text = msg.string();
    } catch (error) {
      return err(unavailable(subject, error, this.timeoutMs));
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      return err(ledgerError('PROTOCOL_ERROR', `${subject}: the reply is not JSON`));
    }
    const parsed = schema.safeParse(json);
    if (!parsed.success) {
      return err(
        ledgerError('PROTOCOL_ERROR', `${subject}: the reply does not match the protocol`, {
          issues: parsed.error.issues
            .slice(0, 5)
            .map((i) => ({ path: i.path, message: i.message })),
        }),
      );
    }
    const reply = parsed.data;
    if (reply.ok) return reply;
    return this.failed(reply.error);
  }

  private failed(error: WireError): { ok: false; error: LedgerError } {
    return err(ledgerError(error.code, error.message, error.details));
  }
}

/**
 * The answers of a batched request, one per call: the reply's own list when it has one per call, the
 * request's failure for each call otherwise.
 */
function perRequest<R, T>(
  reply: Result<R, LedgerError>,
  count: number,
  subject: string,
  answers: (value: R) => Result<T, LedgerError>[],
): Result<T, LedgerError>[] {
  if (!reply.ok) return Array.from({ length: count }, () => reply);
  const each = answers(reply.value);
  if (each.length === count) return each;
  const mismatch = err(
    ledgerError('PROTOCOL_ERROR', `${subject}: ${each.length} answers for ${count} requests`),
  );
  return Array.from({ length: count }, () => mismatch);
}

/** Thrown by the iterator `events()`, which has no Result to return. */
export class LedgerRequestError extends Error {
  constructor(readonly error: LedgerError) {
    super(`${error.code}: ${error.message}`);
    this.name = 'LedgerRequestError';
  }
}

function unavailable(subject: string, error: unknown, timeoutMs: number): LedgerError {
  if (error instanceof RequestError && error.isNoResponders()) {
    return ledgerError('LEDGER_UNAVAILABLE', `${subject}: no ledger instance is listening`, {
      noResponders: true,
    });
  }
  if (
    error instanceof TimeoutError ||
    (error instanceof Error && error.cause instanceof TimeoutError)
  ) {
    return ledgerError('LEDGER_UNAVAILABLE', `${subject}: no answer within ${timeoutMs} ms`, {
      timeout: true,
    });
  }
  return ledgerError(
    'LEDGER_UNAVAILABLE',
    `${subject}: ${error instanceof Error ? error.message : String(error)}`,
  );
}

/**
 * A whole stream, page by page. The first page is asked for without a revision, so a batching
 * client gathers it with other loads; the pages after a cut are asked for alone.
 */
export async function readWholeStream(
  ledger: Pick<LedgerClient, 'readStream'>,
  streamId: string,
): Promise<Result<RecordedEvent[], LedgerError>> {
  const recorded: RecordedEvent[] = [];
  let page = await ledger.readStream(streamId);
  for (;;) {
    if (!page.ok) return page;
    recorded.push(...page.value.events);
    const from = page.value.nextFrom;
    if (from === undefined) return { ok: true, value: recorded };
    page = await ledger.readStream(streamId, { fromRevision: from });
  }
}
