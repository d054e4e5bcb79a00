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
import type { z } from 'zod';
import { ledgerError, type LedgerError } from './ledger-error.js';
import {
  AppendReply,
  EventsPageReply,
  HeadReply,
  ledgerSubjects,
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
}

/** Pause between attempts while the leader changes: the standby polls its lock every ~500 ms. */
const retryPauseMs = 100;

type Reply<T> = { ok: true; value: T } | { ok: false; error: WireError };

export class LedgerClient {
  private readonly timeoutMs: number;
  private readonly retryNotLeaderForMs: number;
  private readonly encoder = new TextEncoder();

  constructor(
    private readonly nc: NatsConnection,
    options: LedgerClientOptions = {},
  ) {
    this.timeoutMs = options.timeoutMs ?? 5_000;
    this.retryNotLeaderForMs = options.retryNotLeaderForMs ?? 5_000;
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
    const deadline = Date.now() + this.retryNotLeaderForMs;
    for (;;) {
      const reply = await this.request(ledgerSubjects.append, payload, AppendReply);
      // While leadership moves nobody may answer, or a request may reach a leader as it dies and
      // time out; the events' own ids make the same request safe to send again.
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
    const { code, message, details } = reply.error;
    return err(ledgerError(code, message, details));
  }
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
