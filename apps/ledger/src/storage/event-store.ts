// What any event-log storage behind the ledger promises (PostgreSQL now, KurrentDB later): append
// with an expected revision, idempotent by event id, reads by stream and by global position.
import type { CodedError, NewEvent, RecordedEvent, Result } from '@hpe/domain';
import { storeErrorCodes } from '@hpe/ledger-client';

/**
 * The stream state an append requires:
 * - `any`: no check;
 * - `no_stream`: the stream has no events yet;
 * - `stream_exists`: the stream has at least one event;
 * - a number: the revision of the stream's last event is exactly this (revisions start at 0).
 */
export type ExpectedRevision = 'any' | 'no_stream' | 'stream_exists' | number;

export interface AppendRequest {
  readonly streamId: string;
  readonly expectedRevision: ExpectedRevision;
  /** Every event's own streamId must equal the request's. */
  readonly events: readonly NewEvent[];
}

export interface AppendSuccess {
  /** Global positions of the first and last event of this append. */
  readonly positions: readonly [first: number, last: number];
  /** Revision of this append's last event: the expected revision for the stream's next append. */
  readonly nextRevision: number;
  readonly eventIds: readonly string[];
  /** Every event was already recorded with the same content: nothing was written. */
  readonly duplicate?: true;
}

/** Stable codes of expected append failures; they cross NATS unchanged (one list, in the wire package). */
export const appendErrorCodes = storeErrorCodes;
export type AppendErrorCode = (typeof appendErrorCodes)[number];
export type AppendError = CodedError<AppendErrorCode>;
export type AppendResult = Result<AppendSuccess, AppendError>;

/** The last recorded event's position and hash; position 0 and the genesis hash when empty. */
export interface LogHead {
  readonly position: number;
  readonly hash: string;
}

export interface ReadStreamOptions {
  /** First revision to return; 0 by default. */
  readonly fromRevision?: number;
  /** Most events to return; the store's default page size when absent. */
  readonly limit?: number;
}

/** One stream's read in a `readStreams`. */
export interface StreamRead extends ReadStreamOptions {
  readonly streamId: string;
}

export interface ReadAllOptions {
  /** First global position to return; 1 by default. */
  readonly fromPosition?: number;
  readonly limit?: number;
}

export interface IterateAllOptions {
  readonly fromPosition?: number;
  /** Events fetched per round trip. */
  readonly pageSize?: number;
}

export interface EventStore {
  /**
   * Appends to one stream. The request is validated at run time whatever its static type, since it
   * arrives from the network: hostile input yields an error value and leaves the log unchanged.
   */
  appendToStream(request: AppendRequest): Promise<AppendResult>;
  readStream(streamId: string, options?: ReadStreamOptions): Promise<RecordedEvent[]>;
  /** Many streams' reads at once, answered in order (as many `readStream` would answer them). */
  readStreams(reads: readonly StreamRead[]): Promise<RecordedEvent[][]>;
  readAll(options?: ReadAllOptions): Promise<RecordedEvent[]>;
  head(): Promise<LogHead>;
  /** Every event from a position on, in pages; for verification, replay and export. */
  pages(options?: IterateAllOptions): AsyncIterable<RecordedEvent[]>;
  close(): Promise<void>;
}
