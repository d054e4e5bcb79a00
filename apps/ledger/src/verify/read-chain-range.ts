// Reads a range of ledger.events as chain events, page by page, with as little per-row work as
// the driver allows: array rows, JSONB as text parsed once here, hashes hex-encoded by the server.
import type pg from 'pg';
import type { ChainEvent } from '../chain/verify-chain.js';

/** Rows per round trip: large enough to amortise it, small enough to keep memory flat. */
export const defaultRangePageSize = 5_000;

// JSONB is read as text and parsed here rather than by the driver's type parser, which would
// parse it the same way; text keeps the door open to skip rows without parsing. Positions come as
// text (BIGINT) and are converted once. The alias matters: ORDER BY position would otherwise sort
// by the text output column, putting 10 before 2.
const rangeSql = `SELECT position::text AS pos, event_id::text, stream_id, stream_revision, type, schema_version,
  data::text, metadata::text,
  to_char(recorded_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
  encode(prev_hash, 'hex'), encode(hash, 'hex')
  FROM ledger.events WHERE position >= $1 AND position <= $2 ORDER BY position`;

type RangeRow = [
  string,
  string,
  string,
  number,
  string,
  number,
  string,
  string,
  string,
  string,
  string,
];

/** The highest position in the log, 0 when it is empty. */
export async function readLogHeadPosition(client: pg.ClientBase): Promise<number> {
  const { rows } = await client.query<{ head: string | null }>(
    'SELECT max(position)::text AS head FROM ledger.events',
  );
  return Number(rows[0]?.head ?? 0);
}

/**
 * Pages of the events with fromPosition ≤ position ≤ toPosition, in position order. Gaps are
 * not filled or reported here: the verifier names them.
 */
export async function* readChainRange(
  client: pg.ClientBase,
  fromPosition: number,
  toPosition: number,
  pageSize = defaultRangePageSize,
): AsyncGenerator<ChainEvent[]> {
  // Windows of positions rather than LIMIT: with both bounds and a LIMIT the planner (without
  // fresh statistics) fetched and sorted the whole rest of the range for every page. Positions are
  // gap-free in an intact log, so a window holds pageSize rows; in a damaged one it holds fewer.
  const window = (start: number): Promise<pg.QueryArrayResult<RangeRow>> =>
    client.query<RangeRow>({
      text: rangeSql,
      values: [start, Math.min(toPosition, start + pageSize - 1)],
      rowMode: 'array',
    });
  // The next window is asked for before this one is handed out, so PostgreSQL produces it while
  // the caller hashes (the connection queues the query; nothing runs twice).
  let pending = fromPosition <= toPosition ? window(fromPosition) : undefined;
  try {
    for (let start = fromPosition; pending !== undefined; start += pageSize) {
      const result = await pending;
      const next = start + pageSize;
      pending = next <= toPosition ? window(next) : undefined;
      if (result.rows.length > 0) yield result.rows.map(toChainEvent);
    }
  } finally {
    // A caller that stops early (the chain broke) leaves one window in flight: let it finish, so
    // closing the connection does not turn it into an unhandled rejection.
    await pending?.catch(() => undefined);
  }
}

function toChainEvent(row: RangeRow): ChainEvent {
  return {
    position: Number(row[0]),
    eventId: row[1],
    streamId: row[2],
    streamRevision: row[3],
    type: row[4],
    schemaVersion: row[5],
    data: JSON.parse(row[6]) as unknown,
    metadata: JSON.parse(row[7]) as unknown,
    recordedAt: row[8],
    prevHash: row[9],
    hash: row[10],
  };
}
