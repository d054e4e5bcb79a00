// The parts of the KurrentDB store that need no server: sealing and the metadata round trip (which
// must still verify as a chain), expected-revision checks, stream naming and error mapping.
import type { RecordedEvent } from '@hpe/domain';
import {
  MaxAppendSizeExceededError,
  NO_STREAM,
  UnavailableError,
  WrongExpectedVersionError,
} from '@kurrent/kurrentdb-client';
import { describe, expect, it } from 'vitest';
import { ChainHasher, GENESIS_HASH } from '../chain/chain-hash.js';
import { verifyChain } from '../chain/verify-chain.js';
import { validateAppendRequest, type ValidatedAppend } from './append-request.js';
import type { AppendRequest } from './event-store.js';
import {
  appendErrorFromKurrent,
  checkStreamPrefix,
  kurrentAppendSuccess,
  kurrentLogStreamRegex,
  kurrentStreamName,
  kurrentStreamState,
  recordedContent,
  revisionFromKurrent,
  sameContent,
  satisfiesExpectedRevision,
  sealKurrentAppend,
  toKurrentEventData,
  unpackKurrentRecord,
  type KurrentRecordLike,
  type SealedEvent,
} from './kurrentdb-ledger-record.js';
import { defaultLedgerLimits } from './limits.js';
import { newTestEvent, newTestEvents, uniqueStreamId } from './test-events.test-support.js';

const prefix = 'run_1.';
const recordedAt = '2026-03-15T02:30:00.000Z';

function validated(request: AppendRequest): ValidatedAppend {
  const result = validateAppendRequest(request, defaultLedgerLimits);
  if (!result.ok) throw new Error(`invalid test request: ${result.error.code}`);
  return result.value;
}

/** What KurrentDB hands back for a written event: JSON bytes parsed again, ids and revisions. */
function asStored(sealed: SealedEvent): KurrentRecordLike {
  const data = toKurrentEventData(sealed);
  return {
    streamId: kurrentStreamName(prefix, sealed.event.streamId),
    id: data.id,
    type: data.type,
    revision: BigInt(sealed.streamRevision),
    isJson: data.contentType === 'application/json',
    data: JSON.parse(JSON.stringify(data.data)) as unknown,
    metadata: JSON.parse(JSON.stringify(data.metadata)) as unknown,
  };
}

/** Two appends to two streams, sealed as the writer does, then read back as records. */
function sealedLog(): { sealed: SealedEvent[]; records: KurrentRecordLike[] } {
  const hasher = new ChainHasher();
  const a = uniqueStreamId();
  const b = uniqueStreamId('tally');
  const first = sealKurrentAppend(
    validated({ streamId: a, expectedRevision: 'no_stream', events: newTestEvents(a, 3) }),
    { position: 0, hash: GENESIS_HASH },
    -1,
    recordedAt,
    hasher,
  );
  const last = first.at(-1) as SealedEvent;
  const second = sealKurrentAppend(
    validated({
      streamId: b,
      expectedRevision: 'any',
      events: [newTestEvent(b, { 'Hải Phòng': [0.1, 2 ** 53 - 1, null], z: { a: 'x' } })],
    }),
    { position: last.position, hash: last.hash },
    4,
    recordedAt,
    hasher,
  );
  const sealed = [...first, ...second];
  return { sealed, records: sealed.map(asStored) };
}

describe('sealing and the metadata round trip', () => {
  it('assigns positions after the head and revisions after the stream, linked in a chain', () => {
    const { sealed } = sealedLog();
    expect(sealed.map((s) => [s.position, s.streamRevision])).toEqual([
      [1, 0],
      [2, 1],
      [3, 2],
      [4, 5],
    ]);
    expect(sealed[0]?.prevHash).toBe(GENESIS_HASH);
    for (let i = 1; i < sealed.length; i += 1) {
      expect(sealed[i]?.prevHash).toBe(sealed[i - 1]?.hash);
    }
  });

  it('keeps the chain fields in metadata beside the envelope metadata, untouched', () => {
    const { sealed } = sealedLog();
    const s = sealed[3] as SealedEvent;
    const data = toKurrentEventData(s);
    expect(data).toMatchObject({ id: s.event.eventId, type: s.event.type });
    expect(data.metadata).toEqual({
      envelope: JSON.parse(s.event.metadataJson) as unknown,
      ledger: {
        layout: 1,
        position: 4,
        streamRevision: 5,
        schemaVersion: 1,
        recordedAt,
        prevHash: s.prevHash,
        hash: s.hash,
      },
    });
  });

  it('unpacks back to the recorded events, which verify as a chain unchanged', async () => {
    const { sealed, records } = sealedLog();
    const events = records.map((r) => unpackKurrentRecord(r, prefix));
    expect(events.map((e) => e.position)).toEqual([1, 2, 3, 4]);
    for (const [i, e] of events.entries()) {
      const s = sealed[i] as SealedEvent;
      expect(e.streamId).toBe(s.event.streamId);
      expect(sameContent(recordedContent(e), s.event)).toBe(true);
    }
    const last = events.at(-1) as RecordedEvent;
    expect(
      await verifyChain(events, { expectedHead: { position: 4, hash: last.hash } }),
    ).toMatchObject({ ok: true, count: 4 });
  });

  it('an edited record no longer verifies, at the edited position', async () => {
    const { records } = sealedLog();
    const events = records.map((r) => unpackKurrentRecord(r, prefix));
    const edited = events.map((e) => (e.position === 2 ? { ...e, data: { n: 99 } } : e));
    expect(await verifyChain(edited)).toMatchObject({ ok: false, firstBadPosition: 2 });
    const other = recordedContent(edited[1] as RecordedEvent);
    expect(sameContent(other, recordedContent(events[1] as RecordedEvent))).toBe(false);
  });

  it('refuses records the ledger did not write: no ledger metadata, wrong revision, wrong prefix', () => {
    const { records } = sealedLog();
    const record = records[0] as KurrentRecordLike;
    expect(() => unpackKurrentRecord({ ...record, metadata: { occurredAt: 'x' } }, prefix)).toThrow(
      /no ledger metadata/,
    );
    expect(() => unpackKurrentRecord({ ...record, revision: 7n }, prefix)).toThrow(/revision 7/);
    expect(() => unpackKurrentRecord(record, 'other.')).toThrow(/not under the prefix/);
    expect(() => unpackKurrentRecord({ ...record, isJson: false }, prefix)).toThrow(
      /no ledger metadata/,
    );
    const metadata = record.metadata as { ledger: Record<string, unknown> };
    expect(() =>
      unpackKurrentRecord(
        { ...record, metadata: { ...metadata, ledger: { ...metadata.ledger, hash: 'nope' } } },
        prefix,
      ),
    ).toThrow(/malformed/);
    expect(() =>
      unpackKurrentRecord(
        { ...record, metadata: { ...metadata, ledger: { ...metadata.ledger, layout: 2 } } },
        prefix,
      ),
    ).toThrow(/layout 2/);
  });

  it('answers an append with its first and last position and the next revision', () => {
    const stream = uniqueStreamId();
    const append = validated({
      streamId: stream,
      expectedRevision: 'any',
      events: newTestEvents(stream, 2),
    });
    const sealed = sealKurrentAppend(
      append,
      { position: 10, hash: GENESIS_HASH },
      3,
      recordedAt,
      new ChainHasher(),
    );
    expect(kurrentAppendSuccess(append, sealed)).toEqual({
      positions: [11, 12],
      nextRevision: 5,
      eventIds: append.events.map((e) => e.eventId),
    });
  });
});

describe('expected revisions', () => {
  const cases: [Parameters<typeof satisfiesExpectedRevision>[0], number, boolean][] = [
    ['any', -1, true],
    ['any', 4, true],
    ['no_stream', -1, true],
    ['no_stream', 0, false],
    ['stream_exists', -1, false],
    ['stream_exists', 0, true],
    [3, 3, true],
    [3, 2, false],
    [0, -1, false],
  ];
  for (const [expected, current, satisfied] of cases) {
    it(`${String(expected)} against ${current} → ${satisfied}`, () => {
      expect(satisfiesExpectedRevision(expected, current)).toBe(satisfied);
    });
  }

  it('writes with the exact state the writer checked, never ANY', () => {
    expect(kurrentStreamState(-1)).toBe(NO_STREAM);
    expect(kurrentStreamState(0)).toBe(0n);
    expect(kurrentStreamState(41)).toBe(41n);
    expect(revisionFromKurrent(NO_STREAM)).toBe(-1);
    expect(revisionFromKurrent(12n)).toBe(12);
  });
});

describe('errors from the client', () => {
  it('a wrong expected version is STALE_REVISION with the request’s expectation and the actual', () => {
    const error = new WrongExpectedVersionError(undefined, {
      streamName: 'run_1.incident-a',
      expected: 2n,
      current: 5n,
    });
    expect(appendErrorFromKurrent(error, 'incident-a', 'any')).toMatchObject({
      code: 'STALE_REVISION',
      details: { streamId: 'incident-a', expected: 'any', actual: 5 },
    });
    const none = new WrongExpectedVersionError(undefined, {
      streamName: 'run_1.incident-a',
      expected: 0n,
      current: NO_STREAM,
    });
    expect(appendErrorFromKurrent(none, 'incident-a', 'stream_exists')).toMatchObject({
      code: 'STALE_REVISION',
      details: { expected: 'stream_exists', actual: 'no_stream' },
    });
  });

  it('an append larger than the server allows is APPEND_TOO_LARGE with its limit', () => {
    const error = MaxAppendSizeExceededError.fromMaxAppendSize(1_048_576);
    expect(appendErrorFromKurrent(error, 'incident-a', 0)).toMatchObject({
      code: 'APPEND_TOO_LARGE',
      details: { limit: 1_048_576 },
    });
  });

  it('an error with an unknown outcome is not mapped: the store must re-read the log', () => {
    const unavailable = new UnavailableError(
      Object.assign(new Error('connection refused'), {
        code: 14,
        details: 'connection refused',
        metadata: undefined,
      }) as unknown as ConstructorParameters<typeof UnavailableError>[0],
    );
    expect(appendErrorFromKurrent(unavailable, 'incident-a', 'any')).toBeUndefined();
    expect(appendErrorFromKurrent(new Error('deadline'), 'incident-a', 'any')).toBeUndefined();
  });
});

describe('stream names', () => {
  it('prefixes must be empty or end in a dot, and never name system streams', () => {
    expect(checkStreamPrefix('')).toBe('');
    expect(checkStreamPrefix('run_1.')).toBe('run_1.');
    for (const bad of ['run', '$ce.', 'a.b.', 'a b.', '.']) {
      expect(() => checkStreamPrefix(bad)).toThrow(RangeError);
    }
  });

  it("the log's filter selects this prefix's streams only", () => {
    const prefixed = new RegExp(kurrentLogStreamRegex('run_1.'));
    expect(prefixed.test('run_1.incident-abc')).toBe(true);
    expect(prefixed.test('run_2.incident-abc')).toBe(false);
    expect(prefixed.test('run_1x.incident-abc')).toBe(false);
    expect(prefixed.test('incident-abc')).toBe(false);
    const bare = new RegExp(kurrentLogStreamRegex(''));
    expect(bare.test('incident-abc')).toBe(true);
    expect(bare.test('run_1.incident-abc')).toBe(false);
    expect(bare.test('$$metadata-x')).toBe(false);
    expect(bare.test('$et-IncidentReported')).toBe(false);
  });
});
