// The ledger's tables in PostgreSQL: one append-only events table, guarded twice (triggers refuse
// UPDATE/DELETE/TRUNCATE for everyone, grants give the ledger's role only INSERT and SELECT).
import pg from 'pg';

/**
 * Design notes, because they are the security argument:
 *
 * - No `streams` table. Keeping a stream's current revision in a row would need UPDATE, and the
 *   ledger's role must not have UPDATE on anything. The revision is derived instead from the
 *   unique index on (stream_id, stream_revision): `max(stream_revision)` for a stream is a single
 *   backward index probe, and the writer asks once per batch for all streams the batch touches.
 * - Positions are assigned by the single writer (no sequence: sequences leave gaps on rollback).
 *   The primary key makes a second, rogue writer fail instead of forking the log.
 * - Hashes are stored as 32 raw bytes (bytea), read back as hex.
 * - The triggers are the guard against mistakes by privileged users; the grants are the guard
 *   against the ledger process itself. A superuser can disable triggers: that is what the hash
 *   chain and signed checkpoints are for.
 * - The schema is owned by whoever installs it (an administrator), never by the ledger's role:
 *   an owner could ALTER the table or disable its triggers.
 */
export const ledgerTablesSql = `
CREATE SCHEMA IF NOT EXISTS ledger;

CREATE TABLE IF NOT EXISTS ledger.events (
  position        BIGINT      PRIMARY KEY CHECK (position >= 1),
  event_id        UUID        NOT NULL UNIQUE,
  stream_id       TEXT        NOT NULL,
  stream_revision INTEGER     NOT NULL CHECK (stream_revision >= 0),
  type            TEXT        NOT NULL,
  schema_version  INTEGER     NOT NULL CHECK (schema_version >= 1),
  data            JSONB       NOT NULL,
  metadata        JSONB       NOT NULL,
  -- Milliseconds only: the hashed recordedAt text has milliseconds, so finer digits would be
  -- unhashed content that could be edited unseen.
  recorded_at     TIMESTAMPTZ NOT NULL CHECK (recorded_at = date_trunc('milliseconds', recorded_at)),
  prev_hash       BYTEA       NOT NULL CHECK (octet_length(prev_hash) = 32),
  hash            BYTEA       NOT NULL CHECK (octet_length(hash) = 32),
  CONSTRAINT events_stream_revision_key UNIQUE (stream_id, stream_revision)
);

COMMENT ON TABLE ledger.events IS
  'The election-day event log: append-only, gap-free positions, SHA-256 hash chain. Written only by the ledger.';

CREATE OR REPLACE FUNCTION ledger.refuse_event_change() RETURNS trigger
LANGUAGE plpgsql AS $fn$
BEGIN
  RAISE EXCEPTION 'ledger.events is append-only: % is refused', TG_OP
    USING ERRCODE = 'P0001',
          HINT = 'Recorded events are never changed or removed; append a correcting event instead.';
END
$fn$;

CREATE OR REPLACE TRIGGER events_refuse_update_delete
  BEFORE UPDATE OR DELETE ON ledger.events
  FOR EACH ROW EXECUTE FUNCTION ledger.refuse_event_change();

CREATE OR REPLACE TRIGGER events_refuse_truncate
  BEFORE TRUNCATE ON ledger.events
  FOR EACH STATEMENT EXECUTE FUNCTION ledger.refuse_event_change();

REVOKE ALL ON SCHEMA ledger FROM PUBLIC;
REVOKE ALL ON ALL TABLES IN SCHEMA ledger FROM PUBLIC;
REVOKE ALL ON FUNCTION ledger.refuse_event_change() FROM PUBLIC;
`;

/** Grants for the ledger's role: first everything is revoked, so re-running narrows, never widens. */
export function ledgerRoleSql(role: string, password?: string): string {
  const r = pg.escapeIdentifier(role);
  const createRole = `
DO $do$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = ${pg.escapeLiteral(role)}) THEN
    BEGIN
      CREATE ROLE ${r} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS;
    EXCEPTION WHEN duplicate_object OR unique_violation THEN
      -- Roles belong to the cluster: an install in another database created it just now.
      NULL;
    END;
  END IF;
END
$do$;`;
  const setPassword =
    password === undefined ? '' : `ALTER ROLE ${r} PASSWORD ${pg.escapeLiteral(password)};`;
  return `${createRole}
${setPassword}
REVOKE ALL ON ALL TABLES IN SCHEMA ledger FROM ${r};
GRANT USAGE ON SCHEMA ledger TO ${r};
GRANT SELECT, INSERT ON ledger.events TO ${r};
`;
}

export interface InstallLedgerSchemaOptions {
  /** The role the ledger process logs in as; created (LOGIN) when missing. */
  readonly ledgerRole: string;
  /** Sets the role's password when given; a role without one works only under trust/peer auth. */
  readonly ledgerPassword?: string;
}

const roleName = /^[a-z_][a-z0-9_]{0,62}$/;

/** Arbitrary but fixed: two installers started together take turns. */
const installLockKey = 7_346_201_915;

/**
 * Creates or brings up to date the ledger schema, its guards and its role. Idempotent: safe on
 * every start. Must run as an administrator (the owner of the schema), never as the ledger role.
 */
export async function installLedgerSchema(
  target: string | pg.ClientBase,
  options: InstallLedgerSchemaOptions,
): Promise<void> {
  if (!roleName.test(options.ledgerRole)) {
    throw new RangeError(
      `ledger role name must be lower-case letters, digits and _ (got ${options.ledgerRole})`,
    );
  }
  const owned =
    typeof target === 'string' ? new pg.Client({ connectionString: target }) : undefined;
  const client = owned ?? (target as pg.ClientBase);
  if (owned !== undefined) await owned.connect();
  try {
    await client.query('BEGIN');
    try {
      await client.query('SELECT pg_advisory_xact_lock($1)', [installLockKey]);
      await client.query(ledgerTablesSql);
      await client.query(ledgerRoleSql(options.ledgerRole, options.ledgerPassword));
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK');
      throw error;
    }
  } finally {
    await owned?.end();
  }
}
