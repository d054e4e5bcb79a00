// The JetStream stream EVENTS, declared here and nowhere else: every committed ledger event is
// published on it once. Apps make the server match this declaration at start (ensureEventsStream).
import {
  DiscardPolicy,
  JetStreamApiCodes,
  JetStreamApiError,
  RetentionPolicy,
  StorageType,
  type JetStreamManager,
  type StreamConfig,
  type StreamInfo,
} from '@nats-io/jetstream';
import { nanos } from '@nats-io/transport-node';
import type { LogSink } from '@hpe/telemetry';
import { eventsSubjectPrefix } from './event-subject.js';

export const eventsStreamName = 'EVENTS';

/** The stream settings we declare; the server fills the rest with its defaults. */
export type DeclaredStreamConfig = Readonly<
  Pick<
    StreamConfig,
    | 'name'
    | 'description'
    | 'storage'
    | 'retention'
    | 'discard'
    | 'max_msgs'
    | 'max_bytes'
    | 'max_age'
    | 'max_msgs_per_subject'
    | 'max_msg_size'
    | 'duplicate_window'
    | 'deny_delete'
    | 'deny_purge'
    | 'allow_rollup_hdrs'
    | 'num_replicas'
  >
> & { readonly subjects: readonly string[] };

type DeclaredField = keyof DeclaredStreamConfig;

/** Seconds are enough for the relay's redelivery after a crash; two minutes leaves a margin. */
const duplicateWindowMs = 2 * 60_000;
/** One event in one message, with room to spare; the server's max_payload is larger. */
const maxEventBytes = 1024 * 1024;

export interface EventsStreamOptions {
  /** 1 on one machine; 3 on a NATS cluster (a standalone server refuses more than 1). */
  readonly replicas?: number;
}

export function eventsStreamConfigFor(options: EventsStreamOptions = {}): DeclaredStreamConfig {
  const replicas = options.replicas ?? 1;
  if (!Number.isInteger(replicas) || replicas < 1 || replicas > 5) {
    throw new RangeError(`EVENTS replicas must be an integer from 1 to 5, got ${replicas}`);
  }
  return Object.freeze({
    name: eventsStreamName,
    description: 'Committed ledger events in global position order (published by the ledger relay)',
    subjects: Object.freeze([`${eventsSubjectPrefix}.>`]),
    storage: StorageType.File,
    // Nothing ages out or is capped: the stream is a replayable copy of the whole log.
    retention: RetentionPolicy.Limits,
    discard: DiscardPolicy.Old,
    max_msgs: -1,
    max_bytes: -1,
    max_age: 0,
    max_msgs_per_subject: -1,
    max_msg_size: maxEventBytes,
    duplicate_window: nanos(duplicateWindowMs),
    // Events are immutable here as in the ledger: no API may remove one.
    deny_delete: true,
    deny_purge: true,
    allow_rollup_hdrs: false,
    num_replicas: replicas,
  });
}

export const eventsStreamConfig: DeclaredStreamConfig = eventsStreamConfigFor();

export type EnsureStreamOutcome = 'created' | 'updated' | 'unchanged';

/** Fields a running stream cannot take from us: the server refuses the change (nats-server 2.9). */
const fixedAtCreation: readonly DeclaredField[] = ['name', 'storage', 'retention'];
/** Once true, the server will not set these back to false. */
const oneWayFlags: readonly DeclaredField[] = ['deny_delete', 'deny_purge'];

export class StreamConfigConflictError extends Error {
  constructor(
    readonly stream: string,
    readonly fields: readonly string[],
    detail: string,
    options?: ErrorOptions,
  ) {
    super(`stream ${stream}: cannot change ${fields.join(', ')}: ${detail}`, options);
    this.name = 'StreamConfigConflictError';
  }
}

function sameValue(field: DeclaredField, want: unknown, have: unknown): boolean {
  if (field === 'subjects' && Array.isArray(want) && Array.isArray(have)) {
    const a = [...(want as string[])].sort();
    const b = [...(have as string[])].sort();
    return a.length === b.length && a.every((s, i) => s === b[i]);
  }
  return want === have;
}

/** The declared fields whose value on the server differs from ours. */
export function streamConfigDrift(
  desired: DeclaredStreamConfig,
  actual: Partial<StreamConfig>,
): DeclaredField[] {
  return (Object.keys(desired) as DeclaredField[]).filter(
    (field) => !sameValue(field, desired[field], actual[field]),
  );
}

function isApiError(error: unknown, code: number): error is JetStreamApiError {
  return error instanceof JetStreamApiError && error.code === code;
}

/** nats-server's answer when a create races another with a different configuration. */
const streamNameInUse = 10058;

/**
 * Makes the server's stream match `desired`: creates it when missing, updates the declared fields
 * that drifted, and leaves an identical stream alone. Throws StreamConfigConflictError, naming the
 * fields, when the existing stream differs in a way the server will not change in place.
 */
export async function ensureStream(
  jsm: JetStreamManager,
  desired: DeclaredStreamConfig,
  options: { readonly log?: LogSink } = {},
): Promise<EnsureStreamOutcome> {
  for (let attempt = 1; ; attempt++) {
    let info: StreamInfo;
    try {
      info = await jsm.streams.info(desired.name);
    } catch (error) {
      if (!isApiError(error, JetStreamApiCodes.StreamNotFound)) throw error;
      try {
        // A copy: the client writes into the object it is given.
        await jsm.streams.add({ ...desired, subjects: [...desired.subjects] });
      } catch (addError) {
        // Another process created it between our look and our create: look again, once.
        if (isApiError(addError, streamNameInUse) && attempt === 1) continue;
        throw new Error(`stream ${desired.name}: create refused: ${String(addError)}`, {
          cause: addError,
        });
      }
      options.log?.info({ stream: desired.name }, 'stream created');
      return 'created';
    }

    const drift = streamConfigDrift(desired, info.config);
    if (drift.length === 0) return 'unchanged';

    const fixed = drift.filter(
      (f) =>
        fixedAtCreation.includes(f) ||
        (oneWayFlags.includes(f) && info.config[f as 'deny_delete' | 'deny_purge'] === true),
    );
    if (fixed.length > 0) {
      const detail = fixed
        .map(
          (f) =>
            `${f} is ${JSON.stringify(info.config[f])}, declared ${JSON.stringify(desired[f])}`,
        )
        .join('; ');
      throw new StreamConfigConflictError(
        desired.name,
        fixed,
        `${detail} (fixed once the stream exists: migrate to a new stream)`,
      );
    }

    const { name, storage: _storage, retention: _retention, ...updatable } = desired;
    try {
      await jsm.streams.update(name, { ...updatable, subjects: [...updatable.subjects] });
    } catch (error) {
      const detail = error instanceof Error ? error.message : String(error);
      throw new StreamConfigConflictError(name, drift, detail, { cause: error });
    }
    options.log?.info({ stream: name, fields: drift }, 'stream updated to its declaration');
    return 'updated';
  }
}

/** Creates or updates EVENTS to match `eventsStreamConfig` (with the given replica count). */
export function ensureEventsStream(
  jsm: JetStreamManager,
  options: EventsStreamOptions & { readonly log?: LogSink } = {},
): Promise<EnsureStreamOutcome> {
  return ensureStream(
    jsm,
    eventsStreamConfigFor(options),
    options.log === undefined ? {} : { log: options.log },
  );
}
