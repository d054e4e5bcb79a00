// What the tallies need of the reference tables (polling_area, electoral_unit, candidate): an area's
// unit at a level, a unit's seats, candidates and areas. Kept in memory once read: the reference
// data does not change on the day, and every minute of a unit asks the same question.
import type { Level } from '@hpe/domain';
import type { PrismaClient } from '@hpe/read-models';

export interface UnitCandidate {
  readonly candidateId: string;
  readonly birthDate: string;
}

export interface UnitReference {
  readonly unitId: string;
  readonly level: Level;
  readonly seats: number;
  readonly candidates: readonly UnitCandidate[];
  /** The unit's polling areas with their registered lists, in id order. */
  readonly areas: readonly { readonly pollingAreaId: string; readonly votersOnList: number }[];
}

export interface AreaReference {
  readonly pollingAreaId: string;
  /** The registered list, before transfers. */
  readonly votersOnList: number;
  readonly units: Readonly<Record<Level, string>>;
}

export interface UnitDirectory {
  /** The area as the reference data has it; null for an id it does not know. */
  area(pollingAreaId: string): Promise<AreaReference | null>;
  /** The unit at `level`; null when there is no such unit at that level. */
  unit(level: Level, unitId: string): Promise<UnitReference | null>;
}

const unitColumn = { na: 'naUnitId', city: 'cityUnitId', commune: 'communeUnitId' } as const;

export class PrismaUnitDirectory implements UnitDirectory {
  private readonly areas = new Map<string, Promise<AreaReference | null>>();
  private readonly units = new Map<string, Promise<UnitReference | null>>();

  constructor(private readonly prisma: PrismaClient) {}

  area(pollingAreaId: string): Promise<AreaReference | null> {
    return this.cached(this.areas, pollingAreaId, () => this.loadArea(pollingAreaId));
  }

  unit(level: Level, unitId: string): Promise<UnitReference | null> {
    return this.cached(this.units, `${level}\u0000${unitId}`, () => this.loadUnit(level, unitId));
  }

  /** One load per key; a failed load is forgotten so that the next command tries again. */
  private cached<T>(map: Map<string, Promise<T>>, key: string, load: () => Promise<T>): Promise<T> {
    const known = map.get(key);
    if (known !== undefined) return known;
    const loading = load().catch((error: unknown) => {
      map.delete(key);
      throw error;
    });
    map.set(key, loading);
    return loading;
  }

  private async loadArea(pollingAreaId: string): Promise<AreaReference | null> {
    const area = await this.prisma.pollingArea.findUnique({
      where: { pollingAreaId },
      select: { votersOnList: true, naUnitId: true, cityUnitId: true, communeUnitId: true },
    });
    if (area === null) return null;
    return {
      pollingAreaId,
      votersOnList: area.votersOnList,
      units: { na: area.naUnitId, city: area.cityUnitId, commune: area.communeUnitId },
    };
  }

  private async loadUnit(level: Level, unitId: string): Promise<UnitReference | null> {
    const unit = await this.prisma.electoralUnit.findUnique({
      where: { unitId },
      select: {
        level: true,
        seats: true,
        candidates: {
          select: { candidateId: true, birthDate: true },
          orderBy: { candidateId: 'asc' },
        },
      },
    });
    if (unit === null || unit.level !== level) return null;
    const areas = await this.prisma.pollingArea.findMany({
      where: { [unitColumn[level]]: unitId },
      select: { pollingAreaId: true, votersOnList: true },
      orderBy: { pollingAreaId: 'asc' },
    });
    return { unitId, level, seats: unit.seats, candidates: unit.candidates, areas };
  }
}
