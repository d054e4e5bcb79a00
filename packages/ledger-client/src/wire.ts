// The ledger's NATS protocol, defined once: subjects, request and reply schemas (zod) and error
// codes. The ledger service imports these very schemas, so both ends cannot drift apart.
import { NewEvent, RecordedEvent, StreamId } from '@hpe/domain';
import { z } from 'zod';

/** Request-reply subjects. Appends go to the leader only; reads go to any instance. */
export const ledgerSubjects = {
  append: 'ledger.append',
  /** Many appends in one message, each decided alone (the ledger group-commits them). */
  appendMany: 'ledger.append.many',
  readStream: 'ledger.read.stream',
  /** The first page of many streams in one message. */
  readStreams: 'ledger.read.streams',
  readAll: 'ledger.read.all',
  head: 'ledger.head',
} as const;

/** Queue groups: one writer answers each append, any reader answers each read. */
export const ledgerQueues = { writers: 'ledger-writers', readers: 'ledger-readers' } as const;

/** stream_revision is a PostgreSQL INT: the largest revision the ledger can hold. */
export const maxStreamRevision = 2_147_483_647;

export const ExpectedRevision = z.union([
  z.literal('any'),
  z.literal('no_stream'),
  z.literal('stream_exists'),
  z.number().int().min(0).max(maxStreamRevision),
]);
export type ExpectedRevision = z.infer<typeof ExpectedRevision>;

/**
 * The append request as a caller builds it. The ledger checks incoming appends with its own
 * validator instead of this schema, because that one gives each failure its own code
 * (EMPTY_APPEND, TOO_MANY_EVENTS, EVENT_TOO_LARGE, UNKNOWN_EXPECTED_REVISION, …) and canonicalises.
 */
export const AppendRequest = z
  .object({
    streamId: StreamId,
    expectedRevision: ExpectedRevision,
    events: z.array(NewEvent),
  })
  .strict();
export type AppendRequest = z.infer<typeof AppendRequest>;

export const AppendSuccess = z
  .object({
    positions: z.tuple([z.number().int().min(1), z.number().int().min(1)]),
    nextRevision: z.number().int().min(0),
    eventIds: z.array(z.string()),
    duplicate: z.literal(true).optional(),
  })
  .strict();
export type AppendSuccess = z.infer<typeof AppendSuccess>;

const revisionOrPosition = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);
const limit = z.number().int().min(1).max(100_000);

export const ReadStreamRequest = z
  .object({
    streamId: StreamId,
    fromRevision: revisionOrPosition.optional(),
    limit: limit.optional(),
  })
  .strict();
export type ReadStreamRequest = z.infer<typeof ReadStreamRequest>;

export const ReadAllRequest = z
  .object({
    fromPosition: revisionOrPosition.optional(),
    limit: limit.optional(),
  })
  .strict();
export type ReadAllRequest = z.infer<typeof ReadAllRequest>;

/** Most appends one `ledger.append.many` may carry, and most streams one `ledger.read.streams`. */
export const maxAppendsPerRequest = 1_000;
export const maxStreamsPerRead = 1_000;

/**
 * `ledger.read.streams`: one page per read, answered in the same order. The pages share one NATS
 * message, so a page may come back cut or empty with `nextFrom` set: read on with `ledger.read.stream`.
 */
export const ReadStreamsRequest = z
  .object({ reads: z.array(ReadStreamRequest).min(1).max(maxStreamsPerRead) })
  .strict();
export type ReadStreamsRequest = z.infer<typeof ReadStreamsRequest>;

/** `ledger.head` takes an empty body or `{}`. */
export const HeadRequest = z.object({}).strict();

/**
 * A page of events. It may hold fewer than `limit` events when more would not fit in one NATS
 * message; `nextFrom` is where the next page starts (a revision or a position), absent at the end.
 */
export const EventsPage = z
  .object({
    events: z.array(RecordedEvent),
    nextFrom: revisionOrPosition.optional(),
  })
  .strict();
export type EventsPage = z.infer<typeof EventsPage>;

export const LogHead = z
  .object({
    position: z.number().int().min(0),
    hash: z.string().regex(/^[0-9a-f]{64}$/),
  })
  .strict();
export type LogHead = z.infer<typeof LogHead>;

/** Codes the ledger's storage gives appends; defined once here, used by the store and the client. */
export const storeErrorCodes = [
  /** The request has no events. */
  'EMPTY_APPEND',
  /** More events than `maxEventsPerAppend`. */
  'TOO_MANY_EVENTS',
  /** An event's canonical data + metadata exceed `maxEventBytes`. */
  'EVENT_TOO_LARGE',
  /** The whole request exceeds `maxAppendBytes`. */
  'APPEND_TOO_LARGE',
  /** The request or an event is not what the envelope schema and JSON rules allow. */
  'VALIDATION_FAILED',
  /** `expectedRevision` is none of `any`, `no_stream`, `stream_exists` or a revision number. */
  'UNKNOWN_EXPECTED_REVISION',
  /** The stream is not at the expected revision; details hold `expected` and `actual`. */
  'STALE_REVISION',
  /** An event id is already recorded (or earlier in the same batch) with other content. */
  'EVENT_ID_CONFLICT',
  /** Some of the request's event ids are recorded and some are not: neither a retry nor new. */
  'PARTIAL_DUPLICATE',
  /** Too many events are waiting to be written; retry later. */
  'LEDGER_OVERLOADED',
  /** The storage failed to commit; nothing of this request was written. Safe to retry. */
  'APPEND_FAILED',
  /** The store is closed. */
  'STORE_CLOSED',
] as const;

export const ledgerErrorCodes = [
  ...storeErrorCodes,
  /** The instance that got the append is a standby (the client retries briefly). */
  'NOT_LEADER',
  /** No instance answered (no responders, timeout) or the ledger's storage failed a read. */
  'LEDGER_UNAVAILABLE',
  /** A reply that is not what the protocol says: a bug or a version mismatch. */
  'PROTOCOL_ERROR',
] as const;
export const LedgerErrorCode = z.enum(ledgerErrorCodes);
export type LedgerErrorCode = z.infer<typeof LedgerErrorCode>;

export const WireError = z
  .object({
    code: LedgerErrorCode,
    message: z.string(),
    details: z.record(z.string(), z.unknown()).optional(),
  })
  .strict();
export type WireError = z.infer<typeof WireError>;

/** Every reply: `{ok: true, value}` or `{ok: false, error}`. */
export function replySchema<T extends z.ZodType>(value: T) {
  return z.discriminatedUnion('ok', [
    z.object({ ok: z.literal(true), value }).strict(),
    z.object({ ok: z.literal(false), error: WireError }).strict(),
  ]);
}

export const AppendReply = replySchema(AppendSuccess);
/** `ledger.append.many`: one reply per append, in request order (`{appends: AppendRequest[]}`). */
export const AppendManyReply = replySchema(z.object({ results: z.array(AppendReply) }).strict());
export const EventsPagesReply = replySchema(z.object({ pages: z.array(EventsPage) }).strict());
export const EventsPageReply = replySchema(EventsPage);
export const HeadReply = replySchema(LogHead);
