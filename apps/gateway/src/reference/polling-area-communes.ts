// Which commune each polling area lies in, for the scope checks: read once from the read models'
// polling_area table (2,577 rows) and kept in memory; the reference data does not change on the day.
import type pg from 'pg';

export class PollingAreaCommunes {
  private loading: Promise<ReadonlyMap<string, string>> | undefined;

  constructor(private readonly pool: pg.Pool) {}

  /** The area's commune, or undefined when the reference data has no such area. */
  async communeOf(pollingAreaId: string): Promise<string | undefined> {
    return (await this.map()).get(pollingAreaId);
  }

  private map(): Promise<ReadonlyMap<string, string>> {
    this.loading ??= this.load().catch((error: unknown) => {
      // A failed load is retried by the next request rather than cached.
      this.loading = undefined;
      throw error;
    });
    return this.loading;
  }

  private async load(): Promise<ReadonlyMap<string, string>> {
    const result = await this.pool.query<{ polling_area_id: string; commune_id: string }>(
      'select polling_area_id, commune_id from polling_area',
    );
    return new Map(result.rows.map((r) => [r.polling_area_id, r.commune_id]));
  }
}
