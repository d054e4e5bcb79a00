// GET /api/v1/ledger/verify on real servers: a ledger signing checkpoints with its own key, the
// gateway holding the public half (LEDGER_PUBLIC_KEY_FILE). A clean log verifies with its signed
// checkpoints; a superuser's edit of one row (triggers disabled, as the audit CLI's tamper tests
// do) is named by position; a gateway with another key, or none, says so; ranges and roles.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { generateKeyPairSync } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '@hpe/embedded';
import { loadPublicKey, publicKeyFingerprint } from '@hpe/ledger';
import pg from 'pg';
import { v7 as uuidv7 } from 'uuid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGateway, type RunningGateway } from '../gateway.js';
import { loadGatewaySettings } from '../settings.js';
import {
  expectProblem,
  startGatewayHarness,
  type GatewayHarness,
} from '../testing/gateway-harness.test-support.js';

interface Verification {
  ok: boolean;
  checkedFrom: number;
  checkedTo: number;
  headHash: string;
  count: number;
  checkpoints: {
    signatures: string;
    verified: number;
    fingerprints: string[];
    lastSignedHead?: { position: number; hash: string };
  };
  firstBadPosition?: number;
  reason?: string;
}

interface StoredEvent {
  position: number;
  type: string;
  hash: string;
  data: Record<string, unknown>;
}

const keysDir = mkdtempSync(join(tmpdir(), 'gateway-verify-keys-'));
const signingKeyFile = join(keysDir, 'ledger-ed25519.pem');
let h: GatewayHarness;
let log: StoredEvent[] = [];

async function append(streamId: string, count: number): Promise<void> {
  const appended = await h.ledger.append({
    streamId,
    expectedRevision: 'any',
    events: Array.from({ length: count }, (_, n) => ({
      eventId: uuidv7(),
      type: 'IncidentNoteAdded',
      schemaVersion: 1,
      streamId,
      data: { n },
      metadata: {
        occurredAt: '2026-03-15T09:00:00+07:00',
        actor: { id: 'admin', role: 'admin' as const },
        correlationId: 'verify-test',
      },
    })),
  });
  expect(appended.ok).toBe(true);
}

async function readLog(): Promise<StoredEvent[]> {
  const page = await h.ledger.readAll({ fromPosition: 1, limit: 1_000 });
  if (!page.ok) throw new Error(page.error.code);
  return page.value.events as StoredEvent[];
}

/** Waits until the checkpointer has signed the last event and appends nothing more. */
async function quietLog(): Promise<StoredEvent[]> {
  for (;;) {
    const events = await readLog();
    const last = events.at(-1);
    if (last?.type === 'LedgerCheckpointSigned') {
      await new Promise((resolve) => setTimeout(resolve, 400));
      if ((await h.head()) === last.position) return events;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const verify = async (query: string, user = 'auditor') => {
  const answer = await h.get(`/ledger/verify${query}`, { user });
  return { ...answer, result: answer.body as unknown as Verification };
};

async function asSuperuser(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: h.ledgerDatabaseUrl });
  await client.connect();
  try {
    await client.query('ALTER TABLE ledger.events DISABLE TRIGGER USER');
    await client.query(sql);
    await client.query('ALTER TABLE ledger.events ENABLE TRIGGER USER');
  } finally {
    await client.end();
  }
}

/** Another gateway on the same servers, with its own LEDGER_PUBLIC_KEY_FILE (or none). */
async function gatewayWithKey(publicKeyFile: string | undefined): Promise<RunningGateway> {
  return startGateway(
    loadGatewaySettings({
      HTTP_PORT: String(await freePort()),
      LOG_LEVEL: 'silent',
      DATABASE_URL: h.referenceDatabaseUrl,
      LEDGER_DATABASE_URL: h.ledgerDatabaseUrl,
      NATS_URL: h.natsUrl,
      OTEL_SERVICE_NAME: 'ledger',
      ...(publicKeyFile === undefined ? {} : { LEDGER_PUBLIC_KEY_FILE: publicKeyFile }),
    }),
  );
}

async function verifyOn(gateway: RunningGateway): Promise<Verification> {
  const res = await fetch(`${gateway.url}/api/v1/ledger/verify`, {
    headers: { authorization: `Bearer ${await h.tokenOf('auditor')}` },
  });
  expect(res.status).toBe(200);
  return (await res.json()) as Verification;
}

beforeAll(async () => {
  h = await startGatewayHarness('gateway_ledger_verify', {
    ledgerEnv: {
      LEDGER_SIGNING_KEY_FILE: signingKeyFile,
      LEDGER_CHECKPOINT_EVERY_EVENTS: '6',
      LEDGER_CHECKPOINT_EVERY_MS: '200',
    },
    gatewayEnv: { LEDGER_PUBLIC_KEY_FILE: `${signingKeyFile}.pub` },
  });
  for (const [stream, count] of [
    ['incident-a1', 4],
    ['incident-b2', 5],
    ['incident-a1', 3],
    ['incident-c3', 6],
  ] as const) {
    await append(stream, count);
  }
  log = await quietLog();
}, 120_000);

afterAll(async () => {
  await h?.stop();
  rmSync(keysDir, { recursive: true, force: true });
});

describe('GET /api/v1/ledger/verify', () => {
  it('verifies a clean log to its head, every checkpoint signed by the published key', async () => {
    const { status, result } = await verify('');
    expect(status).toBe(200);
    const checkpoints = log.filter((e) => e.type === 'LedgerCheckpointSigned');
    const lastCheckpoint = checkpoints.at(-1);
    expect(checkpoints.length).toBeGreaterThanOrEqual(2);
    const head = log.at(-1);
    expect(result).toEqual({
      ok: true,
      checkedFrom: 1,
      checkedTo: head?.position,
      headHash: head?.hash,
      count: log.length,
      checkpoints: {
        signatures: 'verified',
        verified: checkpoints.length,
        fingerprints: [publicKeyFingerprint(loadPublicKey(`${signingKeyFile}.pub`))],
        lastSignedHead: {
          position: lastCheckpoint?.data['headPosition'],
          hash: lastCheckpoint?.data['headHash'],
        },
      },
    });
  });

  it('verifies a range, never past the head', async () => {
    const at = (p: number) => log.find((e) => e.position === p);
    const { result } = await verify('?fromPosition=3&toPosition=7');
    expect(result).toMatchObject({
      ok: true,
      checkedFrom: 3,
      checkedTo: 7,
      headHash: at(7)?.hash,
      count: 5,
    });
    const past = (await verify(`?fromPosition=2&toPosition=${log.length + 100}`)).result;
    expect(past).toMatchObject({ ok: true, checkedFrom: 2, checkedTo: log.length });
    expect((await verify('?toPosition=4', 'admin')).result).toMatchObject({
      ok: true,
      checkedFrom: 1,
      checkedTo: 4,
      headHash: at(4)?.hash,
    });
  });

  it.each([
    ['a position 0', '?fromPosition=0'],
    ['toPosition below fromPosition', '?fromPosition=5&toPosition=4'],
    ['a word', '?toPosition=head'],
    ['a fraction', '?fromPosition=1.5'],
    ['a negative position', '?toPosition=-3'],
    ['an unknown parameter', '?from=1'],
  ])('refuses %s with 400 VALIDATION_FAILED', async (_name, query) => {
    expectProblem(await verify(query), 400, 'VALIDATION_FAILED');
  });

  it('is for admins and auditors only', async () => {
    for (const user of ['ops', 'police', 'commune-10507', 'pa-PA-10507-001']) {
      expectProblem(await h.get('/ledger/verify', { user }), 403, 'FORBIDDEN_ROLE');
    }
    expectProblem(await h.get('/ledger/verify'), 401, 'UNAUTHENTICATED');
  });

  it('with a key the ledger did not sign with, names the first checkpoint: UNKNOWN_KEY', async () => {
    const otherPub = join(keysDir, 'other.pem.pub');
    const other = generateKeyPairSync('ed25519');
    writeFileSync(otherPub, other.publicKey.export({ format: 'pem', type: 'spki' }));
    const wrongKey = await gatewayWithKey(otherPub);
    const noKey = await gatewayWithKey(undefined);
    try {
      const firstCheckpoint = log.find((e) => e.type === 'LedgerCheckpointSigned');
      expect(await verifyOn(wrongKey)).toMatchObject({
        ok: false,
        firstBadPosition: firstCheckpoint?.position,
        reason: 'UNKNOWN_KEY',
      });
      // Without a key the chain alone is verified, and the answer says the signatures were not.
      expect(await verifyOn(noKey)).toMatchObject({
        ok: true,
        checkedTo: log.length,
        checkpoints: { signatures: 'not_checked', verified: 0, fingerprints: [] },
      });
    } finally {
      await wrongKey.close();
      await noKey.close();
    }
  });

  it('refuses to start with a public key file it cannot read, naming the setting', async () => {
    await expect(gatewayWithKey(join(keysDir, 'missing.pub'))).rejects.toThrow(
      /LEDGER_PUBLIC_KEY_FILE/,
    );
  });

  it("names the row a database superuser edited: ok false, firstBadPosition, the chain's reason", async () => {
    const edited = log.find((e) => e.type !== 'LedgerCheckpointSigned' && e.position > 4);
    if (edited === undefined) throw new Error('no event to edit');
    await asSuperuser(
      `UPDATE ledger.events SET data = jsonb_set(data, '{n}', '999') WHERE position = ${edited.position}`,
    );
    const { status, result } = await verify('');
    expect(status).toBe(200);
    expect(result).toMatchObject({
      ok: false,
      firstBadPosition: edited.position,
      reason: 'HASH_MISMATCH',
      checkedTo: edited.position - 1,
    });
    // A range that ends before the edit is still clean; one that contains it is not.
    expect((await verify(`?toPosition=${edited.position - 1}`)).result.ok).toBe(true);
    expect((await verify(`?fromPosition=${edited.position}`, 'admin')).result).toMatchObject({
      ok: false,
      firstBadPosition: edited.position,
    });
  });
});
