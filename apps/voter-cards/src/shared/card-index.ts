// The card index (table voter_card_index, migration 20260104000000_voter_card_index): card number →
// voterKey and the list the voter is on now. Written only after the ledger has committed the event
// it reflects, so it never names a voter the log does not hold; rebuildable from the log.
import DataLoader from 'dataloader';
import type pg from 'pg';

export interface CardIndexEntry {
  readonly cardNumber: string;
  readonly voterKey: string;
  readonly homePollingAreaId: string;
  readonly listedPollingAreaId: string;
  /** The log position of the event the entry reflects. */
  readonly position: number;
}

interface Row {
  card_number: string;
  voter_key: string;
  home_polling_area_id: string;
  listed_polling_area_id: string;
  position: string;
}

const toEntry = (r: Row): CardIndexEntry => ({
  cardNumber: r.card_number,
  voterKey: r.voter_key,
  homePollingAreaId: r.home_polling_area_id,
  listedPollingAreaId: r.listed_polling_area_id,
  position: Number(r.position),
});

export class CardIndex {
  // Lookups made in the same moment (check-ins arriving together) share one query; no cache.
  private readonly cards = new DataLoader<string, CardIndexEntry | undefined>(
    (numbers) => this.byCards(numbers),
    { cache: false, maxBatchSize: 1_000 },
  );

  constructor(private readonly pool: pg.Pool | pg.PoolClient) {}

  byCard(cardNumber: string): Promise<CardIndexEntry | undefined> {
    return this.cards.load(cardNumber);
  }

  private async byCards(numbers: readonly string[]): Promise<(CardIndexEntry | undefined)[]> {
    const { rows } = await this.pool.query<Row>(
      'select * from voter_card_index where card_number = any($1::text[])',
      [numbers],
    );
    const found = new Map(rows.map((r) => [r.card_number, toEntry(r)]));
    return numbers.map((n) => found.get(n));
  }

  async byVoter(voterKey: string): Promise<CardIndexEntry | undefined> {
    const { rows } = await this.pool.query<Row>(
      'select * from voter_card_index where voter_key = $1',
      [voterKey],
    );
    return rows[0] === undefined ? undefined : toEntry(rows[0]);
  }

  /** Which voter holds each of these card numbers (those held by nobody are absent). */
  async holders(cardNumbers: readonly string[]): Promise<ReadonlyMap<string, string>> {
    if (cardNumbers.length === 0) return new Map();
    const { rows } = await this.pool.query<{ card_number: string; voter_key: string }>(
      'select card_number, voter_key from voter_card_index where card_number = any($1::text[])',
      [cardNumbers],
    );
    return new Map(rows.map((r) => [r.card_number, r.voter_key]));
  }

  /**
   * Records registrations in one statement. An entry already there is kept (a retried import heals
   * a missing entry and changes nothing else); returns how many rows were new.
   */
  async register(entries: readonly CardIndexEntry[]): Promise<number> {
    if (entries.length === 0) return 0;
    const result = await this.pool.query(
      `insert into voter_card_index
         (card_number, voter_key, home_polling_area_id, listed_polling_area_id, position)
       select * from unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::bigint[])
       on conflict do nothing`,
      [
        entries.map((e) => e.cardNumber),
        entries.map((e) => e.voterKey),
        entries.map((e) => e.homePollingAreaId),
        entries.map((e) => e.listedPollingAreaId),
        entries.map((e) => e.position),
      ],
    );
    return result.rowCount ?? 0;
  }

  /** A transfer moved the voter to another list; an older position never overwrites a newer one. */
  async moveListing(voterKey: string, pollingAreaId: string, position: number): Promise<void> {
    await this.pool.query(
      `update voter_card_index set listed_polling_area_id = $2, position = $3
        where voter_key = $1 and position < $3`,
      [voterKey, pollingAreaId, position],
    );
  }
}
