import pg from 'pg';
import { afterEach, beforeEach, describe, expect, inject, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '@hpe/test-kit';
// Brings in the types of what the global set-up provides (inject('postgresAdminUrl')).
import type {} from '@hpe/test-kit/global-setup';
import { sealEvent } from '../chain/seal-event.js';
import { verifyChain, type VerifyChainResult } from '../chain/verify-chain.js';
import { expectOk } from './event-store-contract.test-support.js';
import type { LogHead } from './event-store.js';
import { PostgresEventStore } from './postgres-event-store.js';
import { installLedgerSchema } from './schema.js';
import { newTestEvents } from './test-events.test-support.js';

const ledgerRole = 'ledger_writer';

let db: TestDatabase;
let ledgerUrl: string;
let admin: pg.Client;

beforeEach(async () => {
  db = await createTestDatabase(inject('postgresAdminUrl'), 'ledger_schema');
  await installLedgerSchema(db.url, { ledgerRole });
  const url = new URL(db.url);
  url.username = ledgerRole;
  ledgerUrl = url.toString();
  admin = new pg.Client({ connectionString: db.url });
  await admin.connect();
});
afterEach(async () => {
  await admin.end();
  await db.drop();
});

/** Ten events in three streams, written through the store as the ledger's role. */
async function recordTenEvents(): Promise<LogHead> {
  const store = new PostgresEventStore({ connectionString: ledgerUrl });
  try {
    for (const [streamId, count] of [
      ['incident-a', 4],
      ['turnout-b', 3],
      ['incident-a', 3],
    ] as const) {
      expectOk(
        await store.appendToStream({
          streamId,
          expectedRevision: 'any',
          events: newTestEvents(streamId, count),
        }),
      );
    }
    return await store.head();
  } finally {
    await store.close();
  }
}

/** What an auditor runs: the whole table, read back in position order, against the chain. */
async function verifyTable(expectedHead?: LogHead): Promise<VerifyChainResult> {
  const store = new PostgresEventStore({ connectionString: ledgerUrl });
  try {
    return await verifyChain(
      store.pages({ pageSize: 3 }),
      expectedHead === undefined ? {} : { expectedHead },
    );
  } finally {
    await store.close();
  }
}

/** Superuser tampering: triggers off, one change, triggers on again. */
async function tamper(sql: string): Promise<void> {
  await admin.query('ALTER TABLE ledger.events DISABLE TRIGGER USER');
  try {
    await admin.query(sql);
  } finally {
    await admin.query('ALTER TABLE ledger.events ENABLE TRIGGER USER');
  }
}

describe('installLedgerSchema', () => {
  it('is idempotent: a second run succeeds and changes nothing', async () => {
    await recordTenEvents();
    await installLedgerSchema(db.url, { ledgerRole });
    const { rows } = await admin.query<{ n: string }>('SELECT count(*) AS n FROM ledger.events');
    expect(rows[0]?.n).toBe('10');
    const grants = await admin.query<{ privilege_type: string }>(
      `SELECT privilege_type FROM information_schema.role_table_grants
        WHERE table_schema = 'ledger' AND table_name = 'events' AND grantee = $1 ORDER BY 1`,
      [ledgerRole],
    );
    expect(grants.rows.map((r) => r.privilege_type)).toEqual(['INSERT', 'SELECT']);
  });

  it('refuses a role name that is not a plain identifier', async () => {
    await expect(installLedgerSchema(db.url, { ledgerRole: 'x; DROP TABLE y' })).rejects.toThrow(
      RangeError,
    );
  });
});

describe('the events table is append-only', () => {
  it('refuses UPDATE, DELETE and TRUNCATE by trigger, even for a superuser', async () => {
    await recordTenEvents();
    for (const sql of [
      `UPDATE ledger.events SET type = 'Edited' WHERE position = 3`,
      'DELETE FROM ledger.events WHERE position = 3',
      'TRUNCATE ledger.events',
    ]) {
      await expect(admin.query(sql), sql).rejects.toThrow(
        /ledger\.events is append-only: (UPDATE|DELETE|TRUNCATE) is refused/,
      );
    }
    expect((await verifyTable()).ok).toBe(true);
  });

  it('the ledger role may INSERT and SELECT only: UPDATE, DELETE, TRUNCATE are denied even with triggers off', async () => {
    await recordTenEvents();
    await admin.query('ALTER TABLE ledger.events DISABLE TRIGGER USER');
    try {
      await admin.query(`SET ROLE ${ledgerRole}`);
      for (const sql of [
        `UPDATE ledger.events SET type = 'Edited' WHERE position = 3`,
        'DELETE FROM ledger.events WHERE position = 3',
        'TRUNCATE ledger.events',
        'ALTER TABLE ledger.events ENABLE TRIGGER USER',
        'DROP TABLE ledger.events',
      ]) {
        await expect(admin.query(sql), sql).rejects.toThrow(/permission denied|must be owner/);
      }
      const { rows } = await admin.query<{ n: string }>('SELECT count(*) AS n FROM ledger.events');
      expect(rows[0]?.n).toBe('10');
    } finally {
      await admin.query('RESET ROLE');
      await admin.query('ALTER TABLE ledger.events ENABLE TRIGGER USER');
    }
  });

  it('refuses sub-millisecond recorded times, which the hash would not cover', async () => {
    await recordTenEvents();
    await expect(
      tamper(
        `UPDATE ledger.events SET recorded_at = recorded_at + interval '1 microsecond' WHERE position = 2`,
      ),
    ).rejects.toThrow(/check constraint/);
  });
});

describe('tampering by a superuser is found by verification, at the right position', () => {
  it('an intact table verifies up to its head', async () => {
    const head = await recordTenEvents();
    expect(await verifyTable(head)).toMatchObject({ ok: true, checkedTo: 10, headHash: head.hash });
  });

  it('one event’s data edited', async () => {
    await recordTenEvents();
    await tamper(`UPDATE ledger.events SET data = jsonb_set(data, '{n}', '42') WHERE position = 6`);
    expect(await verifyTable()).toMatchObject({
      ok: false,
      firstBadPosition: 6,
      reason: 'HASH_MISMATCH',
    });
  });

  it('one event’s metadata edited', async () => {
    await recordTenEvents();
    await tamper(
      `UPDATE ledger.events SET metadata = jsonb_set(metadata, '{actor,role}', '"admin"') WHERE position = 2`,
    );
    expect(await verifyTable()).toMatchObject({
      ok: false,
      firstBadPosition: 2,
      reason: 'HASH_MISMATCH',
    });
  });

  it('one event deleted', async () => {
    await recordTenEvents();
    await tamper('DELETE FROM ledger.events WHERE position = 4');
    expect(await verifyTable()).toMatchObject({
      ok: false,
      firstBadPosition: 4,
      reason: 'POSITION_MISMATCH',
    });
  });

  it('two events swapped (their positions exchanged)', async () => {
    await recordTenEvents();
    await tamper(`UPDATE ledger.events SET position = 1000003 WHERE position = 3;
                  UPDATE ledger.events SET position = 3 WHERE position = 8;
                  UPDATE ledger.events SET position = 8 WHERE position = 1000003;`);
    expect(await verifyTable()).toMatchObject({ ok: false, firstBadPosition: 3 });
  });

  it('one event edited and re-hashed: the next event’s link breaks', async () => {
    await recordTenEvents();
    const [row] = await readEvents(5, 5);
    if (row === undefined) throw new Error('position 5 missing');
    const forged = sealEvent({ ...row, data: { n: 'forged' } }, row.prevHash);
    await tamper(
      `UPDATE ledger.events SET data = '{"n":"forged"}', hash = decode('${forged.hash}', 'hex') WHERE position = 5`,
    );
    expect(await verifyTable()).toMatchObject({
      ok: false,
      firstBadPosition: 6,
      reason: 'BROKEN_LINK',
    });
  });

  it('the last events deleted: found against the head the ledger had signed', async () => {
    const head = await recordTenEvents();
    await tamper('DELETE FROM ledger.events WHERE position >= 9');
    expect((await verifyTable()).ok).toBe(true);
    expect(await verifyTable(head)).toMatchObject({
      ok: false,
      firstBadPosition: 9,
      reason: 'HEAD_MISMATCH',
    });
  });
});

async function readEvents(
  from: number,
  to: number,
): Promise<Awaited<ReturnType<PostgresEventStore['readAll']>>> {
  const store = new PostgresEventStore({ connectionString: ledgerUrl });
  try {
    return await store.readAll({ fromPosition: from, limit: to - from + 1 });
  } finally {
    await store.close();
  }
}
