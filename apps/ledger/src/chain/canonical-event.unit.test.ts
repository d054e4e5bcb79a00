import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  canonicalEventBytes,
  canonicalEventJson,
  canonicalEventJsonFromParts,
  hashedEventFields,
  type HashedEventFields,
} from './canonical-event.js';
import { canonicalJson } from './canonical-json.js';
import { ChainHasher, chainHash, chainHashOfJson, GENESIS_HASH } from './chain-hash.js';

const fixedEvent: HashedEventFields = {
  position: 1,
  eventId: '01957b2e-8c00-7000-8000-000000000001',
  type: 'TurnoutReported',
  schemaVersion: 1,
  streamId: 'turnout-10507-001',
  streamRevision: 0,
  data: { pollingAreaId: '10507-001', round: 1, voted: 120, note: 'Thành Đông' },
  metadata: {
    occurredAt: '2026-03-15T09:00:00+07:00',
    actor: { id: 'reporter-7', role: 'reporter' },
    correlationId: 'c-1',
  },
  recordedAt: '2026-03-15T02:00:00.123Z',
};

/** Written out by hand from RFC 8785's rules: keys sorted by UTF-16 code units, no spaces. */
const fixedCanonical =
  '{"data":{"note":"Thành Đông","pollingAreaId":"10507-001","round":1,"voted":120},' +
  '"eventId":"01957b2e-8c00-7000-8000-000000000001",' +
  '"metadata":{"actor":{"id":"reporter-7","role":"reporter"},"correlationId":"c-1","occurredAt":"2026-03-15T09:00:00+07:00"},' +
  '"position":1,"recordedAt":"2026-03-15T02:00:00.123Z","schemaVersion":1,' +
  '"streamId":"turnout-10507-001","streamRevision":0,"type":"TurnoutReported"}';

describe('canonical event bytes', () => {
  it('are the RFC 8785 text of exactly the hashed fields', () => {
    expect(canonicalEventJson(fixedEvent)).toBe(fixedCanonical);
    expect(Buffer.from(canonicalEventBytes(fixedEvent)).toString('utf8')).toBe(fixedCanonical);
    expect([...hashedEventFields]).toEqual(Object.keys(fixedEvent).sort());
  });

  it('do not depend on the order of keys at any level', () => {
    const reordered: HashedEventFields = {
      recordedAt: fixedEvent.recordedAt,
      type: fixedEvent.type,
      metadata: {
        correlationId: 'c-1',
        actor: { role: 'reporter', id: 'reporter-7' },
        occurredAt: '2026-03-15T09:00:00+07:00',
      },
      data: { voted: 120, round: 1, note: 'Thành Đông', pollingAreaId: '10507-001' },
      streamRevision: 0,
      streamId: fixedEvent.streamId,
      schemaVersion: 1,
      eventId: fixedEvent.eventId,
      position: 1,
    };
    expect(canonicalEventJson(reordered)).toBe(fixedCanonical);
  });

  it('ignore fields that are not hashed (prevHash, hash, anything else)', () => {
    const withExtras = { ...fixedEvent, prevHash: GENESIS_HASH, hash: 'f'.repeat(64), extra: 1 };
    expect(canonicalEventJson(withExtras)).toBe(fixedCanonical);
  });

  it('follow the RFC 8785 number and string rules (the specification example)', () => {
    const input = JSON.parse(
      '{"numbers":[333333333.33333329,1E30,4.50,2e-3,0.000000000000000000000000001],' +
        '"string":"\\u20ac$\\u000F\\u000aA\'\\u0042\\u0022\\u005c\\\\\\"\\/","literals":[null,true,false]}',
    ) as unknown;
    expect(canonicalJson(input)).toBe(
      '{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],' +
        '"string":"€$\\u000f\\nA\'B\\"\\\\\\\\\\"/"}',
    );
  });

  it('splice pre-canonicalised parts into the same text the library gives for the whole object', () => {
    const jsonObject = fc.dictionary(fc.string(), fc.jsonValue(), { maxKeys: 6 });
    fc.assert(
      fc.property(
        fc.record({
          position: fc.integer({ min: 1, max: 2 ** 40 }),
          eventId: fc.uuid(),
          type: fc.string(),
          schemaVersion: fc.integer({ min: 1, max: 1000 }),
          streamId: fc.string(),
          streamRevision: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
          data: jsonObject,
          metadata: jsonObject,
          recordedAt: fc.string(),
        }),
        (event) => {
          const whole = canonicalJson(event);
          expect(canonicalEventJson(event)).toBe(whole);
          expect(
            canonicalEventJsonFromParts({
              ...event,
              dataJson: canonicalJson(event.data),
              metadataJson: canonicalJson(event.metadata),
            }),
          ).toBe(whole);
        },
      ),
    );
  });
});

describe('chain hash', () => {
  it('is SHA-256 over the 32 raw bytes of prevHash, then the canonical bytes (known vector)', () => {
    const byHand = createHash('sha256')
      .update(Buffer.alloc(32, 0))
      .update(Buffer.from(fixedCanonical, 'utf8'))
      .digest('hex');
    expect(chainHash(GENESIS_HASH, canonicalEventBytes(fixedEvent))).toBe(byHand);
    // Pinned, so a change of the chain format cannot pass unnoticed.
    expect(byHand).toBe(PINNED_FIXED_EVENT_HASH);
  });

  it('uses the previous hash as bytes, not as hex text', () => {
    const prev = 'ab'.repeat(32);
    const bytes = canonicalEventBytes(fixedEvent);
    const asText = createHash('sha256').update(prev, 'utf8').update(bytes).digest('hex');
    const asBytes = createHash('sha256')
      .update(Buffer.from(prev, 'hex'))
      .update(bytes)
      .digest('hex');
    expect(chainHash(prev, bytes)).toBe(asBytes);
    expect(chainHash(prev, bytes)).not.toBe(asText);
  });

  it('the fast path (reused buffer, text in) equals the reference (bytes in), for any text', () => {
    const hasher = new ChainHasher();
    const hex64 = fc.stringMatching(/^[0-9a-f]{64}$/);
    fc.assert(
      fc.property(hex64, fc.string({ unit: 'binary', maxLength: 300 }), (prev, text) => {
        const reference = chainHash(prev, Buffer.from(text, 'utf8'));
        expect(hasher.link(prev, text)).toBe(reference);
        expect(chainHashOfJson(prev, text)).toBe(reference);
      }),
    );
    // Larger than the initial buffer, multi-byte: the buffer must grow, never truncate.
    const big = 'Đ😀'.repeat(40_000);
    expect(hasher.link(GENESIS_HASH, big)).toBe(chainHash(GENESIS_HASH, Buffer.from(big, 'utf8')));
    expect(hasher.link(GENESIS_HASH, 'x')).toBe(chainHash(GENESIS_HASH, Buffer.from('x')));
  });

  it('refuses a malformed previous hash rather than hashing fewer bytes', () => {
    expect(() => chainHash('xyz', new Uint8Array())).toThrow(TypeError);
    expect(() => chainHash('AB'.repeat(32), new Uint8Array())).toThrow(TypeError);
    expect(() => chainHashOfJson('0'.repeat(63), '{}')).toThrow(TypeError);
  });
});

// Computed independently (Python hashlib over 32 zero bytes + the UTF-8 text above).
const PINNED_FIXED_EVENT_HASH = '78c17ecaf79118292391fd9f88354d2380aabfcf0ce0212e8830732bf9aa9a4e';
