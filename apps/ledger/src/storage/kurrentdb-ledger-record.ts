// The pure half of the KurrentDB store: stream names, the ledger fields kept in event metadata,
// expected-revision checks and how the client's errors become the store's coded errors.
import {
  jsonEvent,
  MaxAppendSizeExceededError,
  NO_STREAM,
  WrongExpectedVersionError,
  type AppendStreamState,
  type CurrentStreamState,
  type EventData,
  type JSONEventType,
} from '@kurrent/kurrentdb-client';
import { codedError, RecordedEvent } from '@hpe/domain';
import { canonicalEventJsonFromParts } from '../chain/canonical-event.js';
import { canonicalJson } from '../chain/canonical-json.js';
import type { ChainHasher } from '../chain/chain-hash.js';
import type { ValidatedAppend, ValidatedEvent } from './append-request.js';
import type { AppendError, AppendSuccess, ExpectedRevision, LogHead } from './event-store.js';

/** Version of the `ledger` metadata layout, so a later layout can be told apart on read. */
export const kurrentLedgerLayout = 1;

/**
 * What KurrentDB cannot give the ledger by itself: the gap-free position, the chain link and the
 * time that were hashed. The stream revision is KurrentDB's own and is kept again here so that a
 * record is complete on its own (and a foreign write to a ledger stream is noticed on read).
 */
// A type, not an interface: the client's metadata type wants an index signature.
export type KurrentLedgerFields = {
  readonly layout: number;
  readonly position: number;
  readonly streamRevision: number;
  readonly schemaVersion: number;
  readonly recordedAt: string;
  readonly prevHash: string;
  readonly hash: string;
};

/** The metadata stored on each KurrentDB event: the envelope's metadata untouched, plus ours. */
export type KurrentEventMetadata = {
  readonly envelope: Record<string, unknown>;
  readonly ledger: KurrentLedgerFields;
};

/** The parts of a KurrentDB recorded event that the ledger reads. */
export interface KurrentRecordLike {
  readonly streamId: string;
  readonly id: string;
  readonly type: string;
  readonly revision: bigint;
  readonly isJson: boolean;
  readonly data: unknown;
  readonly metadata: unknown;
}

/** Stream ids never hold a dot, so a prefix ending in one cannot be confused with a stream id. */
const prefixPattern = /^([A-Za-z0-9_-]+\.)?$/;

export function checkStreamPrefix(prefix: string): string {
  if (!prefixPattern.test(prefix)) {
    throw new RangeError(
      `streamPrefix must be empty or letters, digits, '_' or '-' ending in '.', got ${JSON.stringify(prefix)}`,
    );
  }
  return prefix;
}

export function kurrentStreamName(prefix: string, streamId: string): string {
  return `${prefix}${streamId}`;
}

/**
 * Server-side regex over stream names that selects exactly this log's streams: the prefix, then a
 * name with no dot (another prefix's streams have one) and no `$` (KurrentDB's system streams).
 */
export function kurrentLogStreamRegex(prefix: string): string {
  return `^${prefix.replaceAll('.', '\\.')}[^.$]+$`;
}

export function packKurrentMetadata(
  envelopeMetadataJson: string,
  fields: Omit<KurrentLedgerFields, 'layout'>,
): KurrentEventMetadata {
  const envelope: unknown = JSON.parse(envelopeMetadataJson);
  if (!isPlainObject(envelope)) throw new TypeError('envelope metadata must be a JSON object');
  return { envelope, ledger: { layout: kurrentLedgerLayout, ...fields } };
}

/**
 * A KurrentDB record back into the ledger's RecordedEvent. Only the ledger writes these streams,
 * so a record that does not fit is corruption or a foreign writer: that throws (a bug to look at,
 * not an expected failure), and the envelope schema is checked so nothing malformed is handed on.
 */
export function unpackKurrentRecord(record: KurrentRecordLike, prefix: string): RecordedEvent {
  if (!record.streamId.startsWith(prefix)) {
    throw new Error(`stream ${record.streamId} is not under the prefix ${JSON.stringify(prefix)}`);
  }
  const metadata = record.metadata;
  if (!record.isJson || !isPlainObject(metadata) || !isPlainObject(metadata['ledger'])) {
    throw new Error(`event ${record.id} in ${record.streamId} carries no ledger metadata`);
  }
  const ledger = metadata['ledger'];
  if (ledger['layout'] !== kurrentLedgerLayout) {
    throw new Error(`event ${record.id} has ledger metadata layout ${String(ledger['layout'])}`);
  }
  if (ledger['streamRevision'] !== Number(record.revision)) {
    throw new Error(
      `event ${record.id} is at revision ${record.revision} of ${record.streamId} but was sealed for ${String(ledger['streamRevision'])}`,
    );
  }
  const parsed = RecordedEvent.safeParse({
    eventId: record.id,
    type: record.type,
    schemaVersion: ledger['schemaVersion'],
    streamId: record.streamId.slice(prefix.length),
    data: record.data,
    metadata: metadata['envelope'],
    position: ledger['position'],
    streamRevision: ledger['streamRevision'],
    recordedAt: ledger['recordedAt'],
    prevHash: ledger['prevHash'],
    hash: ledger['hash'],
  });
  if (!parsed.success) {
    throw new Error(
      `event ${record.id} in ${record.streamId} is malformed: ${parsed.error.message}`,
    );
  }
  return parsed.data;
}

/** One event sealed for writing: its place in the chain is fixed before KurrentDB sees it. */
export interface SealedEvent {
  readonly event: ValidatedEvent;
  readonly position: number;
  readonly streamRevision: number;
  readonly recordedAt: string;
  readonly prevHash: string;
  readonly hash: string;
}

export type KurrentLedgerEventType = JSONEventType<
  string,
  Record<string, unknown>,
  KurrentEventMetadata
>;

/**
 * Fixes positions, revisions, time and hashes of an append, linking on from `head`; `current` is
 * the stream's last revision (−1: none). The same fields and hashing as the PostgreSQL writer.
 */
export function sealKurrentAppend(
  append: ValidatedAppend,
  head: LogHead,
  current: number,
  recordedAt: string,
  hasher: ChainHasher,
): SealedEvent[] {
  let prevHash = head.hash;
  return append.events.map((event, i) => {
    const position = head.position + 1 + i;
    const streamRevision = current + 1 + i;
    const hash = hasher.link(
      prevHash,
      canonicalEventJsonFromParts({
        position,
        eventId: event.eventId,
        type: event.type,
        schemaVersion: event.schemaVersion,
        streamId: event.streamId,
        streamRevision,
        recordedAt,
        dataJson: event.dataJson,
        metadataJson: event.metadataJson,
      }),
    );
    const sealed: SealedEvent = { event, position, streamRevision, recordedAt, prevHash, hash };
    prevHash = hash;
    return sealed;
  });
}

/** The KurrentDB event for a sealed one: same id and type, data as sent, chain in metadata. */
export function toKurrentEventData(sealed: SealedEvent): EventData<KurrentLedgerEventType> {
  const data: unknown = JSON.parse(sealed.event.dataJson);
  // validateAppendRequest accepted it as the envelope's data, which is a JSON object.
  if (!isPlainObject(data)) throw new TypeError('event data is not a JSON object');
  return jsonEvent<KurrentLedgerEventType>({
    id: sealed.event.eventId,
    type: sealed.event.type,
    data,
    metadata: packKurrentMetadata(sealed.event.metadataJson, {
      position: sealed.position,
      streamRevision: sealed.streamRevision,
      schemaVersion: sealed.event.schemaVersion,
      recordedAt: sealed.recordedAt,
      prevHash: sealed.prevHash,
      hash: sealed.hash,
    }),
  });
}

export function kurrentAppendSuccess(
  append: ValidatedAppend,
  sealed: readonly SealedEvent[],
): AppendSuccess {
  const first = sealed[0];
  const last = sealed.at(-1);
  // Sealing makes one entry per event and validation refuses an empty append.
  if (first === undefined || last === undefined) throw new Error('append with no events');
  return {
    positions: [first.position, last.position] as const,
    nextRevision: last.streamRevision,
    eventIds: append.events.map((e) => e.eventId),
  };
}

/** What decides whether a retry is the same event: everything the sender chose. */
export interface EventContent {
  readonly streamId: string;
  readonly type: string;
  readonly schemaVersion: number;
  readonly dataJson: string;
  readonly metadataJson: string;
}

export function recordedContent(event: RecordedEvent): EventContent {
  return {
    streamId: event.streamId,
    type: event.type,
    schemaVersion: event.schemaVersion,
    dataJson: canonicalJson(event.data),
    metadataJson: canonicalJson(event.metadata),
  };
}

export function sameContent(a: EventContent, b: EventContent): boolean {
  return (
    a.streamId === b.streamId &&
    a.type === b.type &&
    a.schemaVersion === b.schemaVersion &&
    a.dataJson === b.dataJson &&
    a.metadataJson === b.metadataJson
  );
}

/** `current` is the revision of the stream's last event, −1 when the stream has none. */
export function satisfiesExpectedRevision(expected: ExpectedRevision, current: number): boolean {
  switch (expected) {
    case 'any':
      return true;
    case 'no_stream':
      return current < 0;
    case 'stream_exists':
      return current >= 0;
    default:
      return expected === current;
  }
}

/**
 * The stream state sent with a write. Not the request's expected revision but the exact state the
 * writer checked it against and sealed the revisions for: if KurrentDB disagrees, the hashes would
 * be wrong, so the write must fail rather than land at other revisions (as `any` would allow).
 */
export function kurrentStreamState(current: number): AppendStreamState {
  return current < 0 ? NO_STREAM : BigInt(current);
}

/** The ledger's view of a stream's state as KurrentDB reports it; −1 when it has no events. */
export function revisionFromKurrent(state: CurrentStreamState): number {
  return state === NO_STREAM ? -1 : Number(state);
}

export function staleRevision(
  streamId: string,
  expected: ExpectedRevision,
  current: number,
): AppendError {
  const actual = current < 0 ? 'no_stream' : current;
  return codedError(
    'STALE_REVISION',
    `stream ${streamId} is at ${current < 0 ? 'no_stream' : `revision ${current}`}, not at the expected ${String(expected)}`,
    { streamId, expected, actual },
  );
}

/**
 * The client's errors whose meaning is certain: the write did not happen, and why. Any other error
 * (timeouts, lost connections) leaves the outcome unknown; the store then re-reads the log.
 */
export function appendErrorFromKurrent(
  error: unknown,
  streamId: string,
  expected: ExpectedRevision,
): AppendError | undefined {
  if (error instanceof WrongExpectedVersionError) {
    return staleRevision(streamId, expected, revisionFromKurrent(error.actualState));
  }
  if (error instanceof MaxAppendSizeExceededError) {
    return codedError(
      'APPEND_TOO_LARGE',
      `the append is larger than the KurrentDB server accepts (${error.maxAppendSize} bytes)`,
      { limit: error.maxAppendSize, server: 'kurrentdb' },
    );
  }
  return undefined;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
