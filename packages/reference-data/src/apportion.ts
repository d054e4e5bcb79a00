// Exact integer splits. Every figure of the dataset (voters, polling areas, seats, candidates) is
// a whole total shared out by weight, so the parts must add up to the total to the last unit:
// the largest-remainder (Hamilton) method, with optional bounds per part, in integer arithmetic.

export interface Share {
  readonly weight: number;
  readonly min?: number;
  readonly max?: number;
}

function checkSafe(value: number, what: string): number {
  if (!Number.isSafeInteger(value)) throw new Error(`apportion: ${what} is not a safe integer`);
  return value;
}

/**
 * Splits `total` into parts proportional to the weights, each within [min, max], summing exactly
 * to `total`. Parts whose proportional share falls outside their bounds are pinned to the bound
 * and the rest is shared again; ties in the remainders go to the earlier part, so the result
 * depends on nothing but the input.
 */
export function apportion(total: number, shares: readonly Share[]): number[] {
  checkSafe(total, 'total');
  const count = shares.length;
  const mins = shares.map((s) => checkSafe(s.min ?? 0, 'min'));
  const maxs = shares.map((s) => (s.max === undefined ? total : checkSafe(s.max, 'max')));
  const weights = shares.map((s) => checkSafe(s.weight, 'weight'));
  if (weights.some((w) => w < 0)) throw new Error('apportion: weights must not be negative');
  const sumMin = mins.reduce((a, b) => a + b, 0);
  const sumMax = maxs.reduce((a, b) => a + b, 0);
  if (mins.some((m, i) => m > (maxs[i] ?? 0)) || total < sumMin || total > sumMax) {
    throw new Error(`apportion: ${total} cannot be split within the bounds [${sumMin}, ${sumMax}]`);
  }

  const pinned: (number | undefined)[] = new Array<number | undefined>(count).fill(undefined);
  for (;;) {
    const free = [...Array(count).keys()].filter((i) => pinned[i] === undefined);
    if (free.length === 0) break;
    const rest = total - pinned.reduce<number>((a, b) => a + (b ?? 0), 0);
    const weightOf = freeWeights(weights, free);
    const sumWeights = free.reduce((a, i) => a + weightOf(i), 0);
    // Compare rest * w / W with the bounds as rest * w against bound * W: no fractions.
    const low = free.filter((i) => rest * weightOf(i) < (mins[i] ?? 0) * sumWeights);
    const high = free.filter((i) => rest * weightOf(i) > (maxs[i] ?? 0) * sumWeights);
    if (low.length === 0 && high.length === 0) break;
    const lowGap = low.reduce((a, i) => a + (mins[i] ?? 0) * sumWeights - rest * weightOf(i), 0);
    const highGap = high.reduce((a, i) => a + rest * weightOf(i) - (maxs[i] ?? 0) * sumWeights, 0);
    // Pin the side that overshoots most; pinning it moves the others away from the other side.
    if (lowGap >= highGap) for (const i of low) pinned[i] = mins[i];
    else for (const i of high) pinned[i] = maxs[i];
  }

  const parts = pinned.map((p) => p ?? 0);
  const free = [...Array(count).keys()].filter((i) => pinned[i] === undefined);
  if (free.length > 0) {
    const rest = total - pinned.reduce<number>((a, b) => a + (b ?? 0), 0);
    const weightOf = freeWeights(weights, free);
    const sumWeights = free.reduce((a, i) => a + weightOf(i), 0);
    const remainders: { index: number; remainder: number }[] = [];
    let given = 0;
    for (const i of free) {
      const numerator = checkSafe(rest * weightOf(i), 'share');
      const whole = Math.floor(numerator / sumWeights);
      parts[i] = whole;
      given += whole;
      remainders.push({ index: i, remainder: numerator - whole * sumWeights });
    }
    remainders.sort((a, b) => b.remainder - a.remainder || a.index - b.index);
    for (const { index } of remainders.slice(0, rest - given))
      parts[index] = (parts[index] ?? 0) + 1;
  }

  const sum = parts.reduce((a, b) => a + b, 0);
  if (sum !== total || parts.some((p, i) => p < (mins[i] ?? 0) || p > (maxs[i] ?? 0))) {
    throw new Error(`apportion: could not split ${total} within the bounds`);
  }
  return parts;
}

// Parts with no weight at all still have to take the rest somehow: share it equally then.
function freeWeights(weights: readonly number[], free: readonly number[]): (i: number) => number {
  const allZero = free.every((i) => (weights[i] ?? 0) === 0);
  return (i) => (allZero ? 1 : (weights[i] ?? 0));
}

/**
 * Cuts a sequence into `targets.length` consecutive non-empty groups whose weights follow the
 * targets as closely as a cut between items allows (each cut at the prefix nearest its target
 * share). Returns the group sizes. Used to group communes into city units and polling areas into
 * commune units without shuffling them.
 */
export function partitionConsecutive(
  weights: readonly number[],
  targets: readonly number[],
): number[] {
  const groups = targets.length;
  if (groups === 0 || groups > weights.length) {
    throw new Error(`partition: cannot cut ${weights.length} items into ${groups} groups`);
  }
  const total = weights.reduce((a, b) => a + b, 0);
  const targetTotal = targets.reduce((a, b) => a + b, 0);
  const prefix = [0];
  for (const w of weights) prefix.push((prefix[prefix.length - 1] ?? 0) + w);

  const cuts: number[] = [];
  let previous = 0;
  let cumulativeTarget = 0;
  for (let g = 0; g < groups - 1; g += 1) {
    cumulativeTarget += targets[g] ?? 0;
    let best = previous + 1;
    let bestGap = Infinity;
    // Leave at least one item for each group still to come.
    for (let cut = previous + 1; cut <= weights.length - (groups - 1 - g); cut += 1) {
      const gap = Math.abs((prefix[cut] ?? 0) * targetTotal - total * cumulativeTarget);
      if (gap < bestGap) {
        best = cut;
        bestGap = gap;
      }
    }
    cuts.push(best);
    previous = best;
  }
  cuts.push(weights.length);
  return cuts.map((cut, g) => cut - (g === 0 ? 0 : (cuts[g - 1] ?? 0)));
}
