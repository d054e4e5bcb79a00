import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import {
  createCheckpointer,
  installLedgerSchema,
  loadOrCreateSigningKey,
  PostgresEventStore,
  sealEvents,
  signCheckpoint,
  signingKeyOf,
  loadPublicKey,
  verifyLedger,
  type ChainEvent,
  type SigningKey,
} from '@hpe/ledger';
import { createTestDatabase, type TestDatabase } from '@hpe/test-kit';
// Brings in the types of what the global set-up provides (inject('postgresAdminUrl')).
import type {} from '@hpe/test-kit/global-setup';
import { generateKeyPairSync } from 'node:crypto';
import pg from 'pg';
import { v7 as uuidv7 } from 'uuid';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, inject, it } from 'vitest';
import { auditEvents, type AuditResult } from './audit-log.js';
import { openLedgerReader } from './ledger-reader.js';

const run = promisify(execFile);
const packageDir = fileURLToPath(new URL('..', import.meta.url));
const cliPath = join(packageDir, 'dist', 'cli.js');
const ledgerRole = 'ledger_writer';

interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the BUILT command line as an auditor would. */
async function cli(...args: string[]): Promise<CliRun> {
  try {
    const { stdout, stderr } = await run(process.execPath, [cliPath, ...args], {
      env: { PATH: process.env.PATH ?? '' },
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code?: unknown; stdout?: string; stderr?: string };
    if (typeof e.code !== 'number') throw error;
    return { code: e.code, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

beforeAll(async () => {
  // The test runs the compiled program; build it so the test never checks stale output.
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  await run(process.execPath, [tsc, '-p', join(packageDir, 'tsconfig.build.json')]);
}, 120_000);

const workDir = mkdtempSync(join(tmpdir(), 'hpe-audit-'));
const keyPath = join(workDir, 'ledger-signing.pem');
const publicKeyPath = `${keyPath}.pub`;
afterAll(() => rmSync(workDir, { recursive: true, force: true }));

describe('hpe-audit against a real ledger', () => {
  let db: TestDatabase;
  let ledgerUrl: string;
  let store: PostgresEventStore;
  let key: SigningKey;

  async function asSuperuser<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    try {
      return await work(client);
    } finally {
      await client.end();
    }
  }

  /** What a database superuser can do despite the triggers. */
  async function tamper(sql: string, params: unknown[] = []): Promise<void> {
    await asSuperuser(async (client) => {
      await client.query('ALTER TABLE ledger.events DISABLE TRIGGER USER');
      await client.query(sql, params);
      await client.query('ALTER TABLE ledger.events ENABLE TRIGGER USER');
    });
  }

  /**
   * The stronger forger: changes rows, then recomputes every hash from `position` on so the chain
   * itself verifies again. Only the signed checkpoints can catch this.
   */
  async function rehashFrom(position: number): Promise<void> {
    const reader = await openLedgerReader(db.url);
    const rows: ChainEvent[] = [];
    try {
      for await (const page of reader.pages({ from: position - 1 })) rows.push(...page);
    } finally {
      await reader.close();
    }
    const [before, ...rest] = rows;
    if (before === undefined) throw new Error('nothing to re-hash');
    const sealed = sealEvents(rest, before.hash);
    await asSuperuser(async (client) => {
      await client.query('ALTER TABLE ledger.events DISABLE TRIGGER USER');
      for (const e of sealed) {
        await client.query(
          `UPDATE ledger.events SET prev_hash = decode($2, 'hex'), hash = decode($3, 'hex') WHERE position = $1`,
          [e.position, e.prevHash, e.hash],
        );
      }
      await client.query('ALTER TABLE ledger.events ENABLE TRIGGER USER');
    });
  }

  async function appendIncidents(
    count: number,
    stream = `incident-${uuidv7().replaceAll('-', '')}`,
  ) {
    let last = 0;
    for (let i = 0; i < count; i += 1) {
      const result = await store.appendToStream({
        streamId: stream,
        expectedRevision: 'any',
        events: [
          {
            eventId: uuidv7(),
            type: 'IncidentReported',
            schemaVersion: 1,
            streamId: stream,
            data: { n: i, note: `báo cáo ${i}` },
            metadata: {
              occurredAt: '2026-03-15T09:30:00+07:00',
              actor: { id: 'reporter-7', role: 'reporter' },
              correlationId: 'corr-1',
            },
          },
        ],
      });
      if (!result.ok) throw new Error(`append failed: ${result.error.code}`);
      last = result.value.positions[1];
    }
    return last;
  }

  const checkpointer = () =>
    createCheckpointer({ store, signer: key, everyEvents: 5, everyMs: 60_000, newEventId: uuidv7 });

  beforeEach(async () => {
    db = await createTestDatabase(inject('postgresAdminUrl'), 'audit');
    await installLedgerSchema(db.url, { ledgerRole });
    const url = new URL(db.url);
    url.username = ledgerRole;
    ledgerUrl = url.toString();
    store = new PostgresEventStore({ connectionString: ledgerUrl });
    key = loadOrCreateSigningKey(keyPath);
    // 5 events, checkpoint (6), 5 events, checkpoint (12), 5 events, checkpoint (18), 2 events.
    const c = checkpointer();
    for (let i = 0; i < 17; i += 1) {
      c.noteCommitted(await appendIncidents(1));
      await c.stop();
    }
    expect((await store.head()).position).toBe(20);
  });
  afterEach(async () => {
    await store.close();
    await db.drop();
  });

  it('verifies an untouched log: exit 0 and the summary line', async () => {
    const result = await cli('verify', '--database-url', ledgerUrl, '--public-key', publicKeyPath);
    expect(result.stdout.trim()).toBe(
      `ok: verified positions 1..20 (head ${(await store.head()).hash}), 3 checkpoints signed by ${key.fingerprint}`,
    );
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('positions 18..20 come after the last signed head');
    const withWorkers = await cli(
      'verify',
      '--database-url',
      ledgerUrl,
      '--public-key',
      publicKeyPath,
      '--workers',
      '2',
    );
    expect(withWorkers.stdout).toBe(result.stdout);
    expect((await cli('verify', '--database-url', ledgerUrl, '--workers', '0')).code).toBe(2);
  });

  it('reports a JSON result and verifies a range', async () => {
    const json = await cli(
      'verify',
      '--database-url',
      ledgerUrl,
      '--public-key',
      publicKeyPath,
      '--json',
    );
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toMatchObject({ ok: true, from: 1, to: 20, checkpoints: 3 });
    const range = await cli(
      'verify',
      '--database-url',
      ledgerUrl,
      '--public-key',
      publicKeyPath,
      '--from',
      '7',
      '--to',
      '12',
    );
    expect(range.code).toBe(0);
    // The checkpoint at 12 signs position 11, inside the range: it is checked, not unanchored.
    expect(range.stdout).toContain('ok: verified positions 7..12');
    expect(range.stdout).toContain('1 checkpoints');
  });

  it('fails without the public key: the checkpoints cannot be trusted', async () => {
    const result = await cli('verify', '--database-url', ledgerUrl);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/^FAILED at position 6: UNKNOWN_KEY/);
  });

  it('names an event whose content a superuser edited', async () => {
    await tamper(
      `UPDATE ledger.events SET data = jsonb_set(data, '{n}', '999') WHERE position = 9`,
    );
    const result = await cli('verify', '--database-url', ledgerUrl, '--public-key', publicKeyPath);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/^FAILED at position 9: HASH_MISMATCH \(/);
  });

  it('names the position of an event a superuser deleted', async () => {
    await tamper('DELETE FROM ledger.events WHERE position = 14');
    const result = await cli('verify', '--database-url', ledgerUrl, '--public-key', publicKeyPath);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/^FAILED at position 14: POSITION_MISMATCH/);
  });

  it('names the first slot of two events a superuser swapped', async () => {
    await tamper(`UPDATE ledger.events SET position = 1000000 WHERE position = 3;
      UPDATE ledger.events SET position = 3 WHERE position = 4;
      UPDATE ledger.events SET position = 4 WHERE position = 1000000;`);
    const result = await cli('verify', '--database-url', ledgerUrl, '--public-key', publicKeyPath);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/^FAILED at position 3: /);
  });

  it('cannot see a removed tail on its own, but does against a head recorded outside', async () => {
    const head = await store.head();
    await tamper('DELETE FROM ledger.events WHERE position >= 17');
    // What remains is a valid, shorter chain: without an outside copy this passes.
    const alone = await cli('verify', '--database-url', ledgerUrl, '--public-key', publicKeyPath);
    expect(alone.code).toBe(0);
    expect(alone.stdout).toContain('ok: verified positions 1..16');
    const recorded = `${head.position}:${head.hash}`;
    const against = await cli(
      'verify',
      '--database-url',
      ledgerUrl,
      '--public-key',
      publicKeyPath,
      '--expect-head',
      recorded,
    );
    expect(against.code).toBe(1);
    expect(against.stdout).toMatch(/^FAILED at position 17: HEAD_MISMATCH/);
    const otherHash = await cli(
      'verify',
      '--database-url',
      ledgerUrl,
      '--public-key',
      publicKeyPath,
      '--expect-head',
      `12:${'0'.repeat(64)}`,
    );
    expect(otherHash.code).toBe(1);
    expect(otherHash.stdout).toMatch(/^FAILED at position 12: HEAD_MISMATCH/);
  });

  it('catches an edit re-hashed through the whole chain at the next checkpoint', async () => {
    await tamper(
      `UPDATE ledger.events SET data = jsonb_set(data, '{n}', '999') WHERE position = 8`,
    );
    await rehashFrom(8);
    const result = await cli('verify', '--database-url', ledgerUrl, '--public-key', publicKeyPath);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/^FAILED at position 12: CHECKPOINT_MISMATCH/);
  });

  it('names a forged checkpoint signature, even with the chain re-hashed around it', async () => {
    const forger = signingKeyOf(generateKeyPairSync('ed25519').privateKey);
    const forged = signCheckpoint({ headPosition: 11, headHash: 'f'.repeat(64) }, forger);
    // The forger keeps the real key's fingerprint, hoping the auditor will look no further.
    await tamper(`UPDATE ledger.events SET data = data || $1::jsonb WHERE position = 12`, [
      JSON.stringify({ signature: forged.signature }),
    ]);
    await rehashFrom(12);
    const result = await cli('verify', '--database-url', ledgerUrl, '--public-key', publicKeyPath);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/^FAILED at position 12: BAD_SIGNATURE/);

    // Signed with its own key instead: a key no auditor was given.
    await tamper(`UPDATE ledger.events SET data = $1::jsonb WHERE position = 18`, [
      JSON.stringify(forged),
    ]);
    await rehashFrom(18);
    const second = await cli(
      'verify',
      '--database-url',
      ledgerUrl,
      '--public-key',
      publicKeyPath,
      '--from',
      '13',
    );
    expect(second.code).toBe(1);
    expect(second.stdout).toMatch(/^FAILED at position 18: UNKNOWN_KEY/);
  });

  interface AuditRange {
    readonly from?: number;
    readonly to?: number;
    readonly expectHead?: { readonly position: number; readonly hash: string };
  }

  /** The reference: the sequential audit over one reader's pages, as the CLI ran it before. */
  async function sequentialAudit(range: AuditRange): Promise<AuditResult> {
    const reader = await openLedgerReader(ledgerUrl);
    try {
      return await auditEvents(
        reader.pages({
          pageSize: 4,
          ...(range.from === undefined ? {} : { from: range.from }),
          ...(range.to === undefined ? {} : { to: range.to }),
        }),
        {
          publicKeys: [loadPublicKey(publicKeyPath)],
          ...(range.expectHead === undefined ? {} : { expectHead: range.expectHead }),
          ...(range.from !== undefined && range.from > 1
            ? { start: { position: range.from, trustLink: true } }
            : {}),
        },
      );
    } finally {
      await reader.close();
    }
  }

  /** verifyLedger with three worker threads over ranges of a few events, as the CLI maps it. */
  async function parallelAudit(range: AuditRange): Promise<AuditResult> {
    const { checkedFrom, checkedTo, ...rest } = await verifyLedger({
      databaseUrl: ledgerUrl,
      publicKeys: [loadPublicKey(publicKeyPath)],
      workers: 3,
      minEventsPerWorker: 1,
      ...(range.from === undefined ? {} : { fromPosition: range.from }),
      ...(range.to === undefined ? {} : { toPosition: range.to }),
      ...(range.expectHead === undefined ? {} : { expectHead: range.expectHead }),
    });
    return { ...rest, from: checkedFrom, to: checkedTo };
  }

  const checkpointReasons = new Set<string>([
    'BAD_SIGNATURE',
    'UNKNOWN_KEY',
    'CHECKPOINT_MISMATCH',
    'MALFORMED_CHECKPOINT',
    'CHECKPOINT_OUT_OF_REACH',
  ]);
  /** What an auditor acts on: the verdict and, on failure, where and why. */
  const pick = (r: AuditResult) =>
    r.ok
      ? { ok: true, to: r.to, headHash: r.headHash }
      : { ok: false, at: r.firstBadPosition, reason: r.reason, detail: r.detail };

  /** Name, the superuser's SQL, the range audited, the reason expected, where to re-hash from. */
  const scenarios: [string, string, AuditRange, string | undefined, number?][] = [
    ['an untouched log', '', {}, undefined],
    ['a range', '', { from: 7, to: 12 }, undefined],
    ['a range past the head', '', { from: 15, to: 400 }, undefined],
    [
      'a range whose first event is a checkpoint signing the link into it',
      '',
      { from: 12 },
      undefined,
    ],
    ['a range ending on a checkpoint', '', { from: 13, to: 18 }, undefined],
    ['a start past the head', '', { from: 40 }, undefined],
    [
      'an edit in the second worker’s range',
      `UPDATE ledger.events SET data = jsonb_set(data, '{n}', '999') WHERE position = 9`,
      {},
      'HASH_MISMATCH',
    ],
    [
      'a deleted event on a worker boundary',
      'DELETE FROM ledger.events WHERE position = 8',
      {},
      'POSITION_MISMATCH',
    ],
    [
      'a swap',
      `UPDATE ledger.events SET position = 1000000 WHERE position = 15;
       UPDATE ledger.events SET position = 15 WHERE position = 16;
       UPDATE ledger.events SET position = 16 WHERE position = 1000000;`,
      {},
      undefined,
    ],
    [
      'a broken link at the start of a range',
      `UPDATE ledger.events SET prev_hash = decode(repeat('ab', 32), 'hex') WHERE position = 7`,
      { from: 7 },
      undefined,
    ],
    [
      'a deleted first event of a range',
      'DELETE FROM ledger.events WHERE position = 7',
      { from: 7 },
      'POSITION_MISMATCH',
    ],
    ['a removed tail', 'DELETE FROM ledger.events WHERE position >= 17', {}, undefined],
    [
      'a forged checkpoint',
      `UPDATE ledger.events SET data = jsonb_set(data, '{headHash}', to_jsonb(repeat('f', 64))) WHERE position = 12`,
      {},
      'BAD_SIGNATURE',
      12,
    ],
    [
      'a checkpoint without the checkpoint shape',
      `UPDATE ledger.events SET data = '{"headPosition": 5}' WHERE position = 6`,
      {},
      'MALFORMED_CHECKPOINT',
      6,
    ],
    [
      'an edit re-hashed through the chain',
      `UPDATE ledger.events SET data = jsonb_set(data, '{n}', '999') WHERE position = 8`,
      {},
      'CHECKPOINT_MISMATCH',
      8,
    ],
  ];

  it.each(scenarios)(
    'verifies with worker threads exactly as the sequential audit does: %s',
    async (_name, sql, range, reason, rehash) => {
      const original = await store.head();
      if (sql !== '') await tamper(sql);
      if (rehash !== undefined) await rehashFrom(rehash);
      const reference = await sequentialAudit(range);
      const parallel = await parallelAudit(range);
      expect(pick(parallel)).toEqual(pick(reference));
      // After a checkpoint failure the sequential audit's range ends wherever its page did; the
      // parallel one has verified the whole chain by then. Everything else is equal.
      if (reference.ok || !checkpointReasons.has(reference.reason)) {
        expect(parallel).toEqual(reference);
      }
      if (reason !== undefined) expect(reference).toMatchObject({ ok: false, reason });
      // And against the head as it was: a cut tail and a re-hashed range show up the same way.
      const against = { ...range, expectHead: { position: 20, hash: original.hash } };
      expect(pick(await parallelAudit(against))).toEqual(pick(await sequentialAudit(against)));
    },
  );

  it('exports NDJSON, resumes after a torn write without duplicates, and verifies the file', async () => {
    const out = join(workDir, `export-${uuidv7()}.ndjson`);
    const first = await cli('export', '--database-url', ledgerUrl, '--out', out);
    expect(first.code).toBe(0);
    expect(first.stdout).toContain('ok: exported positions 1..20');
    const complete = readFileSync(out, 'utf8');

    // A crash mid-write: the last two lines lost, and half of the one before them written.
    const lines = complete.trimEnd().split('\n');
    const torn = lines.slice(0, 17).join('\n') + '\n' + (lines[17] ?? '').slice(0, 40);
    writeFileSync(out, torn);
    const resumed = await cli('export', '--database-url', ledgerUrl, '--out', out);
    expect(resumed.code).toBe(0);
    expect(resumed.stdout).toContain('exported positions 18..20');
    expect(resumed.stdout).toContain('dropped a torn last line of 40 bytes');
    expect(readFileSync(out, 'utf8')).toBe(complete);

    // New events since: the next run appends only them.
    await appendIncidents(3);
    const again = await cli('export', '--database-url', ledgerUrl, '--out', out);
    expect(again.stdout).toContain('exported positions 21..23');
    const positions = readFileSync(out, 'utf8')
      .trimEnd()
      .split('\n')
      .map((line) => (JSON.parse(line) as { position: number }).position);
    expect(positions).toEqual(Array.from({ length: 23 }, (_, i) => i + 1));

    const offline = await cli('verify', '--ndjson', out, '--public-key', publicKeyPath);
    expect(offline.code).toBe(0);
    expect(offline.stdout).toContain('ok: verified positions 1..23');

    // The exported copy is checked as strictly as the database: edit position 3's data.
    const exported = readFileSync(out, 'utf8').split('\n');
    exported[2] = (exported[2] ?? '').replace('"n":0', '"n":7');
    writeFileSync(out, exported.join('\n'));
    const edited = await cli('verify', '--ndjson', out, '--public-key', publicKeyPath);
    expect(edited.code).toBe(1);
    expect(edited.stdout).toMatch(/^FAILED at position 3: HASH_MISMATCH/);
  });

  it('refuses to resume a file that is not an export of this ledger', async () => {
    const out = join(workDir, `foreign-${uuidv7()}.ndjson`);
    await cli('export', '--database-url', ledgerUrl, '--out', out, '--from', '1');
    const lines = readFileSync(out, 'utf8').trimEnd().split('\n').slice(0, 5);
    const last = JSON.parse(lines[4] ?? '{}') as Record<string, unknown>;
    lines[4] = JSON.stringify({ ...last, hash: 'a'.repeat(64) });
    writeFileSync(out, lines.join('\n') + '\n');
    const result = await cli('export', '--database-url', ledgerUrl, '--out', out);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('does not link to the file');
  });

  it('exits 2 on bad usage and 3 when the database cannot be reached', async () => {
    expect((await cli('verify', '--frobnicate')).code).toBe(2);
    expect((await cli('verify', '--database-url', ledgerUrl, '--from', 'x')).code).toBe(2);
    expect((await cli('export', '--database-url', ledgerUrl)).code).toBe(2);
    const unreachable = await cli('verify', '--database-url', 'postgres://nobody@127.0.0.1:1/none');
    expect(unreachable.code).toBe(3);
    expect(unreachable.stderr).toContain('cannot connect to the ledger database');
  });
});
