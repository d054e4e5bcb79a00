// generateReferenceDataset: Hải Phòng 2026 as one plain JSON-ready object. The layout (voters,
// areas, seats and units per commune) comes from the official totals; the seed decides only how
// each commune's voters spread over its polling areas and who the fictional candidates are.
import { apportion, partitionConsecutive } from './apportion.js';
import {
  addDays,
  formatIsoDate,
  fromDayNumber,
  parseIsoDate,
  toDayNumber,
  type CivilDate,
} from './calendar.js';
import { nationalAssemblyUnitFacts } from './facts/national-assembly-units.js';
import { bachLongVi, haiPhong2026 } from './figures.js';
import { candidatesPerUnit, planLayout, type CommuneLayout, type Layout } from './layout.js';
import { fictionalFullName } from './names.js';
import { intBetween, randomStream, type RandomGenerator } from './random.js';
import { computeTotals } from './totals.js';
import {
  communeTypeLabels,
  type Candidate,
  type Commune,
  type CommuneType,
  type CommuneTypeLabel,
  type ElectoralLevel,
  type ElectoralUnit,
  type Gender,
  type PollingArea,
  type PollingAreaUnits,
  type ReferenceDataset,
  type SeparatePollingAreaKind,
} from './schema.js';

export interface GenerateReferenceDatasetOptions {
  /** Any string; the stack's default is defaultReferenceSeed. */
  readonly seed: string;
}

export const defaultReferenceSeed = 'haiphong-2026';

// The code's name for each type as the sources write it (the inverse of communeTypeLabels).
const communeTypeOf: Record<CommuneTypeLabel, CommuneType> = {
  phường: 'phuong',
  xã: 'xa',
  'đặc khu': 'dac_khu',
};

// Separate areas are smaller than residential ones; the law sets 50 voters as the floor for
// hospitals and care homes (art. 11). Ranges are ours.
const separateAreaVoters: Record<SeparatePollingAreaKind, readonly [number, number]> = {
  armed_forces: [150, 900],
  hospital: [60, 400],
  care_facility: [50, 200],
  detention: [80, 600],
  rehabilitation: [60, 300],
};

const separateAreaLabels: Record<SeparatePollingAreaKind, string> = {
  armed_forces: 'đơn vị vũ trang nhân dân',
  hospital: 'bệnh viện',
  care_facility: 'cơ sở chăm sóc người cao tuổi',
  detention: 'trại tạm giam',
  rehabilitation: 'cơ sở cai nghiện bắt buộc',
};

// Ages of candidates on election day, by level; all at least the legal 21.
const candidateAges: Record<ElectoralLevel, readonly [number, number]> = {
  na: [35, 68],
  city: [28, 65],
  commune: [23, 65],
};
const femaleCandidatePercent = 40;

let cachedLayout: Layout | undefined;
// The layout is the same for every seed; working it out once keeps repeated generation fast.
function layout(): Layout {
  cachedLayout ??= planLayout();
  return cachedLayout;
}

const pad = (n: number, width: number): string => String(n).padStart(width, '0');

function communeRecord(plan: CommuneLayout): Commune {
  const early = plan.fact.code === bachLongVi.communeId;
  const electionDate = early ? bachLongVi.electionDate : haiPhong2026.electionDate;
  const type = communeTypeOf[plan.fact.type];
  return {
    communeId: plan.fact.code,
    name: plan.fact.name,
    type,
    typeLabel: communeTypeLabels[type],
    population: plan.fact.population,
    areaKm2: plan.fact.areaKm2,
    votersOnList: plan.votersOnList,
    pollingAreaCount: plan.residentialAreas + plan.separateAreas.length,
    electionDate,
    cardDistribution: {
      from: addDays(electionDate, -haiPhong2026.cardDistributionDaysBefore.from),
      to: addDays(electionDate, -haiPhong2026.cardDistributionDaysBefore.to),
    },
  };
}

interface AreaDraft {
  readonly pollingAreaId: string;
  readonly communeId: string;
  readonly name: string;
  readonly separateKind: SeparatePollingAreaKind | null;
  readonly votersOnList: number;
}

/** A commune's polling areas: residential ones first, then its separate ones. */
function draftAreas(plan: CommuneLayout, rng: RandomGenerator): AreaDraft[] {
  const total = plan.residentialAreas + plan.separateAreas.length;
  // A separate area never takes more than half an average area's voters, so the island's
  // garrison cannot swallow Bạch Long Vĩ's list.
  const cap = Math.floor(plan.votersOnList / (2 * total));
  const separateVoters = plan.separateAreas.map((kind) => {
    const [low, high] = separateAreaVoters[kind];
    return intBetween(rng, Math.min(low, cap), Math.min(high, cap));
  });
  const residentialVoters = apportion(
    plan.votersOnList - separateVoters.reduce((a, b) => a + b, 0),
    Array.from({ length: plan.residentialAreas }, () => ({
      weight: intBetween(rng, 700, 1300),
      min: 1,
    })),
  );
  const id = (n: number): string => `PA-${plan.fact.code}-${pad(n, 3)}`;
  const residential = residentialVoters.map((votersOnList, i) => ({
    pollingAreaId: id(i + 1),
    communeId: plan.fact.code,
    name: `Khu vực bỏ phiếu số ${i + 1}`,
    separateKind: null,
    votersOnList,
  }));
  const separate = plan.separateAreas.map((kind, j) => {
    const n = plan.residentialAreas + j + 1;
    return {
      pollingAreaId: id(n),
      communeId: plan.fact.code,
      name: `Khu vực bỏ phiếu số ${n} (riêng, ${separateAreaLabels[kind]})`,
      separateKind: kind,
      votersOnList: separateVoters[j] ?? 0,
    };
  });
  return [...residential, ...separate];
}

function civil(date: string): CivilDate {
  const parsed = parseIsoDate(date);
  if (parsed === undefined) throw new Error(`not a calendar date: ${date}`);
  return parsed;
}

function birthDate(rng: RandomGenerator, level: ElectoralLevel): string {
  const [youngest, oldest] = candidateAges[level];
  // Old enough on the earliest voting day (Bạch Long Vĩ's), not too old on the last: the age
  // is within range on 14 and on 15 March alike.
  const firstDay = civil(bachLongVi.electionDate);
  const lastDay = civil(haiPhong2026.electionDate);
  const latest = toDayNumber({ ...firstDay, year: firstDay.year - youngest });
  const earliest = toDayNumber({ ...lastDay, year: lastDay.year - oldest - 1 }) + 1;
  return formatIsoDate(fromDayNumber(intBetween(rng, earliest, latest)));
}

function candidatesOf(units: readonly ElectoralUnit[], rng: RandomGenerator): Candidate[] {
  const candidates: Candidate[] = [];
  for (const level of ['na', 'city', 'commune'] as const) {
    const ofLevel = units.filter((u) => u.level === level);
    const counts = candidatesPerUnit(
      level,
      ofLevel.map((u) => u.seats),
    );
    ofLevel.forEach((unit, i) => {
      const names = new Set<string>();
      for (let n = 1; n <= (counts[i] ?? 0); n += 1) {
        const gender: Gender = intBetween(rng, 0, 99) < femaleCandidatePercent ? 'female' : 'male';
        // Two people of the same name on one ballot would confuse voters: draw again.
        let fullName = fictionalFullName(rng, gender);
        while (names.has(fullName)) fullName = fictionalFullName(rng, gender);
        names.add(fullName);
        candidates.push({
          candidateId: `${unit.unitId}-${pad(n, 2)}`,
          unitId: unit.unitId,
          level,
          fullName,
          gender,
          birthDate: birthDate(rng, level),
        });
      }
    });
  }
  return candidates;
}

/**
 * The units of the three levels, each listing its communes and polling areas: the 7 National
 * Assembly units of the resolution, the 18 planned city units, and each commune's own units.
 */
function electoralUnitsOf(
  plan: Layout,
  areasOf: (code: string) => readonly AreaDraft[],
): ElectoralUnit[] {
  const idsOf = (codes: readonly string[]): string[] =>
    codes.flatMap((code) => areasOf(code).map((a) => a.pollingAreaId));
  const units: ElectoralUnit[] = [];
  for (const na of nationalAssemblyUnitFacts) {
    units.push({
      unitId: `NA-${na.unit}`,
      level: 'na',
      name: `Đơn vị bầu cử đại biểu Quốc hội số ${na.unit}`,
      seats: na.seats,
      communeIds: [...na.communeCodes],
      pollingAreaIds: idsOf(na.communeCodes),
    });
  }
  for (const city of plan.cityUnits) {
    units.push({
      unitId: `CITY-${pad(city.number, 2)}`,
      level: 'city',
      name: `Đơn vị bầu cử đại biểu HĐND thành phố số ${city.number}`,
      seats: city.seats,
      communeIds: [...city.communeCodes],
      pollingAreaIds: idsOf(city.communeCodes),
    });
  }
  for (const commune of plan.communes) {
    const areas = areasOf(commune.fact.code);
    // Consecutive areas make a unit, with voters in proportion to the seats it elects.
    const sizes = partitionConsecutive(
      areas.map((a) => a.votersOnList),
      commune.unitSeats,
    );
    let start = 0;
    sizes.forEach((size, i) => {
      units.push({
        unitId: `C-${commune.fact.code}-${pad(i + 1, 2)}`,
        level: 'commune',
        name: `Đơn vị bầu cử đại biểu HĐND ${commune.fact.type} ${commune.fact.name} số ${i + 1}`,
        seats: commune.unitSeats[i] ?? 0,
        communeIds: [commune.fact.code],
        pollingAreaIds: areas.slice(start, start + size).map((a) => a.pollingAreaId),
      });
      start += size;
    });
  }
  return units;
}

/**
 * The reference dataset for a seed. Same seed, same bytes of JSON.stringify; another seed moves
 * voters between a commune's areas and changes the candidates, never a total.
 */
export function generateReferenceDataset({
  seed,
}: GenerateReferenceDatasetOptions): ReferenceDataset {
  const plan = layout();
  const spread = randomStream(seed, 'voter-spread');
  const communes = plan.communes.map(communeRecord);
  const areasByCommune = new Map(plan.communes.map((c) => [c.fact.code, draftAreas(c, spread)]));
  const areasOf = (code: string): readonly AreaDraft[] => areasByCommune.get(code) ?? [];

  const electoralUnits = electoralUnitsOf(plan, areasOf);

  const unitOfArea = new Map<string, string>();
  for (const unit of electoralUnits) {
    for (const areaId of unit.pollingAreaIds)
      unitOfArea.set(`${unit.level}:${areaId}`, unit.unitId);
  }
  const unitOf = (level: ElectoralLevel, areaId: string): string => {
    const unitId = unitOfArea.get(`${level}:${areaId}`);
    if (unitId === undefined) throw new Error(`${areaId} is in no ${level} unit`);
    return unitId;
  };
  const pollingAreas: PollingArea[] = plan.communes.flatMap((c) =>
    areasOf(c.fact.code).map((draft): PollingArea => {
      const areaId = draft.pollingAreaId;
      const units: PollingAreaUnits = {
        na: unitOf('na', areaId),
        city: unitOf('city', areaId),
        commune: unitOf('commune', areaId),
      };
      const common = {
        pollingAreaId: draft.pollingAreaId,
        communeId: draft.communeId,
        name: draft.name,
      };
      return draft.separateKind === null
        ? {
            ...common,
            kind: 'residential',
            separateKind: null,
            votersOnList: draft.votersOnList,
            units,
          }
        : {
            ...common,
            kind: 'separate',
            separateKind: draft.separateKind,
            votersOnList: draft.votersOnList,
            units,
          };
    }),
  );
  const candidates = candidatesOf(electoralUnits, randomStream(seed, 'candidates'));

  return {
    formatVersion: 1,
    electionId: haiPhong2026.electionId,
    seed,
    electionDate: haiPhong2026.electionDate,
    totals: computeTotals({ communes, pollingAreas, electoralUnits, candidates }),
    communes,
    pollingAreas,
    electoralUnits,
    candidates,
  };
}
