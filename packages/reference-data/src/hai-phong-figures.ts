// verifyHaiPhongFigures: a dataset can be well-formed and still not be Hải Phòng's. The stack
// loads only data with the city's real communes, its real National Assembly units and every
// official figure of 15 March 2026, so a mis-mapped or foreign dataset is refused at set-up.
import { communeFacts } from './facts/communes.js';
import { nationalAssemblyUnitFacts } from './facts/national-assembly-units.js';
import { addDays } from './calendar.js';
import { bachLongVi, haiPhong2026 } from './figures.js';
import { err, failure, ok, type ReferenceDataFailure, type Result } from './result.js';
import { communeTypeLabels, type ReferenceDataset } from './schema.js';
import { computeTotals, flattenTotals } from './totals.js';
import { IssueList } from './issues.js';

const official = new Map(
  flattenTotals({
    communes: haiPhong2026.communes,
    pollingAreas: haiPhong2026.pollingAreas,
    residentialPollingAreas: haiPhong2026.residentialPollingAreas,
    separatePollingAreas: haiPhong2026.separatePollingAreas,
    votersOnList: haiPhong2026.votersOnList,
    electoralUnits: haiPhong2026.electoralUnits,
  }),
);

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  const left = new Set(a);
  return left.size === new Set(b).size && b.every((x) => left.has(x));
}

/** How many units of a level elect each number of seats, e.g. { 5: 13, 4: 5 }. */
function unitSizes(dataset: ReferenceDataset, level: 'na' | 'city'): Record<number, number> {
  const sizes: Record<number, number> = {};
  for (const u of dataset.electoralUnits) {
    if (u.level === level) sizes[u.seats] = (sizes[u.seats] ?? 0) + 1;
  }
  return sizes;
}

const describeSizes = (sizes: Readonly<Record<number, number>>): string =>
  Object.entries(sizes)
    .sort(([a], [b]) => Number(b) - Number(a))
    .map(([seats, count]) => `${count} × ${seats}`)
    .join(' + ');

/**
 * Checks a validated dataset against Hải Phòng's facts and official figures: the 114 communes of
 * the Statistics Office list, the 7 units of Resolution 85/NQ-HĐBCQG, 2,577 = 2,537 + 40 polling
 * areas, 3,189,339 voters, 7/19/33, 18/85/139 (13 × 5 + 5 × 4), 718/2,375/3,952, and Bạch Long Vĩ
 * voting on 14 March with its cards out 4–11 March.
 */
export function verifyHaiPhongFigures(
  dataset: ReferenceDataset,
): Result<ReferenceDataset, ReferenceDataFailure> {
  const issues = new IssueList();

  if (dataset.electionDate !== haiPhong2026.electionDate) {
    issues.add(
      'REFERENCE_DATA.NOT_HAI_PHONG_2026',
      'dataset',
      `election day is ${dataset.electionDate}, not ${haiPhong2026.electionDate}`,
      ['electionDate'],
    );
  }
  for (const [key, actual] of flattenTotals(computeTotals(dataset))) {
    const expected = official.get(key);
    if (actual !== expected) {
      issues.add(
        'REFERENCE_DATA.NOT_HAI_PHONG_2026',
        'totals',
        `${key} is ${actual}; Hải Phòng's official figure is ${expected}`,
        key.split('.'),
      );
    }
  }

  // The communes are the real ones, as the Statistics Office lists them.
  const facts = new Map(communeFacts.map((f) => [f.code, f]));
  const seen = new Set<string>();
  dataset.communes.forEach((c, index) => {
    const at = { collection: 'communes', index, id: c.communeId } as const;
    seen.add(c.communeId);
    const fact = facts.get(c.communeId);
    if (fact === undefined) {
      issues.add('REFERENCE_DATA.NOT_HAI_PHONG_2026', at, 'not a commune of Hải Phòng', [
        'communeId',
      ]);
      return;
    }
    const differs = [
      c.name !== fact.name ? `name "${c.name}" (official: "${fact.name}")` : '',
      communeTypeLabels[c.type] !== fact.type ? `type ${c.type} (official: ${fact.type})` : '',
      c.population !== fact.population
        ? `population ${c.population} (source: ${fact.population})`
        : '',
      c.areaKm2 !== fact.areaKm2 ? `area ${c.areaKm2} km² (source: ${fact.areaKm2})` : '',
    ].filter((d) => d !== '');
    if (differs.length > 0) {
      issues.add(
        'REFERENCE_DATA.NOT_HAI_PHONG_2026',
        at,
        `differs from the official list: ${differs.join(', ')}`,
      );
    }
    const early = c.communeId === bachLongVi.communeId;
    const votingDay = early ? bachLongVi.electionDate : haiPhong2026.electionDate;
    const cards = early
      ? bachLongVi.cardDistribution
      : {
          from: addDays(haiPhong2026.electionDate, -haiPhong2026.cardDistributionDaysBefore.from),
          to: addDays(haiPhong2026.electionDate, -haiPhong2026.cardDistributionDaysBefore.to),
        };
    if (c.electionDate !== votingDay) {
      const why = early ? ' (Bạch Long Vĩ votes one day early)' : '';
      issues.add(
        'REFERENCE_DATA.NOT_HAI_PHONG_2026',
        at,
        `votes on ${c.electionDate}, expected ${votingDay}${why}`,
        ['electionDate'],
      );
    }
    if (c.cardDistribution.from !== cards.from || c.cardDistribution.to !== cards.to) {
      issues.add(
        'REFERENCE_DATA.NOT_HAI_PHONG_2026',
        at,
        `voter cards go out ${c.cardDistribution.from}..${c.cardDistribution.to}, expected ${cards.from}..${cards.to}`,
        ['cardDistribution'],
      );
    }
  });
  for (const fact of communeFacts) {
    if (!seen.has(fact.code)) {
      issues.add(
        'REFERENCE_DATA.NOT_HAI_PHONG_2026',
        'dataset',
        `commune ${fact.code} (${fact.name}) is missing`,
        ['communes'],
      );
    }
  }

  // The National Assembly units are those of Resolution 85/NQ-HĐBCQG.
  const naUnits = new Map(nationalAssemblyUnitFacts.map((u) => [`NA-${u.unit}`, u]));
  dataset.electoralUnits.forEach((u, index) => {
    if (u.level !== 'na') return;
    const at = { collection: 'electoralUnits', index, id: u.unitId } as const;
    const fact = naUnits.get(u.unitId);
    if (fact === undefined) {
      issues.add(
        'REFERENCE_DATA.NOT_HAI_PHONG_2026',
        at,
        'not one of the 7 units of Resolution 85/NQ-HĐBCQG',
        ['unitId'],
      );
    } else if (u.seats !== fact.seats || !sameSet(u.communeIds, fact.communeCodes)) {
      issues.add(
        'REFERENCE_DATA.NOT_HAI_PHONG_2026',
        at,
        `seats or communes differ from Resolution 85/NQ-HĐBCQG (${fact.seats} seats, ${fact.communeCodes.length} communes)`,
      );
    }
  });
  for (const level of ['na', 'city'] as const) {
    const actual = describeSizes(unitSizes(dataset, level));
    const expected = describeSizes(haiPhong2026.unitSizes[level]);
    if (actual !== expected) {
      issues.add(
        'REFERENCE_DATA.NOT_HAI_PHONG_2026',
        'dataset',
        `${level} units elect ${actual} seats, not ${expected}`,
        ['electoralUnits'],
      );
    }
  }

  return issues.issues.length === 0
    ? ok(dataset)
    : err(failure('REFERENCE_DATA.NOT_HAI_PHONG_2026', issues.issues));
}
