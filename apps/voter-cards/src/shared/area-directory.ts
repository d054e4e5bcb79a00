// What a registration needs from the reference data: the polling areas and the card distribution
// window of their commune (5–12 March, Bạch Long Vĩ 4–11 March). 2,577 rows, read once and kept.
import type pg from 'pg';

export interface AreaReference {
  readonly pollingAreaId: string;
  readonly communeId: string;
  readonly cardsFrom: string;
  readonly cardsTo: string;
}

export class AreaDirectory {
  private loading: Promise<ReadonlyMap<string, AreaReference>> | undefined;

  constructor(private readonly pool: pg.Pool) {}

  /** The area as the reference data has it; undefined for an id it does not know. */
  async find(pollingAreaId: string): Promise<AreaReference | undefined> {
    return (await this.areas()).get(pollingAreaId);
  }

  private areas(): Promise<ReadonlyMap<string, AreaReference>> {
    this.loading ??= this.load().catch((error: unknown) => {
      // A failed load is tried again by the next command rather than cached.
      this.loading = undefined;
      throw error;
    });
    return this.loading;
  }

  private async load(): Promise<ReadonlyMap<string, AreaReference>> {
    const { rows } = await this.pool.query<{
      polling_area_id: string;
      commune_id: string;
      cards_from: string;
      cards_to: string;
    }>(
      `select p.polling_area_id, p.commune_id, c.cards_from, c.cards_to
         from polling_area p join commune c using (commune_id)`,
    );
    return new Map(
      rows.map((r) => [
        r.polling_area_id,
        {
          pollingAreaId: r.polling_area_id,
          communeId: r.commune_id,
          cardsFrom: r.cards_from,
          cardsTo: r.cards_to,
        },
      ]),
    );
  }
}
