// The running ledger signs checkpoints into its own log and publishes the public key: what an
// auditor checks the log against.
import { createPublicKey } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type {} from '@hpe/test-kit/global-setup';
import { createTestDatabase, type TestDatabase } from '@hpe/test-kit';
import { LedgerClient } from '@hpe/ledger-client';
import { closeNats, connectNats } from '@hpe/messaging';
import type { NatsConnection } from '@nats-io/transport-node';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startLedgerService, type LedgerService } from '../service.js';
import { ledgerSettings, startTestNats, type TestNats } from '../service.test-support.js';
import { newTestEvent, uniqueStreamId } from '../storage/test-events.test-support.js';
import { checkpointEventType, checkpointStreamId } from './checkpoint-event.js';
import { publicKeyFingerprint } from './signing-key.js';
import { verifyCheckpoints } from './verify-checkpoints.js';

let nats: TestNats;
let db: TestDatabase;
let nc: NatsConnection;
let service: LedgerService;
let keyDir: string;

beforeAll(async () => {
  nats = await startTestNats();
  db = await createTestDatabase(inject('postgresAdminUrl'), 'ledger_checkpoints');
  keyDir = mkdtempSync(join(tmpdir(), 'ledger-key-'));
  service = await startLedgerService(
    await ledgerSettings(db.url, nats.url, {
      LEDGER_SIGNING_KEY_FILE: join(keyDir, 'ledger.pem'),
      LEDGER_CHECKPOINT_EVERY_EVENTS: '20',
      LEDGER_CHECKPOINT_EVERY_MS: '60000',
    }),
  );
  nc = await connectNats({ servers: [nats.url], name: 'checkpoint-test' });
});
afterAll(async () => {
  await closeNats(nc);
  await service.close();
  await nats.stop();
  await db.drop();
  rmSync(keyDir, { recursive: true, force: true });
});

describe('signed checkpoints in the running ledger', () => {
  it('publishes the public key it signs with, and keeps it beside the private key', async () => {
    const res = await fetch(`${service.healthUrl}/public-key`);
    expect(res.status).toBe(200);
    const pem = await res.text();
    expect(pem).toBe(readFileSync(join(keyDir, 'ledger.pem.pub'), 'utf8'));
    const fingerprint = publicKeyFingerprint(createPublicKey(pem));
    expect(res.headers.get('x-key-fingerprint')).toBe(fingerprint);
    const ready = (await (await fetch(`${service.healthUrl}/health/ready`)).json()) as {
      checkpoints?: { signed: boolean; keyFingerprint?: string };
    };
    expect(ready.checkpoints).toEqual({ signed: true, keyFingerprint: fingerprint });
  });

  it('appends checkpoints as appends come in, each verifying against the published key', async () => {
    const client = new LedgerClient(nc);
    for (let i = 0; i < 50; i++) {
      const streamId = uniqueStreamId();
      const result = await client.append({
        streamId,
        expectedRevision: 'no_stream',
        events: [newTestEvent(streamId)],
      });
      expect(result.ok).toBe(true);
    }
    // The checkpointer works after commits, not in the append's path: give it a moment.
    let checkpoints = 0;
    for (let i = 0; i < 50 && checkpoints < 2; i++) {
      const stream = await client.readStream(checkpointStreamId, {});
      checkpoints = stream.ok ? stream.value.events.length : 0;
      if (checkpoints < 2) await new Promise((r) => setTimeout(r, 100));
    }
    expect(checkpoints).toBeGreaterThanOrEqual(2);

    const all = await client.readAll({ fromPosition: 1, limit: 1_000 });
    if (!all.ok) throw new Error(all.error.message);
    const events = all.value.events;
    expect(events.filter((e) => e.type === checkpointEventType).length).toBe(checkpoints);
    const publicKey = createPublicKey(readFileSync(join(keyDir, 'ledger.pem.pub'), 'utf8'));
    const verdict = verifyCheckpoints(events, [publicKey]);
    expect(verdict.ok).toBe(true);
  });
});
