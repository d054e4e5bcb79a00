import { generateKeyPairSync } from 'node:crypto';
import { v7 as uuidv7 } from 'uuid';
import { afterEach, beforeEach, describe, expect, inject, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '@hpe/test-kit';
// Brings in the types of what the global set-up provides (inject('postgresAdminUrl')).
import type {} from '@hpe/test-kit/global-setup';
import { verifyChain } from '../chain/verify-chain.js';
import { PostgresEventStore } from '../storage/postgres-event-store.js';
import { installLedgerSchema } from '../storage/schema.js';
import { newTestEvents, uniqueStreamId } from '../storage/test-events.test-support.js';
import { checkpointEventType, checkpointStreamId } from './checkpoint-event.js';
import { createCheckpointer } from './checkpointer.js';
import { signingKeyOf } from './signing-key.js';
import { verifyCheckpoints } from './verify-checkpoints.js';

const key = signingKeyOf(generateKeyPairSync('ed25519').privateKey);

describe('checkpointer on PostgreSQL', () => {
  let db: TestDatabase;
  let store: PostgresEventStore;
  beforeEach(async () => {
    db = await createTestDatabase(inject('postgresAdminUrl'), 'ledger');
    await installLedgerSchema(db.url, { ledgerRole: 'ledger_writer' });
    const url = new URL(db.url);
    url.username = 'ledger_writer';
    store = new PostgresEventStore({ connectionString: url.toString() });
  });
  afterEach(async () => {
    await store.close();
    await db.drop();
  });

  const make = () =>
    createCheckpointer({
      store,
      signer: key,
      everyEvents: 50,
      everyMs: 60_000,
      newEventId: uuidv7,
    });

  async function appendBatch(count: number): Promise<number> {
    const streamId = uniqueStreamId();
    const result = await store.appendToStream({
      streamId,
      expectedRevision: 'no_stream',
      events: newTestEvents(streamId, count),
    });
    if (!result.ok) throw new Error(`append failed: ${result.error.code}`);
    return result.value.positions[1];
  }

  it('appends a signed checkpoint the ledger role may write, once per new head, across restarts', async () => {
    const checkpointer = make();
    expect(await checkpointer.checkpointNow()).toEqual({ appended: false, why: 'empty' });
    await appendBatch(3);
    expect(await checkpointer.checkpointNow()).toMatchObject({
      appended: true,
      position: 4,
      headPosition: 3,
    });
    expect(await make().checkpointNow()).toEqual({ appended: false, why: 'unchanged' });
    const [recorded] = await store.readStream(checkpointStreamId);
    expect(recorded).toMatchObject({
      type: checkpointEventType,
      metadata: { actor: { id: 'ledger', role: 'system' } },
      data: { headPosition: 3, keyFingerprint: key.fingerprint, algorithm: 'Ed25519' },
    });
  });

  it('stays verifiable when checkpoints race with concurrent appends', async () => {
    const checkpointer = make();
    const unsubscribe = store.onCommitted((events) => {
      const last = events.at(-1);
      if (last !== undefined) checkpointer.noteCommitted(last.position);
    });
    // Four writers appending one after another, and checkpoints taken all the while: some land
    // between a writer's appends, so a checkpoint may sign a head a few positions back.
    let writing = true;
    const writers = Promise.all(
      Array.from({ length: 4 }, async () => {
        for (let i = 0; i < 12; i += 1) await appendBatch(5);
      }),
    ).finally(() => {
      writing = false;
    });
    while (writing) await checkpointer.checkpointNow();
    await writers;
    await checkpointer.stop();
    unsubscribe();
    const all = await store.readAll({ limit: 1_000 });
    expect(all.length).toBeGreaterThan(200);
    const checkpoints = all.filter((e) => e.type === checkpointEventType);
    expect(checkpoints.length).toBeGreaterThanOrEqual(1);
    expect((await verifyChain(all)).ok).toBe(true);
    expect(verifyCheckpoints(all, [key.publicKey])).toMatchObject({
      ok: true,
      checkpoints: checkpoints.length,
    });
    // Never two checkpoints in a row.
    for (let i = 1; i < all.length; i += 1) {
      const both = [all[i - 1], all[i]].every((e) => e?.type === checkpointEventType);
      expect(both).toBe(false);
    }
  });
});
