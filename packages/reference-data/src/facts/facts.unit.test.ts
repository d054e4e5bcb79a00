// The embedded facts are the CSV copies in facts/, row for row: the package may not read files
// at run time, so this test is what keeps the TypeScript and the cited sources in step.
import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { communeFacts } from './communes.js';
import { nationalAssemblyUnitFacts } from './national-assembly-units.js';

function readCsv(name: string): Record<string, string>[] {
  const text = readFileSync(new URL(`../../facts/${name}`, import.meta.url), 'utf8');
  return parse(text, { columns: true, skip_empty_lines: true }) as Record<string, string>[];
}

describe('embedded facts', () => {
  it('communes.ts equals facts/haiphong-communes.csv exactly', () => {
    const rows = readCsv('haiphong-communes.csv');
    expect(
      communeFacts.map((c) => ({
        code: c.code,
        name: c.name,
        type: c.type,
        population: String(c.population),
        area_km2: String(c.areaKm2),
      })),
    ).toEqual(rows);
  });

  it('national-assembly-units.ts equals facts/haiphong-na-units.csv exactly, in order', () => {
    const rows = readCsv('haiphong-na-units.csv');
    expect(
      nationalAssemblyUnitFacts.flatMap((u) =>
        u.communeCodes.map((code) => ({
          unit: String(u.unit),
          seats: String(u.seats),
          commune_code: code,
        })),
      ),
    ).toEqual(rows);
  });

  it('has the 114 communes the sources describe: 45 phường, 67 xã, 2 đặc khu, 4,664,124 people', () => {
    expect(communeFacts).toHaveLength(114);
    expect(new Set(communeFacts.map((c) => c.code)).size).toBe(114);
    const byType = (t: string): number => communeFacts.filter((c) => c.type === t).length;
    expect([byType('phường'), byType('xã'), byType('đặc khu')]).toEqual([45, 67, 2]);
    expect(communeFacts.reduce((a, c) => a + c.population, 0)).toBe(4_664_124);
    expect(communeFacts.every((c) => c.name === c.name.normalize('NFC'))).toBe(true);
  });

  it('puts every commune in exactly one of 7 National Assembly units with 19 seats in all', () => {
    expect(nationalAssemblyUnitFacts.map((u) => u.unit)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(nationalAssemblyUnitFacts.reduce((a, u) => a + u.seats, 0)).toBe(19);
    const codes = nationalAssemblyUnitFacts.flatMap((u) => u.communeCodes);
    expect(codes).toHaveLength(114);
    expect(new Set(codes)).toEqual(new Set(communeFacts.map((c) => c.code)));
  });
});
