// What the projections need to know of the reference data (not event-sourced): which commune and
// units an area belongs to, and each unit's seats, candidates and areas. Loaded once per run.
import type pg from 'pg';

export interface ReferenceArea {
  readonly pollingAreaId: string;
  readonly communeId: string;
  readonly votersOnList: number;
  readonly naUnitId: string;
  readonly cityUnitId: string;
  readonly communeUnitId: string;
}

export interface ReferenceUnit {
  readonly unitId: string;
  readonly level: string;
  readonly seats: number;
  readonly candidates: readonly { readonly candidateId: string; readonly birthDate: string }[];
  readonly areaIds: ReadonlySet<string>;
  /** The unit's listed voters: the sum of its areas' lists in the reference data. */
  readonly votersOnList: number;
}

export interface ReferenceModel {
  readonly communeIds: readonly string[];
  readonly areas: ReadonlyMap<string, ReferenceArea>;
  readonly areasByCommune: ReadonlyMap<string, readonly ReferenceArea[]>;
  readonly units: ReadonlyMap<string, ReferenceUnit>;
}

export interface ReferenceInput {
  readonly communeIds: readonly string[];
  readonly areas: readonly ReferenceArea[];
  readonly units: readonly { unitId: string; level: string; seats: number }[];
  readonly candidates: readonly { candidateId: string; unitId: string; birthDate: string }[];
}

export function buildReferenceModel(input: ReferenceInput): ReferenceModel {
  const communeIds = [...input.communeIds].sort();
  const areas = new Map<string, ReferenceArea>();
  const areasByCommune = new Map<string, ReferenceArea[]>(communeIds.map((id) => [id, []]));
  const sortedAreas = [...input.areas].sort((a, b) => (a.pollingAreaId < b.pollingAreaId ? -1 : 1));
  for (const area of sortedAreas) {
    areas.set(area.pollingAreaId, area);
    areasByCommune.get(area.communeId)?.push(area);
  }
  const membersOf = new Map<string, ReferenceArea[]>();
  const add = <T>(map: Map<string, T[]>, key: string, value: T): void => {
    const list = map.get(key);
    if (list === undefined) map.set(key, [value]);
    else list.push(value);
  };
  for (const a of sortedAreas) {
    for (const unitId of new Set([a.naUnitId, a.cityUnitId, a.communeUnitId]))
      add(membersOf, unitId, a);
  }
  const candidatesOf = new Map<string, { candidateId: string; birthDate: string }[]>();
  for (const c of input.candidates)
    add(candidatesOf, c.unitId, { candidateId: c.candidateId, birthDate: c.birthDate });
  const units = new Map<string, ReferenceUnit>();
  for (const u of [...input.units].sort((a, b) => (a.unitId < b.unitId ? -1 : 1))) {
    const members = membersOf.get(u.unitId) ?? [];
    units.set(u.unitId, {
      unitId: u.unitId,
      level: u.level,
      seats: u.seats,
      candidates: (candidatesOf.get(u.unitId) ?? []).sort((a, b) =>
        a.candidateId < b.candidateId ? -1 : 1,
      ),
      areaIds: new Set(members.map((a) => a.pollingAreaId)),
      votersOnList: members.reduce((n, a) => n + a.votersOnList, 0),
    });
  }
  return { communeIds, areas, areasByCommune, units };
}

/** Reads the reference tables (public schema of the read-model database). */
export async function loadReferenceModel(db: pg.Pool | pg.ClientBase): Promise<ReferenceModel> {
  // One after another: a single client runs one query at a time.
  const communes = await db.query<{ commune_id: string }>('SELECT commune_id FROM public.commune');
  const areas = await db.query<{
    polling_area_id: string;
    commune_id: string;
    voters_on_list: number;
    na_unit_id: string;
    city_unit_id: string;
    commune_unit_id: string;
  }>(
    'SELECT polling_area_id, commune_id, voters_on_list, na_unit_id, city_unit_id, commune_unit_id FROM public.polling_area',
  );
  const units = await db.query<{ unit_id: string; level: string; seats: number }>(
    'SELECT unit_id, level, seats FROM public.electoral_unit',
  );
  const candidates = await db.query<{ candidate_id: string; unit_id: string; birth_date: string }>(
    'SELECT candidate_id, unit_id, birth_date FROM public.candidate',
  );
  return buildReferenceModel({
    communeIds: communes.rows.map((r) => r.commune_id),
    areas: areas.rows.map((r) => ({
      pollingAreaId: r.polling_area_id,
      communeId: r.commune_id,
      votersOnList: r.voters_on_list,
      naUnitId: r.na_unit_id,
      cityUnitId: r.city_unit_id,
      communeUnitId: r.commune_unit_id,
    })),
    units: units.rows.map((r) => ({ unitId: r.unit_id, level: r.level, seats: r.seats })),
    candidates: candidates.rows.map((r) => ({
      candidateId: r.candidate_id,
      unitId: r.unit_id,
      birthDate: r.birth_date,
    })),
  });
}
