// Checking reference data before anything uses it: its shape (zod), then the rules that tie rows
// together. Every issue names its row, e.g. `pollingAreas[17] (PA-10507-018)`, because a mapping
// error in one row is exactly what broke other election-night systems.
import type { ZodError } from 'zod';
import { ageOn, parseIsoDate } from './calendar.js';
import { maxSeatsPerUnit, minCandidateAge, minCandidates } from './election-law.js';
import {
  field,
  idField,
  isCollection,
  IssueList,
  maxIssues,
  rowLabel,
  type Collection,
} from './issues.js';
import {
  err,
  failure,
  ok,
  type ReferenceDataFailure,
  type ReferenceDataIssue,
  type Result,
} from './result.js';
import {
  ElectoralLevel,
  ReferenceDataset,
  type Commune,
  type ElectoralUnit,
  type PollingArea,
} from './schema.js';
import { computeTotals, flattenTotals } from './totals.js';

function fromZodIssue(input: unknown, issue: ZodError['issues'][number]): ReferenceDataIssue {
  const path = issue.path.map((key) => (typeof key === 'symbol' ? String(key) : key));
  const [first, index, ...rest] = path;
  const at = (row: string, within: readonly (string | number)[]): ReferenceDataIssue => ({
    code: 'REFERENCE_DATA.INVALID_SHAPE',
    row,
    path,
    message: within.length > 0 ? `${within.join('.')}: ${issue.message}` : issue.message,
  });
  if (isCollection(first) && typeof index === 'number') {
    const id = field(field(field(input, first), index), idField[first]);
    return at(rowLabel(first, index, id), rest);
  }
  return first === 'totals' ? at('totals', path.slice(1)) : at('dataset', path);
}

/** The dataset with its rows indexed by id, and where the issues go. */
interface Context {
  readonly dataset: ReferenceDataset;
  readonly communes: ReadonlyMap<string, Commune>;
  readonly areas: ReadonlyMap<string, PollingArea>;
  readonly units: ReadonlyMap<string, ElectoralUnit>;
  readonly issues: IssueList;
}

const rowOf = (collection: Collection, index: number, id: string) =>
  ({ collection, index, id }) as const;

function checkUniqueIds(dataset: ReferenceDataset, issues: IssueList): void {
  const check = (collection: Collection, ids: readonly string[]): void => {
    const firstAt = new Map<string, number>();
    ids.forEach((id, index) => {
      const first = firstAt.get(id);
      if (first === undefined) {
        firstAt.set(id, index);
        return;
      }
      const message = `duplicate id, already used by ${collection}[${first}]`;
      issues.add('REFERENCE_DATA.DUPLICATE_ID', rowOf(collection, index, id), message, [
        idField[collection],
      ]);
    });
  };
  check(
    'communes',
    dataset.communes.map((c) => c.communeId),
  );
  check(
    'pollingAreas',
    dataset.pollingAreas.map((a) => a.pollingAreaId),
  );
  check(
    'electoralUnits',
    dataset.electoralUnits.map((u) => u.unitId),
  );
  check(
    'candidates',
    dataset.candidates.map((c) => c.candidateId),
  );
}

/** Nobody votes after election day, and a commune's cards go out before it votes. */
function checkCommuneDates({ dataset, issues }: Context): void {
  dataset.communes.forEach((c, index) => {
    const at = rowOf('communes', index, c.communeId);
    if (c.electionDate > dataset.electionDate) {
      const message = `votes on ${c.electionDate}, after election day ${dataset.electionDate}`;
      issues.add('REFERENCE_DATA.DATES_INCONSISTENT', at, message, ['electionDate']);
    }
    const { from, to } = c.cardDistribution;
    if (!(from <= to && to < c.electionDate)) {
      const message = `cards go out ${from}..${to}, which does not end before voting day ${c.electionDate}`;
      issues.add('REFERENCE_DATA.DATES_INCONSISTENT', at, message, ['cardDistribution']);
    }
  });
}

/** A polling area's commune and its three units exist, and the units are of the right level. */
function checkAreaReferences({ dataset, communes, units, issues }: Context): void {
  dataset.pollingAreas.forEach((a, index) => {
    const at = rowOf('pollingAreas', index, a.pollingAreaId);
    if (!communes.has(a.communeId)) {
      const message = `commune "${a.communeId}" does not exist`;
      issues.add('REFERENCE_DATA.DANGLING_REFERENCE', at, message, ['communeId']);
    } else if (!a.pollingAreaId.startsWith(`PA-${a.communeId}-`)) {
      const message = `id does not carry its commune "${a.communeId}"`;
      issues.add('REFERENCE_DATA.ID_MISMATCH', at, message, ['pollingAreaId']);
    }
    for (const level of ElectoralLevel.options) {
      const unitId = a.units[level];
      const unit = units.get(unitId);
      if (unit === undefined) {
        const message = `unit ${level} "${unitId}" does not exist`;
        issues.add('REFERENCE_DATA.DANGLING_REFERENCE', at, message, ['units', level]);
      } else if (unit.level !== level) {
        const message = `unit ${level} "${unitId}" is a ${unit.level} unit`;
        issues.add('REFERENCE_DATA.WRONG_LEVEL', at, message, ['units', level]);
      }
    }
  });
}

function levelOfUnitId(unitId: string): ElectoralLevel {
  if (unitId.startsWith('NA-')) return 'na';
  if (unitId.startsWith('CITY-')) return 'city';
  return 'commune';
}

/**
 * Units: level and seats, and the areas they list. Every area is in exactly one unit of each
 * level, that unit is the one the area names, and a unit lists exactly the communes of its areas.
 */
function checkUnits({ dataset, communes, areas, issues }: Context): void {
  const listedIn = new Map<string, string>();
  dataset.electoralUnits.forEach((u, index) => {
    const at = rowOf('electoralUnits', index, u.unitId);
    if (levelOfUnitId(u.unitId) !== u.level) {
      const message = `id says ${levelOfUnitId(u.unitId)} but level is ${u.level}`;
      issues.add('REFERENCE_DATA.WRONG_LEVEL', at, message, ['level']);
    }
    if (u.seats > maxSeatsPerUnit[u.level]) {
      const message = `${u.seats} seats, more than the ${maxSeatsPerUnit[u.level]} a ${u.level} unit may elect`;
      issues.add('REFERENCE_DATA.SEATS_OUT_OF_RANGE', at, message, ['seats']);
    }
    u.communeIds.forEach((communeId, k) => {
      if (!communes.has(communeId)) {
        const message = `commune "${communeId}" does not exist`;
        issues.add('REFERENCE_DATA.DANGLING_REFERENCE', at, message, ['communeIds', k]);
      }
    });
    if (u.level === 'commune') {
      const [communeId] = u.communeIds;
      if (u.communeIds.length !== 1 || !u.unitId.startsWith(`C-${communeId ?? ''}-`)) {
        const message = 'a commune-level unit lies in exactly one commune, the one its id names';
        issues.add('REFERENCE_DATA.UNIT_COMMUNES_MISMATCH', at, message, ['communeIds']);
      }
    }

    const communesOfAreas = new Set<string>();
    u.pollingAreaIds.forEach((areaId, k) => {
      const area = areas.get(areaId);
      if (area === undefined) {
        const message = `polling area "${areaId}" does not exist`;
        issues.add('REFERENCE_DATA.DANGLING_REFERENCE', at, message, ['pollingAreaIds', k]);
        return;
      }
      communesOfAreas.add(area.communeId);
      const key = `${u.level}:${areaId}`;
      const other = listedIn.get(key);
      if (other !== undefined) {
        const message = `polling area "${areaId}" is also in ${u.level} unit "${other}"`;
        issues.add('REFERENCE_DATA.AREA_IN_TWO_UNITS', at, message, ['pollingAreaIds', k]);
        return;
      }
      listedIn.set(key, u.unitId);
      if (area.units[u.level] !== u.unitId) {
        const message = `lists polling area "${areaId}", which names ${u.level} unit "${area.units[u.level]}"`;
        issues.add('REFERENCE_DATA.AREA_UNIT_MISMATCH', at, message, ['pollingAreaIds', k]);
      }
    });

    const listed = new Set(u.communeIds);
    const unlisted = [...communesOfAreas].filter((c) => !listed.has(c));
    const empty = [...listed].filter((c) => communes.has(c) && !communesOfAreas.has(c));
    const problems = [
      unlisted.length > 0 ? `has areas of communes it does not list (${unlisted.join(', ')})` : '',
      empty.length > 0 ? `lists communes none of its areas are in (${empty.join(', ')})` : '',
    ].filter((p) => p !== '');
    if (problems.length > 0) {
      issues.add('REFERENCE_DATA.UNIT_COMMUNES_MISMATCH', at, problems.join('; '), ['communeIds']);
    }
  });

  dataset.pollingAreas.forEach((a, index) => {
    for (const level of ElectoralLevel.options) {
      if (!listedIn.has(`${level}:${a.pollingAreaId}`)) {
        const at = rowOf('pollingAreas', index, a.pollingAreaId);
        const message = `no ${level} unit lists this area`;
        issues.add('REFERENCE_DATA.AREA_NOT_IN_UNIT', at, message, ['units', level]);
      }
    }
  });
}

/** National Assembly and city units are made of whole communes: one unit a commune a level. */
function checkWholeCommunes({ dataset, issues }: Context): void {
  for (const level of ['na', 'city'] as const) {
    const unitOfCommune = new Map<string, string>();
    dataset.electoralUnits.forEach((u, index) => {
      if (u.level !== level) return;
      for (const communeId of u.communeIds) {
        const first = unitOfCommune.get(communeId);
        if (first !== undefined && first !== u.unitId) {
          const at = rowOf('electoralUnits', index, u.unitId);
          const message = `commune "${communeId}" is also in ${level} unit "${first}"`;
          issues.add('REFERENCE_DATA.COMMUNE_SPLIT', at, message, ['communeIds']);
        }
        unitOfCommune.set(communeId, u.unitId);
      }
    });
  }
}

/** A commune's voters and polling-area count are those of its areas. */
function checkCommuneSums({ dataset, issues }: Context): void {
  const sums = new Map<string, { voters: number; count: number }>();
  for (const a of dataset.pollingAreas) {
    const sum = sums.get(a.communeId) ?? { voters: 0, count: 0 };
    sums.set(a.communeId, { voters: sum.voters + a.votersOnList, count: sum.count + 1 });
  }
  dataset.communes.forEach((c, index) => {
    const at = rowOf('communes', index, c.communeId);
    const sum = sums.get(c.communeId) ?? { voters: 0, count: 0 };
    if (sum.voters !== c.votersOnList) {
      const message = `votersOnList is ${c.votersOnList} but its polling areas add up to ${sum.voters}`;
      issues.add('REFERENCE_DATA.VOTERS_MISMATCH', at, message, ['votersOnList']);
    }
    if (sum.count !== c.pollingAreaCount) {
      const message = `pollingAreaCount is ${c.pollingAreaCount} but it has ${sum.count} polling areas`;
      issues.add('REFERENCE_DATA.AREA_COUNT_MISMATCH', at, message, ['pollingAreaCount']);
    }
  });
}

/** Candidates stand in an existing unit of their level, are 21 or older, and fill the lists. */
function checkCandidates({ dataset, communes, units, issues }: Context): void {
  const listLength = new Map<string, number>();
  dataset.candidates.forEach((c, index) => {
    const at = rowOf('candidates', index, c.candidateId);
    const unit = units.get(c.unitId);
    if (unit === undefined) {
      issues.add('REFERENCE_DATA.DANGLING_REFERENCE', at, `unit "${c.unitId}" does not exist`, [
        'unitId',
      ]);
      return;
    }
    listLength.set(c.unitId, (listLength.get(c.unitId) ?? 0) + 1);
    if (unit.level !== c.level) {
      const message = `level is ${c.level} but unit "${c.unitId}" is a ${unit.level} unit`;
      issues.add('REFERENCE_DATA.WRONG_LEVEL', at, message, ['level']);
    }
    if (!c.candidateId.startsWith(`${c.unitId}-`)) {
      const message = `id does not carry its unit "${c.unitId}"`;
      issues.add('REFERENCE_DATA.ID_MISMATCH', at, message, ['candidateId']);
    }
    // Age counts on the day the unit votes: the earliest day where a unit has an early commune.
    const votingDay = unit.communeIds
      .map((id) => communes.get(id)?.electionDate ?? dataset.electionDate)
      .reduce((a, b) => (b < a ? b : a), dataset.electionDate);
    const born = parseIsoDate(c.birthDate);
    const on = parseIsoDate(votingDay);
    if (born !== undefined && on !== undefined && ageOn(born, on) < minCandidateAge) {
      const message = `born ${c.birthDate}, under ${minCandidateAge} on ${votingDay}`;
      issues.add('REFERENCE_DATA.CANDIDATE_TOO_YOUNG', at, message, ['birthDate']);
    }
  });
  dataset.electoralUnits.forEach((u, index) => {
    const listed = listLength.get(u.unitId) ?? 0;
    const required = minCandidates(u.level, u.seats);
    if (listed < required) {
      const at = rowOf('electoralUnits', index, u.unitId);
      const message = `${listed} candidates for ${u.seats} seats; the law requires at least ${required}`;
      issues.add('REFERENCE_DATA.TOO_FEW_CANDIDATES', at, message, ['seats']);
    }
  });
}

/** The summary says what the rows add up to. */
function checkTotals({ dataset, issues }: Context): void {
  const stated = new Map(flattenTotals(dataset.totals));
  for (const [key, actual] of flattenTotals(computeTotals(dataset))) {
    const claimed = stated.get(key);
    if (claimed !== actual) {
      const message = `${key} says ${claimed} but the rows add up to ${actual}`;
      issues.add('REFERENCE_DATA.TOTALS_MISMATCH', 'totals', message, key.split('.'));
    }
  }
}

/**
 * Checks that `input` is a well-formed, self-consistent reference dataset; whether it is Hải
 * Phòng's is verifyHaiPhongFigures' job. Returns the parsed dataset, or the issues found (up to a
 * hundred), each naming its row.
 */
export function validateReferenceDataset(
  input: unknown,
): Result<ReferenceDataset, ReferenceDataFailure> {
  const parsed = ReferenceDataset.safeParse(input);
  if (!parsed.success) {
    const issues = parsed.error.issues.slice(0, maxIssues).map((i) => fromZodIssue(input, i));
    return err(failure('REFERENCE_DATA.INVALID', issues));
  }
  const dataset = parsed.data;
  const issues = new IssueList();
  checkUniqueIds(dataset, issues);
  // The other rules look rows up by id: with duplicate ids their findings would be noise.
  if (issues.issues.length === 0) {
    const context: Context = {
      dataset,
      communes: new Map(dataset.communes.map((c) => [c.communeId, c])),
      areas: new Map(dataset.pollingAreas.map((a) => [a.pollingAreaId, a])),
      units: new Map(dataset.electoralUnits.map((u) => [u.unitId, u])),
      issues,
    };
    for (const check of [
      checkCommuneDates,
      checkAreaReferences,
      checkUnits,
      checkWholeCommunes,
      checkCommuneSums,
      checkCandidates,
      checkTotals,
    ]) {
      check(context);
    }
  }
  return issues.issues.length === 0
    ? ok(dataset)
    : err(failure('REFERENCE_DATA.INVALID', issues.issues));
}
