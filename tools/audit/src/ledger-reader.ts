// Reads ledger.events straight from PostgreSQL for the auditor: read-only, one consistent
// snapshot, pages in position order, hashes as hex exactly as the ledger reports them.
import type { ChainEvent } from '@hpe/ledger';
import pg from 'pg';

/** The database could not be reached or read: the audit did not happen (exit code 3). */
export class LedgerUnavailableError extends Error {
  constructor(message: string, options?: { cause: unknown }) {
    super(message, options);
    this.name = 'LedgerUnavailableError';
  }
}

export interface PageRange {
  /** First position to read; 1 by default. */
  readonly from?: number;
  /** Last position to read; the end of the log by default. */
  readonly to?: number;
  readonly pageSize?: number;
}

export interface LedgerReader {
  pages(range?: PageRange): AsyncIterable<ChainEvent[]>;
  close(): Promise<void>;
}

interface EventRow {
  position: string;
  event_id: string;
  stream_id: string;
  stream_revision: number;
  type: string;
  schema_version: number;
  data: unknown;
  metadata: unknown;
  recorded_at: string;
  prev_hash: string;
  hash: string;
}

// The same text forms the ledger's own reader produces (postgres-event-store.ts): recordedAt in
// UTC with milliseconds, hashes as lower-case hex. The verifier hashes exactly these values.
const pageSql = `SELECT position, event_id, stream_id, stream_revision, type, schema_version, data, metadata,
  to_char(recorded_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS recorded_at,
  encode(prev_hash, 'hex') AS prev_hash, encode(hash, 'hex') AS hash
  FROM ledger.events WHERE position >= $1 AND position <= $2 ORDER BY position LIMIT $3`;

/**
 * Connects once and opens a REPEATABLE READ, READ ONLY transaction, so every page comes from the
 * same snapshot even while the ledger keeps appending, and nothing can be written by mistake.
 */
export async function openLedgerReader(databaseUrl: string): Promise<LedgerReader> {
  const client = new pg.Client({ connectionString: databaseUrl, connectionTimeoutMillis: 10_000 });
  // A dropped connection emits 'error' on the client; without a listener Node would exit.
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
  } catch (error) {
    await client.end().catch(() => undefined);
    throw new LedgerUnavailableError(`cannot connect to the ledger database: ${describe(error)}`, {
      cause: error,
    });
  }
  return {
    async *pages(range: PageRange = {}) {
      const to = range.to ?? Number.MAX_SAFE_INTEGER;
      const pageSize = range.pageSize ?? 10_000;
      let next = range.from ?? 1;
      while (next <= to) {
        let rows: EventRow[];
        try {
          ({ rows } = await client.query<EventRow>(pageSql, [next, to, pageSize]));
        } catch (error) {
          throw new LedgerUnavailableError(`cannot read ledger.events: ${describe(error)}`, {
            cause: error,
          });
        }
        const page = rows.map(toChainEvent);
        if (page.length > 0) yield page;
        const last = page.at(-1);
        if (last === undefined || page.length < pageSize) return;
        // After the last row read, not after next + pageSize: a deleted row leaves a gap the
        // chain verifier must see and name.
        next = last.position + 1;
      }
    },
    async close() {
      await client.query('COMMIT').catch(() => undefined);
      await client.end().catch(() => undefined);
    },
  };
}

function toChainEvent(row: EventRow): ChainEvent {
  return {
    position: Number(row.position),
    eventId: row.event_id,
    streamId: row.stream_id,
    streamRevision: row.stream_revision,
    type: row.type,
    schemaVersion: row.schema_version,
    data: row.data,
    metadata: row.metadata,
    recordedAt: row.recorded_at,
    prevHash: row.prev_hash,
    hash: row.hash,
  };
}

function describe(error: unknown): string {
  if (error instanceof AggregateError && error.errors.length > 0) {
    return error.errors.map(describe).join('; ');
  }
  return error instanceof Error ? error.message || error.name : String(error);
}
