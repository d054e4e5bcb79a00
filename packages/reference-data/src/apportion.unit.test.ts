import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { apportion, partitionConsecutive } from './apportion.js';

const sum = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0);

describe('apportion (largest remainder)', () => {
  it('splits exactly, giving leftover units to the largest remainders', () => {
    // Quotas 4.2857, 2.8571, 2.8571: floors 4+2+2, the two leftover units go to the .8571s.
    expect(apportion(10, [{ weight: 3 }, { weight: 2 }, { weight: 2 }])).toEqual([4, 3, 3]);
    expect(apportion(3_189_339, [{ weight: 1 }, { weight: 1 }])).toEqual([1_594_670, 1_594_669]);
  });

  it('pins parts to their bounds and shares the rest among the others', () => {
    expect(apportion(10, [{ weight: 1, min: 4 }, { weight: 100 }, { weight: 100 }])).toEqual([
      4, 3, 3,
    ]);
    expect(apportion(10, [{ weight: 100, max: 2 }, { weight: 1 }, { weight: 1 }])).toEqual([
      2, 4, 4,
    ]);
  });

  it('refuses a total that the bounds cannot hold', () => {
    expect(() =>
      apportion(5, [
        { weight: 1, min: 3 },
        { weight: 1, min: 3 },
      ]),
    ).toThrow(/cannot be split/);
    expect(() =>
      apportion(5, [
        { weight: 1, max: 2 },
        { weight: 1, max: 2 },
      ]),
    ).toThrow(/cannot be split/);
  });

  it('always adds up to the total and respects the bounds (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ weight: fc.nat(10_000), min: fc.nat(5), span: fc.nat(50) }), {
          minLength: 1,
          maxLength: 40,
        }),
        fc.nat(),
        (items, pick) => {
          const shares = items.map((i) => ({ weight: i.weight, min: i.min, max: i.min + i.span }));
          const low = sum(shares.map((s) => s.min));
          const high = sum(shares.map((s) => s.max));
          const total = low + (pick % (high - low + 1));
          const parts = apportion(total, shares);
          expect(sum(parts)).toBe(total);
          parts.forEach((p, i) => {
            expect(p).toBeGreaterThanOrEqual(shares[i]?.min ?? 0);
            expect(p).toBeLessThanOrEqual(shares[i]?.max ?? 0);
          });
        },
      ),
    );
  });
});

describe('partitionConsecutive', () => {
  it('cuts where the prefix comes closest to each target share', () => {
    expect(partitionConsecutive([1, 1, 1, 1, 1, 1], [1, 1, 1])).toEqual([2, 2, 2]);
    expect(partitionConsecutive([10, 1, 1, 10], [1, 1])).toEqual([2, 2]);
    expect(partitionConsecutive([5, 5, 5, 5], [3, 1])).toEqual([3, 1]);
  });

  it('gives every group at least one item, and covers all items (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 5_000 }), { minLength: 1, maxLength: 60 }),
        fc.array(fc.integer({ min: 1, max: 5 }), { minLength: 1, maxLength: 60 }),
        (weights, targets) => {
          const groups = targets.slice(0, weights.length);
          const sizes = partitionConsecutive(weights, groups);
          expect(sizes).toHaveLength(groups.length);
          expect(sizes.every((s) => s >= 1)).toBe(true);
          expect(sum(sizes)).toBe(weights.length);
        },
      ),
    );
  });
});
