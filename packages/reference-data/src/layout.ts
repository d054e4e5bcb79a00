// The part of the dataset that does not depend on the seed: how many voters, polling areas, seats
// and units each commune gets, and which communes form each city unit. Everything is shared out
// from the official totals by the largest-remainder method, so the totals are exact by design.
import { apportion, partitionConsecutive } from './apportion.js';
import { minCandidates } from './election-law.js';
import { communeFacts, type CommuneFact } from './facts/communes.js';
import { nationalAssemblyUnitFacts } from './facts/national-assembly-units.js';
import { bachLongVi, haiPhong2026 } from './figures.js';
import type { ElectoralLevel, SeparatePollingAreaKind } from './schema.js';

export interface CommuneLayout {
  readonly fact: CommuneFact;
  readonly votersOnList: number;
  readonly residentialAreas: number;
  /** Kinds of this commune's separate polling areas, numbered after the residential ones. */
  readonly separateAreas: readonly SeparatePollingAreaKind[];
  readonly seats: number;
  /** Seats of each commune-level unit, largest first; one entry per unit. */
  readonly unitSeats: readonly number[];
}

export interface CityUnitLayout {
  readonly number: number;
  readonly naUnit: number;
  readonly seats: number;
  readonly communeCodes: readonly string[];
}

export interface Layout {
  readonly communes: readonly CommuneLayout[];
  readonly cityUnits: readonly CityUnitLayout[];
}

// Separate polling areas go one each to the most populous communes (hospitals, barracks and
// detention centres sit where people are), kinds taken in turn; Bạch Long Vĩ gets the 40th for
// its garrison. Counts are ours: the sources give only the total of 40.
const separateAreaPlan: readonly (readonly [SeparatePollingAreaKind, number])[] = [
  ['hospital', 14],
  ['armed_forces', 17],
  ['care_facility', 3],
  ['detention', 3],
  ['rehabilitation', 2],
];

/** Seats a commune council would have by size: 15, one more per 4,000 people above 8,000, ≤ 30. */
function councilSizeWeight(population: number): number {
  return Math.min(30, 15 + Math.max(0, Math.floor((population - 8_000) / 4_000)));
}

function placeSeparateAreas(): Map<string, SeparatePollingAreaKind[]> {
  // The kinds in turn (hospital, armed forces, care, detention, rehabilitation, hospital, …),
  // skipping a kind once its count is used up.
  const left = new Map(separateAreaPlan);
  const kinds: SeparatePollingAreaKind[] = [];
  while ([...left.values()].some((n) => n > 0)) {
    for (const [kind] of separateAreaPlan) {
      const n = left.get(kind) ?? 0;
      if (n > 0) {
        kinds.push(kind);
        left.set(kind, n - 1);
      }
    }
  }
  const byPopulation = communeFacts
    .filter((c) => c.code !== bachLongVi.communeId)
    .sort((a, b) => b.population - a.population || Number(a.code) - Number(b.code));
  const placed = new Map<string, SeparatePollingAreaKind[]>(
    kinds.map((kind, i) => [byPopulation[i]?.code ?? '', [kind]]),
  );
  placed.set(bachLongVi.communeId, ['armed_forces']);
  const total = [...placed.values()].reduce((a, k) => a + k.length, 0);
  if (placed.has('') || total !== haiPhong2026.separatePollingAreas) {
    throw new Error('the separate polling areas do not add up to 40');
  }
  return placed;
}

/** Seats of u units sharing `seats`, with `fives` of them at 5 and the rest as even as can be. */
function splitSeats(seats: number, units: number, fives: number): number[] {
  const rest = units - fives;
  const left = seats - 5 * fives;
  const even =
    rest === 0
      ? []
      : apportion(
          left,
          Array.from({ length: rest }, () => ({ weight: 1 })),
        );
  return [...Array.from({ length: fives }, () => 5), ...even].sort((a, b) => b - a);
}

/** How many of a commune's units may elect 5 seats while the others keep 1–4 seats each. */
function fiveSeatRange(seats: number, units: number): { min: number; max: number } {
  let min = units;
  let max = 0;
  for (let f = 0; f <= units; f += 1) {
    const rest = units - f;
    const left = seats - 5 * f;
    const fits = rest === 0 ? left === 0 : left >= rest && left <= 4 * rest;
    if (fits) {
      min = Math.min(min, f);
      max = Math.max(max, f);
    }
  }
  if (min > max) throw new Error(`no split of ${seats} seats into ${units} units`);
  return { min, max };
}

/**
 * Seats and units per commune, then how many units elect 5 seats: the fewest 5-seat units for
 * which the lists the law requires (minCandidates) fit within the city's 3,952 candidates.
 */
function planCommuneCouncils(
  facts: readonly CommuneFact[],
  areas: readonly number[],
): { seats: number[]; unitSeats: number[][] } {
  const target = haiPhong2026.electoralUnits.commune;
  const seats = apportion(
    target.seats,
    facts.map((c, i) => ({
      weight: councilSizeWeight(c.population),
      min: 15,
      max: Math.min(30, 5 * (areas[i] ?? 0)),
    })),
  );
  const units = apportion(
    target.units,
    seats.map((s, i) => ({ weight: s, min: Math.ceil(s / 5), max: Math.min(areas[i] ?? 0, s) })),
  );
  const ranges = seats.map((s, i) => fiveSeatRange(s, units[i] ?? 0));
  const fewest = ranges.reduce((a, r) => a + r.min, 0);
  const most = ranges.reduce((a, r) => a + r.max, 0);
  for (let fives = fewest; fives <= most; fives += 1) {
    const perCommune = apportion(
      fives,
      ranges.map((r, i) => ({ weight: units[i] ?? 0, min: r.min, max: r.max })),
    );
    const unitSeats = seats.map((s, i) => splitSeats(s, units[i] ?? 0, perCommune[i] ?? 0));
    const required = unitSeats.flat().reduce((a, s) => a + minCandidates('commune', s), 0);
    if (required <= target.candidates) return { seats, unitSeats };
  }
  throw new Error('no split of commune seats lets the required lists fit 3,952 candidates');
}

/**
 * City units nest in National Assembly units: each NA unit gets city units in proportion to its
 * voters and its communes are cut, in the resolution's order, into groups of similar size. The
 * five smallest groups elect 4 seats, the others 5 (13 × 5 + 5 × 4 = 85).
 */
function planCityUnits(votersByCode: ReadonlyMap<string, number>): CityUnitLayout[] {
  const votersOf = (code: string): number => votersByCode.get(code) ?? 0;
  const naVoters = nationalAssemblyUnitFacts.map((u) =>
    u.communeCodes.reduce((a, code) => a + votersOf(code), 0),
  );
  const perNa = apportion(
    haiPhong2026.electoralUnits.city.units,
    naVoters.map((v, i) => ({
      weight: v,
      min: 1,
      max: nationalAssemblyUnitFacts[i]?.communeCodes.length ?? 1,
    })),
  );
  const groups: { naUnit: number; communeCodes: string[]; voters: number }[] = [];
  nationalAssemblyUnitFacts.forEach((naUnit, i) => {
    const count = perNa[i] ?? 0;
    const sizes = partitionConsecutive(
      naUnit.communeCodes.map(votersOf),
      Array.from({ length: count }, () => 1),
    );
    let start = 0;
    for (const size of sizes) {
      const communeCodes = naUnit.communeCodes.slice(start, start + size);
      groups.push({
        naUnit: naUnit.unit,
        communeCodes,
        voters: communeCodes.reduce((a, code) => a + votersOf(code), 0),
      });
      start += size;
    }
  });
  const fourSeatCount = haiPhong2026.unitSizes.city[4];
  const fourSeaters = new Set(
    groups
      .map((g, index) => ({ index, voters: g.voters }))
      .sort((a, b) => a.voters - b.voters || a.index - b.index)
      .slice(0, fourSeatCount)
      .map((g) => g.index),
  );
  return groups.map((g, index) => ({
    number: index + 1,
    naUnit: g.naUnit,
    seats: fourSeaters.has(index) ? 4 : 5,
    communeCodes: g.communeCodes,
  }));
}

/** The seed-independent layout of Hải Phòng 2026. */
export function planLayout(): Layout {
  const weights = communeFacts.map((c) => ({ weight: c.population }));
  const voters = apportion(haiPhong2026.votersOnList, weights);
  // At least two residential areas each: Bạch Long Vĩ's 686 people would otherwise get none.
  const residential = apportion(
    haiPhong2026.residentialPollingAreas,
    weights.map((w) => ({ ...w, min: 2 })),
  );
  const separate = placeSeparateAreas();
  const areas = communeFacts.map(
    (c, i) => (residential[i] ?? 0) + (separate.get(c.code)?.length ?? 0),
  );
  const councils = planCommuneCouncils(communeFacts, areas);
  const communes = communeFacts.map((fact, i) => ({
    fact,
    votersOnList: voters[i] ?? 0,
    residentialAreas: residential[i] ?? 0,
    separateAreas: separate.get(fact.code) ?? [],
    seats: councils.seats[i] ?? 0,
    unitSeats: councils.unitSeats[i] ?? [],
  }));
  const votersByCode = new Map(communes.map((c) => [c.fact.code, c.votersOnList]));
  return { communes, cityUnits: planCityUnits(votersByCode) };
}

/** How many candidates each unit of a level lists: the legal minimum, plus the rest shared out. */
export function candidatesPerUnit(level: ElectoralLevel, unitSeats: readonly number[]): number[] {
  const required = unitSeats.map((s) => minCandidates(level, s));
  const extra = haiPhong2026.electoralUnits[level].candidates - required.reduce((a, b) => a + b, 0);
  if (extra < 0) throw new Error(`the ${level} lists cannot be as short as the law requires`);
  const added = apportion(
    extra,
    unitSeats.map((s) => ({ weight: s, max: 2 })),
  );
  return required.map((r, i) => r + (added[i] ?? 0));
}
