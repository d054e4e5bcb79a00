// Rebuilds the card index from the log alone: every VoterRegistered adds its card, every
// VoterTransferred moves the voter's listing. Runs in one transaction, so readers see the old index
// or the new one, never half of it; used after a crash between a commit and its index write.
import { VoterRegistered, VoterTransferred, type RecordedEvent } from '@hpe/domain';
import type pg from 'pg';
import { CardIndex, type CardIndexEntry } from './card-index.js';

export interface LogReader {
  /** Every event from a position on, page by page (LedgerClient.events). */
  events(fromPosition?: number): AsyncIterable<RecordedEvent[]>;
}

export interface RebuildReport {
  readonly registrations: number;
  readonly transfers: number;
  /** The last log position read. */
  readonly position: number;
}

const flushEvery = 5_000;

export async function rebuildCardIndex(log: LogReader, pool: pg.Pool): Promise<RebuildReport> {
  const client = await pool.connect();
  let registrations = 0;
  let transfers = 0;
  let position = 0;
  try {
    await client.query('begin');
    await client.query('lock table voter_card_index in exclusive mode');
    await client.query('delete from voter_card_index');
    const index = new CardIndex(client);
    let pending: CardIndexEntry[] = [];
    const flush = async (): Promise<void> => {
      registrations += await index.register(pending);
      pending = [];
    };
    for await (const page of log.events(1)) {
      for (const event of page) {
        position = event.position;
        if (!event.streamId.startsWith('voter-')) continue;
        const voterKey = event.streamId.slice('voter-'.length);
        if (event.type === 'VoterRegistered') {
          const { data } = VoterRegistered.parse({ type: event.type, data: event.data });
          pending.push({
            cardNumber: data.cardNumber,
            voterKey,
            homePollingAreaId: data.pollingAreaId,
            listedPollingAreaId: data.pollingAreaId,
            position: event.position,
          });
          if (pending.length >= flushEvery) await flush();
        } else if (event.type === 'VoterTransferred') {
          const { data } = VoterTransferred.parse({ type: event.type, data: event.data });
          // The registration this transfer follows must be in the table before it is moved.
          await flush();
          await index.moveListing(voterKey, data.toPollingAreaId, event.position);
          transfers += 1;
        }
      }
    }
    await flush();
    await client.query('commit');
    return { registrations, transfers, position };
  } catch (error) {
    await client.query('rollback');
    throw error;
  } finally {
    client.release();
  }
}
