// Bad reference data is refused with the offending row named: one test per kind of damage.
import { describe, expect, it } from 'vitest';
import { generateReferenceDataset } from './generate-dataset.js';
import type { ReferenceDataIssueCode } from './result.js';
import type { ReferenceDataset } from './schema.js';
import { validateReferenceDataset } from './validate-dataset.js';

const dataset = generateReferenceDataset({ seed: 'validation' });

/** The failure for a copy of the dataset damaged by `damage`; fails the test if it passes. */
function refused(damage: (copy: ReferenceDataset) => void): {
  message: string;
  issues: readonly { code: ReferenceDataIssueCode; row: string; message: string }[];
} {
  const copy = structuredClone(dataset);
  damage(copy);
  const result = validateReferenceDataset(copy);
  if (result.ok) throw new Error('the damaged dataset was accepted');
  expect(result.error.code).toBe('REFERENCE_DATA.INVALID');
  return result.error;
}

const areaId = (i: number): string => dataset.pollingAreas[i]?.pollingAreaId ?? '';
const at = <T>(xs: readonly T[], i: number): T => {
  const x = xs[i];
  if (x === undefined) throw new Error(`no row ${i}`);
  return x;
};

describe('validateReferenceDataset', () => {
  it('accepts the generated dataset and returns it parsed', () => {
    const result = validateReferenceDataset(JSON.parse(JSON.stringify(dataset)));
    expect(result.ok && result.value).toEqual(dataset);
  });

  it('refuses a dangling unit reference, naming the polling area', () => {
    const failed = refused((d) => {
      at(d.pollingAreas, 17).units.city = 'CITY-99';
    });
    expect(failed.message).toMatch(
      new RegExp(`^pollingAreas\\[17\\] \\(${areaId(17)}\\): unit city "CITY-99" does not exist`),
    );
    expect(failed.issues[0]?.code).toBe('REFERENCE_DATA.DANGLING_REFERENCE');
  });

  it('refuses duplicate ids, naming the second row and the first', () => {
    const failed = refused((d) => {
      at(d.pollingAreas, 17).pollingAreaId = areaId(3);
    });
    expect(failed.issues).toEqual([
      {
        code: 'REFERENCE_DATA.DUPLICATE_ID',
        row: `pollingAreas[17] (${areaId(3)})`,
        path: ['pollingAreas', 17, 'pollingAreaId'],
        message: 'duplicate id, already used by pollingAreas[3]',
      },
    ]);
  });

  it('refuses negative voters', () => {
    const failed = refused((d) => {
      at(d.pollingAreas, 5).votersOnList = -3;
    });
    expect(failed.issues[0]).toMatchObject({
      code: 'REFERENCE_DATA.INVALID_SHAPE',
      row: `pollingAreas[5] (${areaId(5)})`,
    });
    expect(failed.message).toContain('votersOnList');
  });

  it('refuses a missing field', () => {
    const candidateId = at(dataset.candidates, 10).candidateId;
    const failed = refused((d) => {
      delete (at(d.candidates, 10) as Partial<ReferenceDataset['candidates'][number]>).birthDate;
    });
    expect(failed.message).toMatch(
      new RegExp(`^candidates\\[10\\] \\(${candidateId}\\): birthDate: `),
    );
  });

  it('refuses a field of the wrong type', () => {
    const failed = refused((d) => {
      Object.assign(at(d.communes, 2), { population: '81500' });
    });
    expect(failed.message).toMatch(/^communes\[2\] \(10532\): population: .*expected number/);
  });

  it('refuses fields it does not know (no smuggled extras)', () => {
    const failed = refused((d) => {
      Object.assign(
        at(d.pollingAreas, 0),
        JSON.parse('{"__proto__": {"admin": true}, "admin": true}'),
      );
    });
    expect(failed.issues[0]).toMatchObject({ row: `pollingAreas[0] (${areaId(0)})` });
    expect(failed.message).toMatch(/[Uu]nrecognized key/);
  });

  it('refuses a date that is not on the calendar', () => {
    const failed = refused((d) => {
      at(d.candidates, 0).birthDate = '1980-02-30';
    });
    expect(failed.message).toContain('birthDate: expected a calendar date');
  });

  it('refuses an area listed in two units of one level, naming the unit and the other unit', () => {
    const first = at(dataset.pollingAreas, 0);
    const otherIndex = dataset.electoralUnits.findIndex(
      (u) =>
        u.level === 'commune' &&
        u.communeIds[0] === first.communeId &&
        u.unitId !== first.units.commune,
    );
    const other = at(dataset.electoralUnits, otherIndex);
    const failed = refused((d) => {
      at(d.electoralUnits, otherIndex).pollingAreaIds.push(first.pollingAreaId);
    });
    expect(failed.issues[0]).toEqual({
      code: 'REFERENCE_DATA.AREA_IN_TWO_UNITS',
      row: `electoralUnits[${otherIndex}] (${other.unitId})`,
      path: ['electoralUnits', otherIndex, 'pollingAreaIds', other.pollingAreaIds.length],
      message: `polling area "${first.pollingAreaId}" is also in commune unit "${first.units.commune}"`,
    });
  });

  it('refuses an area that no unit of a level lists', () => {
    const unitIndex = dataset.electoralUnits.findIndex((u) => u.level === 'commune');
    const dropped = at(at(dataset.electoralUnits, unitIndex).pollingAreaIds, 0);
    const areaIndex = dataset.pollingAreas.findIndex((a) => a.pollingAreaId === dropped);
    const failed = refused((d) => {
      at(d.electoralUnits, unitIndex).pollingAreaIds.shift();
    });
    expect(failed.issues).toContainEqual({
      code: 'REFERENCE_DATA.AREA_NOT_IN_UNIT',
      row: `pollingAreas[${areaIndex}] (${dropped})`,
      path: ['pollingAreas', areaIndex, 'units', 'commune'],
      message: 'no commune unit lists this area',
    });
  });

  it('refuses totals that do not match the rows', () => {
    const failed = refused((d) => {
      d.totals.votersOnList += 1;
    });
    expect(failed.message).toBe('totals: votersOnList says 3189340 but the rows add up to 3189339');
  });

  it("refuses a commune whose voters are not the sum of its areas'", () => {
    const failed = refused((d) => {
      at(d.communes, 0).votersOnList += 1;
    });
    expect(failed.issues[0]).toMatchObject({
      code: 'REFERENCE_DATA.VOTERS_MISMATCH',
      row: 'communes[0] (10507)',
    });
  });

  it('refuses a candidate under 21 on voting day', () => {
    const failed = refused((d) => {
      at(d.candidates, 0).birthDate = '2005-03-16';
    });
    expect(failed.issues).toEqual([
      expect.objectContaining({
        code: 'REFERENCE_DATA.CANDIDATE_TOO_YOUNG',
        row: 'candidates[0] (NA-1-01)',
        message: 'born 2005-03-16, under 21 on 2026-03-14',
      }),
    ]);
  });

  it('refuses a list shorter than the law requires', () => {
    const failed = refused((d) => {
      d.candidates = d.candidates.filter((c) => c.candidateId !== 'NA-1-05');
      d.totals.electoralUnits.na.candidates -= 1;
    });
    expect(failed.issues).toEqual([
      expect.objectContaining({
        code: 'REFERENCE_DATA.TOO_FEW_CANDIDATES',
        row: 'electoralUnits[0] (NA-1)',
        message: '4 candidates for 3 seats; the law requires at least 5',
      }),
    ]);
  });

  it('refuses more seats than a unit may elect, and a candidate at the wrong level', () => {
    const failed = refused((d) => {
      at(d.electoralUnits, 0).seats = 4;
      at(d.candidates, 0).level = 'city';
    });
    const codes = failed.issues.map((i) => i.code);
    expect(codes).toContain('REFERENCE_DATA.SEATS_OUT_OF_RANGE');
    expect(codes).toContain('REFERENCE_DATA.WRONG_LEVEL');
  });

  it('refuses a city unit that splits a commune with another', () => {
    const cityUnits = dataset.electoralUnits.filter((u) => u.level === 'city');
    const second = at(cityUnits, 1);
    const failed = refused((d) => {
      const unit = d.electoralUnits.find((u) => u.unitId === second.unitId);
      unit?.communeIds.push(at(at(cityUnits, 0).communeIds, 0));
    });
    expect(failed.issues.map((i) => i.code)).toContain('REFERENCE_DATA.COMMUNE_SPLIT');
  });

  it.each([
    ['null', null],
    ['a string', 'hai phong'],
    ['an array', []],
    ['an empty object', {}],
  ])('refuses %s with a row-level message', (_, input) => {
    const result = validateReferenceDataset(input);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.issues[0]?.code).toBe('REFERENCE_DATA.INVALID_SHAPE');
  });

  it('keeps the report short for a flood of bad rows', () => {
    const flood = {
      ...structuredClone(dataset),
      candidates: Array.from({ length: 50_000 }, (_, i) => ({ candidateId: i })),
    };
    const result = validateReferenceDataset(flood);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error.issues.length).toBeLessThanOrEqual(100);
      expect(result.error.message).toMatch(/^candidates\[0\]: /);
    }
  });
});
