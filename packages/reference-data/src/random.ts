// Seeded randomness for the generators: a string seed becomes independent xoroshiro128+ streams,
// one per purpose, so a change in how candidates are drawn never moves the voter spread.
import { uniformInt } from 'pure-rand/distribution/uniformInt';
import { xoroshiro128plusFromState } from 'pure-rand/generator/xoroshiro128plus';
import type { RandomGenerator } from 'pure-rand/types/RandomGenerator';

export type { RandomGenerator };

// Four FNV-1a lanes with different offsets, each finished with murmur3's fmix32: 128 bits of
// state from any string, the same on every machine (UTF-16 code units, no locale, no clock).
const laneOffsets = [0x811c9dc5, 0x01000193 ^ 0x5bd1e995, 0x9e3779b9, 0x85ebca6b] as const;

function fmix32(h: number): number {
  let x = h ^ (h >>> 16);
  x = Math.imul(x, 0x85ebca6b);
  x ^= x >>> 13;
  x = Math.imul(x, 0xc2b2ae35);
  return (x ^ (x >>> 16)) | 0;
}

export function hash128(text: string): [number, number, number, number] {
  const lanes = laneOffsets.map((offset, lane) => {
    let h = offset ^ lane;
    for (let i = 0; i < text.length; i += 1) {
      h ^= text.charCodeAt(i);
      h = Math.imul(h, 0x01000193);
    }
    return fmix32(h ^ text.length);
  });
  const [a = 0, b = 0, c = 0, d = 0] = lanes;
  // xoroshiro128+ never leaves the all-zero state; make sure it never starts there.
  return a === 0 && b === 0 && c === 0 && d === 0 ? [1, 0, 0, 0] : [a, b, c, d];
}

/** An independent generator for one purpose of one seed (`stream` names the purpose). */
export function randomStream(
  seed: string,
  ...stream: readonly (string | number)[]
): RandomGenerator {
  return xoroshiro128plusFromState(hash128([seed, ...stream].join('\u0000')));
}

/** A whole number in [from, to], both included. */
export function intBetween(rng: RandomGenerator, from: number, to: number): number {
  return uniformInt(rng, from, to);
}

/** Weighted choice from a table prepared once with weightedTable (cumulative integer weights). */
export interface WeightedTable<T> {
  readonly items: readonly T[];
  readonly cumulative: readonly number[];
  readonly total: number;
}

export function weightedTable<T>(entries: readonly (readonly [T, number])[]): WeightedTable<T> {
  const items: T[] = [];
  const cumulative: number[] = [];
  let total = 0;
  for (const [item, weight] of entries) {
    if (!Number.isInteger(weight) || weight <= 0)
      throw new Error(`weight must be a positive integer`);
    total += weight;
    items.push(item);
    cumulative.push(total);
  }
  if (items.length === 0) throw new Error('a weighted table needs at least one entry');
  return { items, cumulative, total };
}

export function pickWeighted<T>(rng: RandomGenerator, table: WeightedTable<T>): T {
  const ticket = uniformInt(rng, 0, table.total - 1);
  let low = 0;
  let high = table.cumulative.length - 1;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if ((table.cumulative[mid] ?? 0) > ticket) high = mid;
    else low = mid + 1;
  }
  const item = table.items[low];
  if (item === undefined) throw new Error('weighted pick out of range');
  return item;
}

export function pickOne<T>(rng: RandomGenerator, items: readonly T[]): T {
  const item = items[uniformInt(rng, 0, items.length - 1)];
  if (item === undefined) throw new Error('cannot pick from an empty list');
  return item;
}
