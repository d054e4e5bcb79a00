// A well-formed dataset that is not Hải Phòng's is refused too, with the differing row named.
import { describe, expect, it } from 'vitest';
import { generateReferenceDataset } from './generate-dataset.js';
import { verifyHaiPhongFigures } from './hai-phong-figures.js';
import { loadReferenceDataset } from './load-dataset.js';
import { ReferenceDataError } from './result.js';
import type { ReferenceDataset } from './schema.js';
import { computeTotals } from './totals.js';

const dataset = generateReferenceDataset({ seed: 'figures' });

function verified(
  damage: (copy: ReferenceDataset) => void,
): ReturnType<typeof verifyHaiPhongFigures> {
  const copy = structuredClone(dataset);
  damage(copy);
  return verifyHaiPhongFigures(copy);
}

function messages(result: ReturnType<typeof verifyHaiPhongFigures>): string[] {
  return result.ok ? [] : result.error.issues.map((i) => `${i.row}: ${i.message}`);
}

const communeIndex = (id: string): number => dataset.communes.findIndex((c) => c.communeId === id);

describe('verifyHaiPhongFigures', () => {
  it('accepts the generated dataset', () => {
    expect(verifyHaiPhongFigures(dataset).ok).toBe(true);
  });

  it('refuses Bạch Long Vĩ voting on 15 March (it votes one day early)', () => {
    const i = communeIndex('11948');
    const result = verified((d) => {
      const blv = d.communes[i];
      if (blv) blv.electionDate = '2026-03-15';
    });
    expect(result.ok || result.error.code).toBe('REFERENCE_DATA.NOT_HAI_PHONG_2026');
    expect(messages(result)).toEqual([
      `communes[${i}] (11948): votes on 2026-03-15, expected 2026-03-14 (Bạch Long Vĩ votes one day early)`,
    ]);
  });

  it('refuses a commune whose name differs from the official list', () => {
    const result = verified((d) => {
      const c = d.communes[0];
      if (c) c.name = 'Thanh Dong';
    });
    expect(messages(result)).toEqual([
      'communes[0] (10507): differs from the official list: name "Thanh Dong" (official: "Thành Đông")',
    ]);
  });

  it('refuses a commune moved to another National Assembly unit, even when consistent', () => {
    const result = verified((d) => {
      const [na1, na2] = d.electoralUnits;
      const moved = na1?.communeIds.pop();
      if (moved !== undefined) na2?.communeIds.push(moved);
    });
    expect(messages(result)).toEqual([
      expect.stringMatching(
        /^electoralUnits\[0\] \(NA-1\): seats or communes differ from Resolution 85/,
      ),
      expect.stringMatching(
        /^electoralUnits\[1\] \(NA-2\): seats or communes differ from Resolution 85/,
      ),
    ]);
  });

  it('refuses a different split of city seats, though the total stays 85', () => {
    const result = verified((d) => {
      const cities = d.electoralUnits.filter((u) => u.level === 'city');
      const four = cities.find((u) => u.seats === 4);
      const five = cities.find((u) => u.seats === 5);
      if (four && five) [four.seats, five.seats] = [3, 6];
    });
    expect(messages(result)).toContain(
      'dataset: city units elect 1 × 6 + 12 × 5 + 4 × 4 + 1 × 3 seats, not 13 × 5 + 5 × 4',
    );
  });

  it('refuses a dataset one polling area short of 2,577', () => {
    const result = verified((d) => {
      d.pollingAreas.pop();
    });
    expect(messages(result)).toContain(
      "totals: pollingAreas is 2576; Hải Phòng's official figure is 2577",
    );
  });
});

describe('loadReferenceDataset', () => {
  it('throws a ReferenceDataError whose message names the row', () => {
    const copy: unknown = JSON.parse(
      JSON.stringify(dataset).replace('"NA-1-01"', '"NA-1-01","x":1'),
    );
    expect(() => loadReferenceDataset(copy)).toThrow(ReferenceDataError);
    expect(() => loadReferenceDataset(copy)).toThrow(
      /^candidates\[0\] \(NA-1-01\): Unrecognized key: "x"$/,
    );
  });

  it('refuses a consistent dataset that is not Hải Phòng’s, unless told to check the shape only', () => {
    const foreign = structuredClone(dataset);
    const blv = foreign.communes.find((c) => c.communeId === '11948');
    if (blv) blv.population = 5_000;
    foreign.totals = computeTotals(foreign);
    try {
      loadReferenceDataset(foreign);
      expect.unreachable('a foreign dataset was loaded');
    } catch (error) {
      expect(error).toBeInstanceOf(ReferenceDataError);
      expect(error).toMatchObject({ code: 'REFERENCE_DATA.NOT_HAI_PHONG_2026' });
    }
    expect(loadReferenceDataset(foreign, { verifyFigures: false }).communes).toHaveLength(114);
  });
});
