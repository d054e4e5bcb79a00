import { describe, expect, it } from 'vitest';
import { groupBySize, joinJsonArray } from './json-batch.js';

const enc = (v: unknown): Uint8Array => new TextEncoder().encode(JSON.stringify(v));

describe('joinJsonArray', () => {
  it('joins encoded texts into one JSON object that parses back to the values', () => {
    const values = [{ a: 1 }, 'ü ✓', [1, 2], null];
    const joined = joinJsonArray('appends', values.map(enc));
    expect(JSON.parse(new TextDecoder().decode(joined))).toEqual({ appends: values });
    expect(JSON.parse(new TextDecoder().decode(joinJsonArray('x', [])))).toEqual({ x: [] });
  });
});

describe('groupBySize', () => {
  it('keeps order, the byte limit and the count limit; an oversized item goes alone', () => {
    const sizes = [3, 3, 3, 10, 1, 1, 1, 1];
    const groups = groupBySize(sizes, (n) => n, 8, 3);
    expect(groups).toEqual([[3, 3], [3], [10], [1, 1, 1], [1]]);
    expect(groups.flat()).toEqual(sizes);
    expect(groupBySize([], (n: number) => n, 8, 3)).toEqual([]);
  });
});
