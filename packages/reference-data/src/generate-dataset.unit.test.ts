import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ageOn, parseIsoDate } from './calendar.js';
import { maxSeatsPerUnit, minCandidateAge, minCandidates } from './election-law.js';
import { defaultReferenceSeed, generateReferenceDataset } from './generate-dataset.js';
import { loadReferenceDataset } from './load-dataset.js';
import type { ElectoralLevel, ReferenceDataset } from './schema.js';

const sha256 = (dataset: ReferenceDataset): string =>
  createHash('sha256').update(JSON.stringify(dataset)).digest('hex');

// The digest a store records for the default seed (ADR 0005). It changes only when the generator
// does; a change here means every existing store holds a different dataset, so make it on purpose.
const defaultSeedSha256 = 'fe8edec454442ff16a86a8213127dc29398a9b91c7e7864077626c99a7e1d4a2';

const dataset = generateReferenceDataset({ seed: defaultReferenceSeed });
const levels: readonly ElectoralLevel[] = ['na', 'city', 'commune'];
const unitsOf = (level: ElectoralLevel): ReferenceDataset['electoralUnits'] =>
  dataset.electoralUnits.filter((u) => u.level === level);

describe('generateReferenceDataset: the official figures, exactly', () => {
  it('has 114 communes, 2,577 polling areas (2,537 + 40 separate) and 3,189,339 voters', () => {
    expect(dataset.communes).toHaveLength(114);
    expect(dataset.pollingAreas).toHaveLength(2_577);
    expect(dataset.pollingAreas.filter((a) => a.kind === 'residential')).toHaveLength(2_537);
    expect(dataset.pollingAreas.filter((a) => a.kind === 'separate')).toHaveLength(40);
    expect(dataset.pollingAreas.reduce((a, p) => a + p.votersOnList, 0)).toBe(3_189_339);
    expect(dataset.communes.reduce((a, c) => a + c.votersOnList, 0)).toBe(3_189_339);
  });

  it.each([
    ['na', 7, 19, 33],
    ['city', 18, 85, 139],
    ['commune', 718, 2_375, 3_952],
  ] as const)(
    'has %s units: %i units, %i seats, %i candidates',
    (level, units, seats, candidates) => {
      expect(unitsOf(level)).toHaveLength(units);
      expect(unitsOf(level).reduce((a, u) => a + u.seats, 0)).toBe(seats);
      expect(dataset.candidates.filter((c) => c.level === level)).toHaveLength(candidates);
      expect(dataset.totals.electoralUnits[level]).toEqual({ units, seats, candidates });
    },
  );

  it('has 5 × 3 + 2 × 2 National Assembly seats and 13 × 5 + 5 × 4 city seats', () => {
    const sizes = (level: ElectoralLevel): number[] =>
      unitsOf(level)
        .map((u) => u.seats)
        .sort();
    expect(sizes('na')).toEqual([2, 2, 3, 3, 3, 3, 3]);
    expect(sizes('city')).toEqual([...Array<number>(5).fill(4), ...Array<number>(13).fill(5)]);
  });

  it('writes the totals it was built to', () => {
    expect(dataset.totals).toEqual({
      communes: 114,
      pollingAreas: 2_577,
      residentialPollingAreas: 2_537,
      separatePollingAreas: 40,
      votersOnList: 3_189_339,
      electoralUnits: {
        na: { units: 7, seats: 19, candidates: 33 },
        city: { units: 18, seats: 85, candidates: 139 },
        commune: { units: 718, seats: 2_375, candidates: 3_952 },
      },
    });
  });

  it('passes its own loader, figures included', () => {
    expect(loadReferenceDataset(JSON.parse(JSON.stringify(dataset)))).toEqual(dataset);
  });
});

describe('generateReferenceDataset: determinism', () => {
  it('gives the same bytes for the same seed, and a pinned SHA-256 for the default seed', () => {
    const again = generateReferenceDataset({ seed: defaultReferenceSeed });
    expect(sha256(again)).toBe(sha256(dataset));
    expect(JSON.stringify(again)).toBe(JSON.stringify(dataset));
    expect(sha256(dataset)).toBe(defaultSeedSha256);
  });

  it('gives another seed other candidates and another voter spread, with the same totals', () => {
    const other = generateReferenceDataset({ seed: 'another-seed' });
    expect(sha256(other)).not.toBe(sha256(dataset));
    expect(other.totals).toEqual(dataset.totals);
    expect(other.candidates.map((c) => c.fullName)).not.toEqual(
      dataset.candidates.map((c) => c.fullName),
    );
    expect(other.pollingAreas.map((a) => a.votersOnList)).not.toEqual(
      dataset.pollingAreas.map((a) => a.votersOnList),
    );
    // Voters per commune follow population, not the seed.
    expect(other.communes).toEqual(dataset.communes);
  });

  it('is fast: well under a second per dataset', () => {
    const started = performance.now();
    generateReferenceDataset({ seed: 'timing' });
    expect(performance.now() - started).toBeLessThan(1_000);
  });

  it('yields, for any seed, a dataset that loads and matches Hải Phòng (property)', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 40 }), (seed) => {
        const generated = generateReferenceDataset({ seed });
        expect(loadReferenceDataset(generated).totals).toEqual(dataset.totals);
      }),
      { numRuns: 15 },
    );
  });
});

describe('generateReferenceDataset: the structure', () => {
  it('puts every polling area in exactly one unit of each level, consistent with its commune', () => {
    for (const level of levels) {
      const listed = unitsOf(level).flatMap((u) => u.pollingAreaIds);
      expect(listed).toHaveLength(2_577);
      expect(new Set(listed).size).toBe(2_577);
    }
    const units = new Map(dataset.electoralUnits.map((u) => [u.unitId, u]));
    for (const area of dataset.pollingAreas) {
      for (const level of levels) {
        const unit = units.get(area.units[level]);
        expect(unit?.level).toBe(level);
        expect(unit?.pollingAreaIds).toContain(area.pollingAreaId);
        expect(unit?.communeIds).toContain(area.communeId);
      }
      expect(area.units.commune.startsWith(`C-${area.communeId}-`)).toBe(true);
    }
  });

  it('nests every city unit inside one National Assembly unit', () => {
    const naOf = new Map(unitsOf('na').flatMap((u) => u.communeIds.map((c) => [c, u.unitId])));
    for (const city of unitsOf('city')) {
      expect(new Set(city.communeIds.map((c) => naOf.get(c))).size).toBe(1);
    }
  });

  it('gives commune units 1–5 seats and every unit at least the candidates the law requires', () => {
    for (const unit of dataset.electoralUnits) {
      const listed = dataset.candidates.filter((c) => c.unitId === unit.unitId).length;
      expect(unit.seats).toBeLessThanOrEqual(maxSeatsPerUnit[unit.level]);
      expect(listed).toBeGreaterThanOrEqual(minCandidates(unit.level, unit.seats));
    }
  });

  it('lets Bạch Long Vĩ vote on 14 March with cards out 4–11 March; everyone else 15 March, 5–12 March', () => {
    const [early, ...others] = [
      ...dataset.communes.filter((c) => c.name === 'Bạch Long Vĩ'),
      ...dataset.communes.filter((c) => c.name !== 'Bạch Long Vĩ'),
    ];
    expect(early).toMatchObject({
      communeId: '11948',
      type: 'dac_khu',
      electionDate: '2026-03-14',
      cardDistribution: { from: '2026-03-04', to: '2026-03-11' },
    });
    expect(others).toHaveLength(113);
    for (const c of others) {
      expect(c.electionDate).toBe('2026-03-15');
      expect(c.cardDistribution).toEqual({ from: '2026-03-05', to: '2026-03-12' });
    }
  });

  it('spreads voters and areas by population, at least two residential areas a commune', () => {
    for (const c of dataset.communes) {
      const areas = dataset.pollingAreas.filter((a) => a.communeId === c.communeId);
      expect(areas.filter((a) => a.kind === 'residential').length).toBeGreaterThanOrEqual(2);
      expect(areas).toHaveLength(c.pollingAreaCount);
      expect(Math.abs(c.votersOnList - (c.population * 3_189_339) / 4_664_124)).toBeLessThan(1);
    }
  });

  it('makes separate areas smaller than the residential ones and names their kind', () => {
    const separate = dataset.pollingAreas.filter((a) => a.kind === 'separate');
    const residential = dataset.pollingAreas.filter((a) => a.kind === 'residential');
    const mean = (xs: readonly { votersOnList: number }[]): number =>
      xs.reduce((a, x) => a + x.votersOnList, 0) / xs.length;
    expect(mean(separate)).toBeLessThan(mean(residential) / 2);
    expect(new Set(separate.map((a) => a.separateKind))).toEqual(
      new Set(['armed_forces', 'hospital', 'care_facility', 'detention', 'rehabilitation']),
    );
    expect(residential.every((a) => a.separateKind === null)).toBe(true);
  });

  it('gives candidates fictional names, both genders and ages from 21 on their voting day', () => {
    const electionDay = { year: 2026, month: 3, day: 14 };
    for (const c of dataset.candidates) {
      const born = parseIsoDate(c.birthDate);
      expect(born).toBeDefined();
      if (born !== undefined)
        expect(ageOn(born, electionDay)).toBeGreaterThanOrEqual(minCandidateAge);
      expect(c.fullName.split(' ').length).toBeGreaterThanOrEqual(3);
    }
    const women = dataset.candidates.filter((c) => c.gender === 'female').length;
    expect(women / dataset.candidates.length).toBeGreaterThan(0.3);
    expect(women / dataset.candidates.length).toBeLessThan(0.5);
  });

  it('never lists the same name twice on one ballot', () => {
    for (const unit of dataset.electoralUnits) {
      const names = dataset.candidates
        .filter((c) => c.unitId === unit.unitId)
        .map((c) => c.fullName);
      expect(new Set(names).size).toBe(names.length);
    }
  });
});
