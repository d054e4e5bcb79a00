import canonicalizeImport from 'canonicalize';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJson } from './canonical-json.js';

// The library itself, as the reference the fast path must reproduce (same import dance as
// canonical-json.ts, for the same reason).
const imported: unknown = canonicalizeImport;
const library = (typeof imported === 'function' ? imported : canonicalizeImport.default) as (
  input: unknown,
) => string | undefined;

/** The library's outcome as a comparable value: its text, or the fact that it threw. */
function outcome(run: () => string | undefined): string {
  try {
    const text = run();
    return text === undefined ? 'no text' : `text ${text}`;
  } catch {
    return 'threw';
  }
}

const viaLibrary = (value: unknown): string => outcome(() => library(value));
const viaOurs = (value: unknown): string =>
  outcome(() => {
    try {
      return canonicalJson(value);
    } catch (error) {
      // canonicalJson turns "no JSON text" into a TypeError; the library returns undefined.
      if (error instanceof TypeError && error.message.startsWith('value has no JSON text'))
        return undefined;
      throw error;
    }
  });

describe('canonicalJson', () => {
  it('equals the canonicalize library on any JSON value', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        expect(canonicalJson(value)).toBe(library(value));
      }),
      { numRuns: 2_000 },
    );
  });

  it('equals the library on values that went through JSON text (as read back from JSONB)', () => {
    fc.assert(
      fc.property(fc.json(), (text) => {
        const value: unknown = JSON.parse(text);
        expect(canonicalJson(value)).toBe(library(value));
      }),
      { numRuns: 2_000 },
    );
  });

  it('equals the library on anything, odd values and failures included', () => {
    fc.assert(
      fc.property(fc.anything({ withBigInt: true, withDate: true, withSparseArray: true }), (v) => {
        expect(viaOurs(v)).toBe(viaLibrary(v));
      }),
      { numRuns: 2_000 },
    );
  });

  it.each([
    ['sorted keys by UTF-16 code units', { b: 1, a: [1, 'x'], é: null, Z: true }],
    ['undefined members skipped, written as null in arrays', { a: undefined, b: [undefined, 1] }],
    ['a toJSON method', { when: new Date(Date.UTC(2026, 2, 15)) }],
    ['a toJSON member that is no function', { toJSON: 1, a: 2 }],
    ['negative zero and exponents', [-0, 1e21, 1e-7, 0.1]],
    ['a sparse array', [1, , 3]], // eslint-disable-line no-sparse-arrays -- the case under test
    ['a function inside', { f: () => 1, g: [() => 2] }],
    ['NaN', { n: Number.NaN }],
    ['Infinity', [Number.POSITIVE_INFINITY]],
    ['a bigint', { b: 1n }],
    ['lone surrogates and escapes', { '\ud800': 'a\udc00\u0007"\\' }],
  ])('equals the library on %s', (_name, value) => {
    expect(viaOurs(value)).toBe(viaLibrary(value));
  });

  it('refuses a value with no JSON text', () => {
    expect(() => canonicalJson(undefined)).toThrow(TypeError);
    expect(() => canonicalJson(() => 1)).toThrow(TypeError);
  });
});
