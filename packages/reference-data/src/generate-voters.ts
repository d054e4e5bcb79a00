// generateVoters: the fictional people on the voter lists, streamed area by area (3,189,339 of
// them, so never held in memory at once). Each area's voters come from the seed and the area
// alone, so one area can be regenerated, or the city generated in parallel, with the same result.
import { minVoterAge } from './election-law.js';
import { haiPhong2026 } from './figures.js';
import { fictionalFullName } from './names.js';
import { intBetween, pickWeighted, randomStream, weightedTable } from './random.js';
import type { Gender, PollingArea, ReferenceDataset, Voter } from './schema.js';

export interface GenerateVotersOptions {
  /** Defaults to the dataset's own seed. */
  readonly seed?: string;
  /** Only these areas (in dataset order); their voters are the same as in a full run. */
  readonly pollingAreaIds?: readonly string[];
}

const femalePercent = 51;

// Birth years of voters aged 18 to 100 on election day, weighted like an ageing population. The
// youngest year includes people who turn 18 later in the year: birthYear alone cannot exclude them.
const electionYear = Number(haiPhong2026.electionDate.slice(0, 4));
const lastBirthYear = electionYear - minVoterAge;
const firstBirthYear = electionYear - 100;
const birthYears = weightedTable<number>(
  Array.from({ length: lastBirthYear - firstBirthYear + 1 }, (_, i): [number, number] => {
    const year = firstBirthYear + i;
    const age = electionYear - year;
    const weight = age < 60 ? 20 : age < 70 ? 16 : age < 80 ? 10 : age < 90 ? 4 : 1;
    return [year, weight];
  }),
);

/**
 * The 12 digits of a citizen id (căn cước) are: province of birth registration (3), century and
 * sex (1), year of birth (2), then 6 digits. We use 030 for communes of the former Hải Dương
 * province (codes below 11300) and 031 for Hải Phòng's own; the last 6 digits are the area's
 * position and a per-(area, century-sex, year) counter, scrambled by a bijection, so ids are
 * unique by construction and need no set of issued ids. They are fictional and carry no person.
 */
function provinceCode(communeId: string): string {
  return Number(communeId) < 11300 ? '030' : '031';
}

function centurySexDigit(gender: Gender, birthYear: number): number {
  return (birthYear >= 2000 ? 2 : 0) + (gender === 'female' ? 1 : 0);
}

/** A 4-round Feistel network on 000000–999999: a seeded bijection that hides the counter. */
function scrambler(seed: string): (value: number) => number {
  const rng = randomStream(seed, 'citizen-id');
  const keys = [0, 1, 2, 3].map(() => intBetween(rng, 0, 0x7fffffff));
  return (value) => {
    let left = Math.floor(value / 1000);
    let right = value % 1000;
    for (const key of keys) {
      let h = Math.imul(right ^ key, 0x9e3779b1);
      h = Math.imul(h ^ (h >>> 15), 0x85ebca6b);
      [left, right] = [right, (left + ((h ^ (h >>> 13)) >>> 0)) % 1000];
    }
    return left * 1000 + right;
  };
}

// Six digits hold areaIndex * 100 + counter: at most 9,999 areas and 100 voters per area who
// share a century-sex digit and a birth year (an area has about 1,250 voters over 83 years).
const perBucket = 100;
const maxAreas = 10_000;

function* votersOfArea(
  seed: string,
  area: PollingArea,
  areaIndex: number,
  scramble: (value: number) => number,
): Generator<Voter, void, undefined> {
  const rng = randomStream(seed, 'voters', area.pollingAreaId);
  const province = provinceCode(area.communeId);
  const used = new Uint8Array(4 * 100);
  for (let seq = 1; seq <= area.votersOnList; seq += 1) {
    const gender: Gender = intBetween(rng, 0, 99) < femalePercent ? 'female' : 'male';
    let birthYear = pickWeighted(rng, birthYears);
    let bucket = centurySexDigit(gender, birthYear) * 100 + (birthYear % 100);
    // A full bucket is all but impossible; drawing the year again keeps ids unique regardless.
    while ((used[bucket] ?? 0) >= perBucket) {
      birthYear = pickWeighted(rng, birthYears);
      bucket = centurySexDigit(gender, birthYear) * 100 + (birthYear % 100);
    }
    const counter = used[bucket] ?? 0;
    used[bucket] = counter + 1;
    const tail = String(scramble(areaIndex * perBucket + counter)).padStart(6, '0');
    yield {
      citizenId: `${province}${String(bucket).padStart(3, '0')}${tail}`,
      fullName: fictionalFullName(rng, gender),
      gender,
      birthYear,
      pollingAreaId: area.pollingAreaId,
      cardNumber: `${area.pollingAreaId}-${String(seq).padStart(4, '0')}`,
    };
  }
}

/**
 * Every voter on the lists, area by area in dataset order, exactly votersOnList per area. Citizen
 * ids and card numbers (`<pollingAreaId>-<nnnn>`) are unique; the same seed gives the same voters.
 */
export function* generateVoters(
  dataset: ReferenceDataset,
  options: GenerateVotersOptions = {},
): Generator<Voter, void, undefined> {
  const seed = options.seed ?? dataset.seed;
  if (dataset.pollingAreas.length > maxAreas) {
    throw new Error(
      `citizen ids have room for ${maxAreas} polling areas, not ${dataset.pollingAreas.length}`,
    );
  }
  const only = options.pollingAreaIds === undefined ? undefined : new Set(options.pollingAreaIds);
  const scramble = scrambler(seed);
  for (const [areaIndex, area] of dataset.pollingAreas.entries()) {
    if (only !== undefined && !only.has(area.pollingAreaId)) continue;
    yield* votersOfArea(seed, area, areaIndex, scramble);
  }
}
