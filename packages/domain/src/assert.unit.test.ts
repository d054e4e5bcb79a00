import { describe, expect, it } from 'vitest';
import { assert, assertNever, InvariantError } from './assert.js';
import { err, mapResult, ok } from './result.js';
import { Level, levels } from './levels.js';

describe('error policy helpers', () => {
  it('assert throws an InvariantError with the message', () => {
    expect(() => assert(1 > 2, 'one is not greater than two')).toThrow(InvariantError);
    expect(() => assert(true, 'fine')).not.toThrow();
  });

  it('assertNever names the unexpected value', () => {
    const level = 'district' as unknown as never;
    expect(() => assertNever(level, 'level')).toThrow('unexpected level: "district"');
  });

  it('mapResult maps values and passes failures through', () => {
    expect(mapResult(ok(2), (n) => n * 2)).toEqual(ok(4));
    const failure = err({ code: 'X', message: 'x' });
    expect(mapResult(failure, (n: number) => n * 2)).toBe(failure);
  });

  it('knows exactly the three ballot levels', () => {
    expect(levels).toEqual(['na', 'city', 'commune']);
    expect(Level.safeParse('district').success).toBe(false);
  });
});
