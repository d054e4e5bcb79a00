// Seeded randomness for the simulator: one independent stream per label (an area, a unit, an
// incident), so the same seed gives the same day whatever order the areas are planned in.
import { createHash } from 'node:crypto';
import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import type { RandomGenerator } from 'pure-rand/types/RandomGenerator';

export class SimRandom {
  private readonly rng: RandomGenerator;

  constructor(readonly seed: string) {
    this.rng = xoroshiro128plus(createHash('sha256').update(seed).digest().readInt32BE(0));
  }

  /** An independent stream for `label` under this seed. */
  fork(label: string): SimRandom {
    return new SimRandom(`${this.seed}/${label}`);
  }

  /** Uniform in [0, 1). */
  float(): number {
    return uniformFloat64(this.rng);
  }

  /** Uniform in [min, max). */
  between(min: number, max: number): number {
    return min + (max - min) * this.float();
  }

  /** Uniform integer in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.float() * (max - min + 1));
  }

  chance(probability: number): boolean {
    return this.float() < probability;
  }

  pick<T>(items: readonly T[]): T {
    const item = items[Math.floor(this.float() * items.length)];
    if (item === undefined) throw new Error('pick from an empty list');
    return item;
  }

  /** One of the items, by weight. */
  weighted<T>(items: readonly (readonly [T, number])[]): T {
    const total = items.reduce((sum, [, w]) => sum + w, 0);
    let left = this.float() * total;
    for (const [item, weight] of items) {
      left -= weight;
      if (left < 0) return item;
    }
    const last = items.at(-1);
    if (last === undefined) throw new Error('weighted pick from an empty list');
    return last[0];
  }
}
