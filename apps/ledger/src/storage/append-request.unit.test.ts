import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../chain/canonical-json.js';
import {
  parseAppendRequestJson,
  parseExpectedRevision,
  validateAppendRequest,
} from './append-request.js';
import { resolveLimits } from './limits.js';
import { newTestEvent } from './test-events.test-support.js';

const limits = resolveLimits({
  maxEventBytes: 1_000,
  maxEventsPerAppend: 5,
  maxAppendBytes: 3_000,
});
const streamId = 'incident-abc';

function codeOf(input: unknown): string {
  const result = validateAppendRequest(input, limits);
  return result.ok ? 'OK' : result.error.code;
}

function request(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return { streamId, expectedRevision: 'any', events: [newTestEvent(streamId)], ...overrides };
}

describe('validateAppendRequest', () => {
  it('accepts a well-formed request and gives canonical data and metadata with their size', () => {
    const event = newTestEvent(streamId, { b: 1, a: [true, null, 'x'] });
    const result = validateAppendRequest(request({ events: [event] }), limits);
    if (!result.ok) throw new Error(result.error.message);
    const [validated] = result.value.events;
    expect(validated?.dataJson).toBe('{"a":[true,null,"x"],"b":1}');
    expect(validated?.metadataJson).toBe(canonicalJson(event.metadata));
    expect(result.value.bytes).toBe(
      Buffer.byteLength(validated?.dataJson ?? '') +
        Buffer.byteLength(validated?.metadataJson ?? ''),
    );
  });

  it('refuses an empty append', () => {
    expect(codeOf(request({ events: [] }))).toBe('EMPTY_APPEND');
  });

  it('refuses more events than the per-append limit', () => {
    const events = Array.from({ length: 6 }, () => newTestEvent(streamId));
    expect(codeOf(request({ events }))).toBe('TOO_MANY_EVENTS');
  });

  it('refuses an event whose canonical data and metadata exceed the size limit', () => {
    expect(codeOf(request({ events: [newTestEvent(streamId, { s: 'x'.repeat(900) })] }))).toBe(
      'EVENT_TOO_LARGE',
    );
    // Multi-byte text counts in UTF-8 bytes, not in characters.
    expect(codeOf(request({ events: [newTestEvent(streamId, { s: 'Đ'.repeat(450) })] }))).toBe(
      'EVENT_TOO_LARGE',
    );
    // A huge event is refused without canonicalising all of it.
    expect(
      codeOf(request({ events: [newTestEvent(streamId, { s: 'x'.repeat(10_000_000) })] })),
    ).toBe('EVENT_TOO_LARGE');
  });

  it('refuses an append whose events together exceed the append size limit', () => {
    const events = Array.from({ length: 5 }, () => newTestEvent(streamId, { s: 'x'.repeat(700) }));
    expect(codeOf(request({ events }))).toBe('APPEND_TOO_LARGE');
  });

  it('refuses garbage expected revisions with their own code', () => {
    for (const expectedRevision of [
      'latest',
      '3',
      -1,
      1.5,
      Number.NaN,
      2 ** 31,
      null,
      undefined,
      {},
      [],
    ]) {
      expect(codeOf(request({ expectedRevision }))).toBe('UNKNOWN_EXPECTED_REVISION');
    }
    expect(parseExpectedRevision(0)).toBe(0);
    expect(parseExpectedRevision('stream_exists')).toBe('stream_exists');
  });

  it('refuses requests that are not objects, have unknown fields or a bad stream id', () => {
    for (const input of [null, 'x', 42, [], request({ extra: 1 }), request({ streamId: 'nope' })]) {
      expect(codeOf(input)).toBe('VALIDATION_FAILED');
    }
    expect(codeOf(request({ events: 'not-an-array' }))).toBe('VALIDATION_FAILED');
  });

  it('refuses events of the wrong shape and says which field is wrong (zod issues)', () => {
    const bad = { ...newTestEvent(streamId), schemaVersion: 'one' };
    const result = validateAppendRequest(request({ events: [bad] }), limits);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe('VALIDATION_FAILED');
    expect(result.error.details?.['issues']).toEqual([
      expect.objectContaining({ path: ['events', 0, 'schemaVersion'] }),
    ]);
    for (const event of [
      { ...newTestEvent(streamId), eventId: 'not-a-uuid' },
      { ...newTestEvent(streamId), type: 'lowercase' },
      { ...newTestEvent(streamId), data: [1, 2] },
      { ...newTestEvent(streamId), unexpected: true },
      { ...newTestEvent(streamId), metadata: {} },
      newTestEvent('incident-other'),
      'an event',
    ]) {
      expect(codeOf(request({ events: [event] }))).toBe('VALIDATION_FAILED');
    }
  });

  it('refuses data that would not survive JSONB unchanged', () => {
    const cyclic: Record<string, unknown> = {};
    cyclic['self'] = cyclic;
    for (const data of [
      { n: Number.POSITIVE_INFINITY },
      { n: Number.NaN },
      { n: 2 ** 53 },
      { n: -(2 ** 60) },
      { s: 'nul\u0000char' },
      { s: 'lone \ud800 surrogate' },
      { ['key\u0000']: 1 },
      { d: new Date() },
      { m: new Map() },
      { u: undefined },
      { b: 1n },
      { f: () => 1 },
      JSON.parse('{"__proto__": {"polluted": true}}') as Record<string, unknown>,
      cyclic,
    ]) {
      expect(
        codeOf(request({ events: [newTestEvent(streamId, data)] })),
        JSON.stringify(Object.keys(data)),
      ).toBe('VALIDATION_FAILED');
    }
    // Large but safe integers, fractions, astral characters and deep-but-bounded nesting are fine.
    expect(
      codeOf(
        request({
          events: [
            newTestEvent(streamId, {
              n: 2 ** 53 - 1,
              f: 0.1,
              g: -1e-300,
              e: '😀',
              x: { y: { z: [1] } },
            }),
          ],
        }),
      ),
    ).toBe('OK');
  });

  it('refuses nesting deeper than the limit', () => {
    let deep: unknown = 1;
    for (let i = 0; i < 40; i += 1) deep = [deep];
    expect(codeOf(request({ events: [newTestEvent(streamId, { deep })] }))).toBe(
      'VALIDATION_FAILED',
    );
  });

  it('refuses the same event id twice in one append', () => {
    const event = newTestEvent(streamId);
    expect(codeOf(request({ events: [event, { ...event }] }))).toBe('VALIDATION_FAILED');
  });

  it('turns malformed JSON into a VALIDATION_FAILED value, not an exception', () => {
    for (const text of ['{"streamId": ', '', 'undefined', '{streamId: 1}']) {
      const parsed = parseAppendRequestJson(text);
      expect(parsed.ok ? 'OK' : parsed.error.code).toBe('VALIDATION_FAILED');
    }
    const parsed = parseAppendRequestJson(JSON.stringify(request()));
    expect(parsed.ok && codeOf(parsed.value)).toBe('OK');
  });
});
