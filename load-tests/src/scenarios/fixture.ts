// The fixture a load run works from (written by src/fixtures/make-fixture.ts): the polling areas it
// drives, their electoral units and candidates, and the cards of the voters it imported.

export type Level = 'na' | 'city' | 'commune';
export const levels: readonly Level[] = ['na', 'city', 'commune'];

export interface FixtureArea {
  readonly pollingAreaId: string;
  readonly communeId: string;
  readonly votersOnList: number;
  /** 2026-03-15, or 2026-03-14 at Bạch Long Vĩ (the generator leaves that one out). */
  readonly electionDate: string;
  readonly units: { readonly na: string; readonly city: string; readonly commune: string };
}

export interface FixtureUnit {
  readonly unitId: string;
  readonly level: Level;
  readonly seats: number;
  readonly candidateIds: readonly string[];
}

/** What the request builders read; k6 hands them SharedArrays, Node plain arrays. */
export interface FixtureView {
  /** When the fixture was made (ms since epoch): the day clock of turnout reports starts here. */
  readonly createdAtMs: number;
  readonly areas: ArrayLike<FixtureArea>;
  readonly units: ArrayLike<FixtureUnit>;
  /** Card numbers of the imported voters, interleaved across areas; each is checked in once. */
  readonly cards: ArrayLike<string>;
}

export interface FixtureFile {
  readonly formatVersion: 1;
  readonly createdAt: string;
  readonly seed: string;
  /** The NDJSON voter list beside fixture.json (POST /voters/import as admin before the run). */
  readonly votersFile: string;
  readonly votersInFile: number;
  /** How many of them the stack holds (0: not imported, e.g. the endpoint is missing). */
  readonly votersImported: number;
  readonly areas: readonly FixtureArea[];
  readonly units: readonly FixtureUnit[];
  readonly cards: readonly string[];
}

/** `PA-10507-001-0042` → `PA-10507-001`: a card number starts with its area's id. */
export function areaOfCard(cardNumber: string): string {
  return cardNumber.slice(0, cardNumber.lastIndexOf('-'));
}

/** Every user a run signs in as: one account per area and commune, plus the city's roles. */
export function fixtureUsers(fixture: FixtureView): string[] {
  const users = new Set<string>(['admin', 'ops', 'police', 'auditor']);
  for (let i = 0; i < fixture.areas.length; i += 1) {
    const area = fixture.areas[i];
    if (area === undefined) continue;
    users.add(`pa-${area.pollingAreaId}`);
    users.add(`commune-${area.communeId}`);
  }
  return [...users];
}
