// Turns an untrusted append request into canonical, size-checked events before it reaches the
// writer queue, so hostile input fails alone with a clear code and never touches a batch.
import { codedError, err, NewEvent, ok, StreamId, type Result } from '@hpe/domain';
import { canonicalJson } from '../chain/canonical-json.js';
import type { AppendError, ExpectedRevision } from './event-store.js';
import type { LedgerLimits } from './limits.js';

/** stream_revision is an INT column: the largest revision PostgreSQL can hold. */
export const maxStreamRevision = 2_147_483_647;

export interface ValidatedEvent {
  readonly eventId: string;
  readonly type: string;
  readonly schemaVersion: number;
  readonly streamId: string;
  /** RFC 8785 text: hashed, stored as JSONB, compared for idempotency. */
  readonly dataJson: string;
  readonly metadataJson: string;
  /** UTF-8 bytes of dataJson + metadataJson. */
  readonly bytes: number;
}

export interface ValidatedAppend {
  readonly streamId: string;
  readonly expectedRevision: ExpectedRevision;
  readonly events: readonly ValidatedEvent[];
  readonly bytes: number;
}

const requestKeys = new Set(['streamId', 'expectedRevision', 'events']);

export function validateAppendRequest(
  input: unknown,
  limits: LedgerLimits,
): Result<ValidatedAppend, AppendError> {
  if (!isPlainObject(input)) {
    return err(codedError('VALIDATION_FAILED', 'an append request must be a JSON object'));
  }
  const unknownKeys = Object.keys(input).filter((k) => !requestKeys.has(k));
  if (unknownKeys.length > 0) {
    return err(
      codedError('VALIDATION_FAILED', `unknown request field(s): ${unknownKeys.join(', ')}`, {
        fields: unknownKeys,
      }),
    );
  }
  const streamId = StreamId.safeParse(input['streamId']);
  if (!streamId.success) {
    return err(
      codedError('VALIDATION_FAILED', 'streamId is not a valid stream id', {
        issues: issuesOf(streamId.error.issues, ['streamId']),
      }),
    );
  }
  const expectedRevision = parseExpectedRevision(input['expectedRevision']);
  if (expectedRevision === undefined) {
    return err(
      codedError(
        'UNKNOWN_EXPECTED_REVISION',
        `expectedRevision must be 'any', 'no_stream', 'stream_exists' or a revision from 0 to ${maxStreamRevision}`,
        { expectedRevision: describe(input['expectedRevision']) },
      ),
    );
  }
  const events = input['events'];
  if (!Array.isArray(events)) {
    return err(codedError('VALIDATION_FAILED', 'events must be an array of events'));
  }
  if (events.length === 0) {
    return err(codedError('EMPTY_APPEND', 'an append needs at least one event'));
  }
  if (events.length > limits.maxEventsPerAppend) {
    return err(
      codedError(
        'TOO_MANY_EVENTS',
        `${events.length} events in one append; at most ${limits.maxEventsPerAppend} are allowed`,
        { count: events.length, limit: limits.maxEventsPerAppend },
      ),
    );
  }

  const validated: ValidatedEvent[] = [];
  const seen = new Set<string>();
  let bytes = 0;
  for (const [index, raw] of events.entries()) {
    const event = validateEvent(raw, index, streamId.data, limits);
    if (!event.ok) return event;
    if (seen.has(event.value.eventId)) {
      return err(
        codedError(
          'VALIDATION_FAILED',
          `event id ${event.value.eventId} appears twice in one append`,
          {
            index,
            eventId: event.value.eventId,
          },
        ),
      );
    }
    seen.add(event.value.eventId);
    bytes += event.value.bytes;
    if (bytes > limits.maxAppendBytes) {
      return err(
        codedError(
          'APPEND_TOO_LARGE',
          `the append holds more than ${limits.maxAppendBytes} bytes of event data and metadata`,
          { limit: limits.maxAppendBytes, atIndex: index },
        ),
      );
    }
    validated.push(event.value);
  }
  return ok({ streamId: streamId.data, expectedRevision, events: validated, bytes });
}

/**
 * For transports that receive the request as bytes (NATS): malformed JSON becomes the same kind of
 * error value as any other bad request. Duplicate keys follow JSON.parse (the last one wins); the
 * hash covers the value that was parsed, so what is stored is what is hashed either way.
 */
export function parseAppendRequestJson(text: string): Result<unknown, AppendError> {
  try {
    return ok(JSON.parse(text) as unknown);
  } catch (error) {
    return err(
      codedError(
        'VALIDATION_FAILED',
        `the append request is not valid JSON: ${error instanceof Error ? error.message : String(error)}`,
      ),
    );
  }
}

export function parseExpectedRevision(value: unknown): ExpectedRevision | undefined {
  if (value === 'any' || value === 'no_stream' || value === 'stream_exists') return value;
  if (
    typeof value === 'number' &&
    Number.isInteger(value) &&
    value >= 0 &&
    value <= maxStreamRevision
  )
    return value;
  return undefined;
}

function validateEvent(
  raw: unknown,
  index: number,
  streamId: string,
  limits: LedgerLimits,
): Result<ValidatedEvent, AppendError> {
  const parsed = NewEvent.safeParse(raw);
  if (!parsed.success) {
    return err(
      codedError('VALIDATION_FAILED', `event ${index} does not match the event envelope`, {
        index,
        issues: issuesOf(parsed.error.issues, ['events', index]),
      }),
    );
  }
  const event = parsed.data;
  if (event.streamId !== streamId) {
    return err(
      codedError(
        'VALIDATION_FAILED',
        `event ${index} belongs to stream ${event.streamId}, not to ${streamId}`,
        { index, eventId: event.eventId },
      ),
    );
  }
  // The raw values are checked, not zod's copies: zod silently drops a `__proto__` key, and what we
  // hash must be exactly what was sent. After these checks the two hold the same content.
  const rawEvent = raw as { data: unknown; metadata: unknown };
  const checker = new JsonChecker(limits.maxJsonDepth, limits.maxEventBytes);
  const problem =
    checker.check(rawEvent.data, 'data', 0) ?? checker.check(rawEvent.metadata, 'metadata', 0);
  if (problem !== undefined) {
    if (problem === tooLarge) return eventTooLarge(index, event.eventId, undefined, limits);
    return err(
      codedError('VALIDATION_FAILED', `event ${index}: ${problem.path} ${problem.message}`, {
        index,
        eventId: event.eventId,
        path: problem.path,
      }),
    );
  }
  const dataJson = canonicalJson(rawEvent.data);
  const metadataJson = canonicalJson(rawEvent.metadata);
  const bytes = Buffer.byteLength(dataJson, 'utf8') + Buffer.byteLength(metadataJson, 'utf8');
  if (bytes > limits.maxEventBytes) return eventTooLarge(index, event.eventId, bytes, limits);
  return ok({
    eventId: event.eventId,
    type: event.type,
    schemaVersion: event.schemaVersion,
    streamId: event.streamId,
    dataJson,
    metadataJson,
    bytes,
  });
}

function eventTooLarge(
  index: number,
  eventId: string,
  bytes: number | undefined,
  limits: LedgerLimits,
): Result<never, AppendError> {
  return err(
    codedError(
      'EVENT_TOO_LARGE',
      `event ${index} holds ${bytes === undefined ? 'more than' : bytes} bytes of data and metadata; at most ${limits.maxEventBytes} are allowed`,
      bytes === undefined
        ? { index, eventId, limit: limits.maxEventBytes }
        : { index, eventId, bytes, limit: limits.maxEventBytes },
    ),
  );
}

interface JsonProblem {
  readonly path: string;
  readonly message: string;
}
const tooLarge: JsonProblem = { path: '', message: 'too large' };

// NUL cannot be stored in JSONB; an unpaired surrogate is refused by PostgreSQL's JSON input. Either
// would fail a whole group-commit batch at INSERT, so they are refused here, per request.
const unstorableText =
  // eslint-disable-next-line no-control-regex -- NUL is exactly what this pattern is for.
  /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/**
 * Accepts exactly the values whose canonical JSON survives a JSONB round trip unchanged: plain
 * objects and arrays, strings, booleans, null, finite numbers, integers only within ±(2^53 − 1)
 * (a larger one was probably rounded already by a JSON parser: the sender meant another number).
 * Counts string lengths as it goes and stops once they alone exceed the event size limit, so an
 * oversized event costs at most the limit's worth of work.
 */
class JsonChecker {
  private units = 0;

  constructor(
    private readonly maxDepth: number,
    private readonly maxBytes: number,
  ) {}

  check(value: unknown, path: string, depth: number): JsonProblem | undefined {
    switch (typeof value) {
      case 'string':
        return this.text(value, path);
      case 'boolean':
        return undefined;
      case 'number':
        if (!Number.isFinite(value)) return { path, message: 'is not a finite number' };
        if (Number.isInteger(value) && !Number.isSafeInteger(value)) {
          return { path, message: 'is an integer beyond ±(2^53 − 1); send it as a string' };
        }
        return undefined;
      case 'object':
        if (value === null) return undefined;
        if (depth >= this.maxDepth) {
          return { path, message: `nests deeper than ${this.maxDepth} levels` };
        }
        if (Array.isArray(value)) {
          for (let i = 0; i < value.length; i += 1) {
            const problem = this.check(value[i], `${path}[${i}]`, depth + 1);
            if (problem !== undefined) return problem;
          }
          return undefined;
        }
        if (!isPlainObject(value)) return { path, message: 'is not a plain JSON object' };
        for (const key of Object.keys(value)) {
          const keyPath = `${path}.${key}`;
          if (key === '__proto__') return { path: keyPath, message: 'is a forbidden key' };
          const keyProblem = this.text(key, keyPath);
          if (keyProblem !== undefined) return keyProblem;
          const problem = this.check(value[key], keyPath, depth + 1);
          if (problem !== undefined) return problem;
        }
        return undefined;
      default:
        return { path, message: `is ${typeof value}, which JSON cannot hold` };
    }
  }

  private text(value: string, path: string): JsonProblem | undefined {
    // UTF-8 never takes fewer bytes than UTF-16 code units, so this is a lower bound.
    this.units += value.length;
    if (this.units > this.maxBytes) return tooLarge;
    if (unstorableText.test(value)) {
      return { path, message: 'holds a NUL character or an unpaired surrogate' };
    }
    return undefined;
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

function issuesOf(
  issues: readonly { path: readonly PropertyKey[]; message: string; code: string }[],
  prefix: readonly (string | number)[],
): { path: (string | number)[]; message: string; code: string }[] {
  return issues.map((i) => ({
    path: [...prefix, ...i.path.map((p) => (typeof p === 'symbol' ? String(p) : p))],
    message: i.message,
    code: i.code,
  }));
}

function describe(value: unknown): string {
  if (typeof value === 'string') return value.slice(0, 100);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return value === null ? 'null' : typeof value;
}
