import { describe, expect, it } from 'vitest';
import { uuidV4 } from './random-ids.ts';
import { newTraceContext, traceparent, traceparentPattern } from './traceparent.ts';

describe('traceparent', () => {
  it('is version 00, a 16-byte trace id, an 8-byte span id, sampled', () => {
    const header = traceparent();
    expect(header).toMatch(traceparentPattern);
    expect(header).toHaveLength(55);
    expect(header.endsWith('-01')).toBe(true);
  });

  it('is fresh per request', () => {
    const headers = new Set(Array.from({ length: 1_000 }, () => traceparent()));
    expect(headers.size).toBe(1_000);
  });

  it('never uses the all-zero ids the spec calls invalid', () => {
    let calls = 0;
    // The first draw of each id is all zeros; the second is not.
    const random = (length: number): Uint8Array => {
      calls += 1;
      return calls % 2 === 1 ? new Uint8Array(length) : new Uint8Array(length).fill(0xab);
    };
    const context = newTraceContext(random);
    expect(context.traceId).toBe('ab'.repeat(16));
    expect(context.spanId).toBe('ab'.repeat(8));
    expect(context.header).toBe(`00-${'ab'.repeat(16)}-${'ab'.repeat(8)}-01`);
  });
});

describe('uuidV4', () => {
  it('is an RFC 9562 version-4 UUID', () => {
    expect(uuidV4()).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
    expect(uuidV4(() => new Uint8Array(16).fill(0xff))).toBe(
      'ffffffff-ffff-4fff-bfff-ffffffffffff',
    );
  });
});
