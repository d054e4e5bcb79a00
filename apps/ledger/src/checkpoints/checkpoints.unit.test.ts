import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RecordedEvent } from '@hpe/domain';
import { v7 as uuidv7 } from 'uuid';
import { describe, expect, it } from 'vitest';
import { GENESIS_HASH } from '../chain/chain-hash.js';
import { sealEvents } from '../chain/seal-event.js';
import { verifyChain } from '../chain/verify-chain.js';
import {
  checkpointEvent,
  checkpointSigningBytes,
  signCheckpoint,
  type CheckpointData,
} from './checkpoint-event.js';
import {
  loadOrCreateSigningKey,
  loadPublicKey,
  publicKeyFingerprint,
  rawPublicKey,
  signingKeyOf,
  type SigningKey,
} from './signing-key.js';
import { verifyCheckpoints } from './verify-checkpoints.js';

function newKey(): SigningKey {
  return signingKeyOf(generateKeyPairSync('ed25519').privateKey);
}

const recordedAt = '2026-03-15T02:30:00.000Z';

/**
 * A sealed log: `plan` says, per position, 'e' for an ordinary event or 'c' for a checkpoint of
 * the head before it (signed with `key`).
 */
function buildLog(plan: string, key: SigningKey): RecordedEvent[] {
  const log: RecordedEvent[] = [];
  let prev = GENESIS_HASH;
  for (const kind of plan) {
    const position = log.length + 1;
    const last = log.at(-1);
    const base =
      kind === 'c' && last !== undefined
        ? checkpointEvent(
            signCheckpoint({ headPosition: last.position, headHash: last.hash }, key),
            {
              eventId: uuidv7(),
              occurredAt: new Date(recordedAt),
            },
          )
        : {
            eventId: uuidv7(),
            type: 'IncidentReported',
            schemaVersion: 1,
            streamId: 'incident-a',
            data: { n: position },
            metadata: {
              occurredAt: recordedAt,
              actor: { id: 'reporter-7', role: 'reporter' as const },
              correlationId: 'c',
            },
          };
    const [sealed] = sealEvents(
      [{ ...base, position, streamRevision: position - 1, recordedAt }],
      prev,
    );
    if (sealed === undefined) throw new Error('sealEvents returned nothing');
    log.push(sealed);
    prev = sealed.hash;
  }
  return log;
}

/** Replaces one event's data and re-seals the log from there, as a forger with no key would. */
function resealFrom(log: RecordedEvent[], index: number, data: Record<string, unknown>) {
  const before = log[index - 1]?.hash ?? GENESIS_HASH;
  const changed = log.map((e, i) => (i === index ? { ...e, data } : e));
  return [...changed.slice(0, index), ...sealEvents(changed.slice(index), before)];
}

describe('signing keys', () => {
  it('creates a key file 0600 with its public key beside it, and loads the same key again', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ckpt-key-'));
    const path = join(dir, 'keys', 'ledger-signing.pem');
    const created = loadOrCreateSigningKey(path);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(readFileSync(path, 'utf8')).toContain('BEGIN PRIVATE KEY');
    const again = loadOrCreateSigningKey(path);
    expect(again.fingerprint).toBe(created.fingerprint);
    expect(publicKeyFingerprint(loadPublicKey(`${path}.pub`))).toBe(created.fingerprint);
    // A provisioned key without its public half gets it written beside it.
    rmSync(`${path}.pub`);
    loadOrCreateSigningKey(path);
    expect(publicKeyFingerprint(loadPublicKey(`${path}.pub`))).toBe(created.fingerprint);
    rmSync(dir, { recursive: true });
  });

  it('fingerprints the raw 32-byte key with SHA-256', () => {
    const key = newKey();
    expect(rawPublicKey(key.publicKey)).toHaveLength(32);
    expect(key.fingerprint).toMatch(/^[0-9a-f]{64}$/);
    expect(newKey().fingerprint).not.toBe(key.fingerprint);
  });

  it('refuses a key that is not Ed25519', () => {
    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 });
    expect(() => signingKeyOf(rsa.privateKey)).toThrow(TypeError);
    expect(() => publicKeyFingerprint(rsa.publicKey)).toThrow(TypeError);
  });
});

describe('checkpoint signatures', () => {
  it('signs the RFC 8785 bytes of headHash, headPosition and keyFingerprint', () => {
    const key = newKey();
    const head = { headPosition: 42, headHash: 'ab'.repeat(32) };
    expect(checkpointSigningBytes(head, key.fingerprint).toString('utf8')).toBe(
      `{"headHash":"${'ab'.repeat(32)}","headPosition":42,"keyFingerprint":"${key.fingerprint}"}`,
    );
    const data = signCheckpoint(head, key);
    expect(data).toMatchObject({ ...head, keyFingerprint: key.fingerprint, algorithm: 'Ed25519' });
    expect(Buffer.from(data.signature, 'base64')).toHaveLength(64);
  });

  it('verifies a log with checkpoints: signatures and heads', async () => {
    const key = newKey();
    const log = buildLog('eeeceec', key);
    expect((await verifyChain(log)).ok).toBe(true);
    const result = verifyCheckpoints(log, [key.publicKey]);
    expect(result).toMatchObject({
      ok: true,
      checkpoints: 2,
      fingerprints: [key.fingerprint],
      lastCheckpoint: { position: 7, headPosition: 6, headHash: log[5]?.hash },
    });
  });

  it('names a checkpoint whose signature was tampered with: BAD_SIGNATURE', () => {
    const key = newKey();
    const log = buildLog('eeceec', key);
    const checkpoint = log[2];
    if (checkpoint === undefined) throw new Error('no checkpoint at index 2');
    const data = checkpoint.data as unknown as CheckpointData;
    const bytes = Buffer.from(data.signature, 'base64');
    bytes[0] = (bytes[0] ?? 0) ^ 1;
    log[2] = { ...checkpoint, data: { ...data, signature: bytes.toString('base64') } };
    expect(verifyCheckpoints(log, [key.publicKey])).toMatchObject({
      ok: false,
      firstBadPosition: 3,
      reason: 'BAD_SIGNATURE',
    });
  });

  it('names a checkpoint signed by a key the auditor does not know: UNKNOWN_KEY', () => {
    const log = buildLog('eec', newKey());
    expect(verifyCheckpoints(log, [newKey().publicKey])).toMatchObject({
      ok: false,
      firstBadPosition: 3,
      reason: 'UNKNOWN_KEY',
    });
    expect(verifyCheckpoints(log, [])).toMatchObject({ ok: false, reason: 'UNKNOWN_KEY' });
  });

  it('names a checkpoint whose fingerprint was swapped for another known key: BAD_SIGNATURE', () => {
    const signer = newKey();
    const other = newKey();
    const log = buildLog('ec', signer);
    const checkpoint = log[1];
    if (checkpoint === undefined) throw new Error('no checkpoint at index 1');
    log[1] = { ...checkpoint, data: { ...checkpoint.data, keyFingerprint: other.fingerprint } };
    expect(verifyCheckpoints(log, [signer.publicKey, other.publicKey])).toMatchObject({
      ok: false,
      firstBadPosition: 2,
      reason: 'BAD_SIGNATURE',
    });
  });

  it('catches a re-hashed history under a checkpoint: the chain verifies, the checkpoint does not', async () => {
    const key = newKey();
    // Position 2 is changed and everything after it re-hashed, checkpoint at 4 included: only
    // the signed head at 3 can no longer match, since the forger cannot sign the new one.
    const forged = resealFrom(buildLog('eeeceee', key), 1, { n: 'forged' });
    expect((await verifyChain(forged)).ok).toBe(true);
    expect(verifyCheckpoints(forged, [key.publicKey])).toMatchObject({
      ok: false,
      firstBadPosition: 4,
      reason: 'CHECKPOINT_MISMATCH',
    });
  });

  it('refuses a checkpoint that signs its own or a later position', () => {
    const key = newKey();
    const log = buildLog('eee', key);
    const last = log[2];
    if (last === undefined) throw new Error('no event at index 2');
    const selfSigned = checkpointEvent(
      signCheckpoint({ headPosition: 4, headHash: last.hash }, key),
      { eventId: uuidv7(), occurredAt: new Date(recordedAt) },
    );
    const [sealed] = sealEvents(
      [{ ...selfSigned, position: 4, streamRevision: 0, recordedAt }],
      last.hash,
    );
    if (sealed === undefined) throw new Error('sealEvents returned nothing');
    expect(verifyCheckpoints([...log, sealed], [key.publicKey])).toMatchObject({
      ok: false,
      firstBadPosition: 4,
      reason: 'CHECKPOINT_MISMATCH',
    });
  });

  it('names a checkpoint with the wrong data shape: MALFORMED_CHECKPOINT', () => {
    const key = newKey();
    const log = buildLog('eec', key);
    const checkpoint = log[2];
    if (checkpoint === undefined) throw new Error('no checkpoint at index 2');
    log[2] = { ...checkpoint, data: { ...checkpoint.data, headPosition: 'two' } };
    expect(verifyCheckpoints(log, [key.publicKey])).toMatchObject({
      ok: false,
      firstBadPosition: 3,
      reason: 'MALFORMED_CHECKPOINT',
    });
  });

  it('checks the signature but counts the head as unanchored when it lies before the range', () => {
    const key = newKey();
    const log = buildLog('eeeecec', key);
    // Verifying from position 5 on: the checkpoint at 5 signs position 4, the one before the
    // range, which is checked only when the caller passes it as `before`.
    const tail = log.slice(4);
    expect(verifyCheckpoints(tail, [key.publicKey])).toMatchObject({
      ok: true,
      checkpoints: 2,
      unanchored: 1,
    });
    const fourth = log[3];
    if (fourth === undefined) throw new Error('no event at index 3');
    expect(
      verifyCheckpoints(tail, [key.publicKey], { before: { position: 4, hash: fourth.hash } }),
    ).toMatchObject({ ok: true, checkpoints: 2, unanchored: 0 });
    expect(
      verifyCheckpoints(tail, [key.publicKey], { before: { position: 4, hash: 'f'.repeat(64) } }),
    ).toMatchObject({ ok: false, firstBadPosition: 5, reason: 'CHECKPOINT_MISMATCH' });
  });

  it('says when a signed head is further back than the window it keeps', () => {
    const key = newKey();
    const log = buildLog('eeeee', key);
    const first = log[0];
    const last = log[4];
    if (first === undefined || last === undefined) throw new Error('log too short');
    const old = checkpointEvent(signCheckpoint({ headPosition: 1, headHash: first.hash }, key), {
      eventId: uuidv7(),
      occurredAt: new Date(recordedAt),
    });
    const [sealed] = sealEvents(
      [{ ...old, position: 6, streamRevision: 0, recordedAt }],
      last.hash,
    );
    if (sealed === undefined) throw new Error('sealEvents returned nothing');
    expect(verifyCheckpoints([...log, sealed], [key.publicKey], { windowSize: 3 })).toMatchObject({
      ok: false,
      firstBadPosition: 6,
      reason: 'CHECKPOINT_OUT_OF_REACH',
    });
    expect(verifyCheckpoints([...log, sealed], [key.publicKey])).toMatchObject({ ok: true });
  });
});
