// The exact bytes of an event that the hash chain covers: RFC 8785 canonical JSON of a fixed set
// of envelope fields. Writer, verifier and auditor all go through here, so they cannot disagree.
import { canonicalJson } from './canonical-json.js';

/**
 * The fields that are hashed, and nothing else:
 *
 * - `position`: the global, gap-free position (so moving an event breaks its hash);
 * - `eventId`, `type`, `schemaVersion`, `streamId`, `streamRevision`: identity and placement;
 * - `data`, `metadata`: the content, as stored (JSONB) and re-read;
 * - `recordedAt`: when the ledger recorded it, ISO 8601 UTC with milliseconds.
 *
 * `prevHash` is not inside the canonical object: it is concatenated in front of these bytes
 * (see chain-hash.ts). `hash` is the result. Adding a field here is a new chain format.
 */
export const hashedEventFields = [
  'data',
  'eventId',
  'metadata',
  'position',
  'recordedAt',
  'schemaVersion',
  'streamId',
  'streamRevision',
  'type',
] as const;

export interface HashedEventFields {
  readonly position: number;
  readonly eventId: string;
  readonly type: string;
  readonly schemaVersion: number;
  readonly streamId: string;
  readonly streamRevision: number;
  /** Typed loosely on purpose: the verifier hashes whatever a (possibly tampered) row holds. */
  readonly data: unknown;
  readonly metadata: unknown;
  readonly recordedAt: string;
}

/** The same fields with `data` and `metadata` already in canonical JSON text. */
export interface CanonicalEventParts extends Omit<HashedEventFields, 'data' | 'metadata'> {
  readonly dataJson: string;
  readonly metadataJson: string;
}

/**
 * Assembles the canonical object text from its parts without canonicalising the whole object:
 * the writer already holds data and metadata as canonical text (it checked their size with it),
 * so the nested values are serialised once. The keys are written in RFC 8785 order (UTF-16 code
 * units: data < eventId < metadata < position < recordedAt < schemaVersion < streamId <
 * streamRevision < type); a unit test proves the result equals the library on the whole object.
 */
export function canonicalEventJsonFromParts(parts: CanonicalEventParts): string {
  return assemble(parts, parts.dataJson, parts.metadataJson);
}

/** The scalar fields of an event or of its parts: both carry them under the same names. */
type ScalarFields = Omit<HashedEventFields, 'data' | 'metadata'>;

function assemble(fields: ScalarFields, dataJson: string, metadataJson: string): string {
  return (
    '{"data":' +
    dataJson +
    ',"eventId":' +
    scalar(fields.eventId) +
    ',"metadata":' +
    metadataJson +
    ',"position":' +
    scalar(fields.position) +
    ',"recordedAt":' +
    scalar(fields.recordedAt) +
    ',"schemaVersion":' +
    scalar(fields.schemaVersion) +
    ',"streamId":' +
    scalar(fields.streamId) +
    ',"streamRevision":' +
    scalar(fields.streamRevision) +
    ',"type":' +
    scalar(fields.type) +
    '}'
  );
}

/**
 * RFC 8785 serialises a string or a finite number exactly as JSON.stringify does (that is what
 * the library calls for them too); skipping the library's dispatch for the seven scalar fields is
 * a measurable share of the verifier's time. Anything else goes through the library.
 */
function scalar(value: string | number): string {
  return typeof value === 'string' || Number.isSafeInteger(value)
    ? JSON.stringify(value)
    : canonicalJson(value);
}

/**
 * Canonical JSON text of the hashed fields of an event (other properties are ignored). Reads the
 * fields straight from the event rather than copying them into a parts object: one allocation
 * fewer per event in the verifier's loop.
 */
export function canonicalEventJson(event: HashedEventFields): string {
  return assemble(event, canonicalJson(event.data), canonicalJson(event.metadata));
}

/** UTF-8 bytes of {@link canonicalEventJson}: what follows prevHash under SHA-256. */
export function canonicalEventBytes(event: HashedEventFields): Uint8Array {
  return Buffer.from(canonicalEventJson(event), 'utf8');
}
