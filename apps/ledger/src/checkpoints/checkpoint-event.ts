// The signed checkpoint: an ordinary event in stream `ledger-checkpoints` carrying the head of the
// chain before it, signed with Ed25519. Defines exactly which bytes are signed.
import { sign, verify, type KeyObject } from 'node:crypto';
import type { NewEvent } from '@hpe/domain';
import { canonicalJson } from '../chain/canonical-json.js';
import { isChainHash } from '../chain/chain-hash.js';
import { publicKeyFingerprint, type SigningKey } from './signing-key.js';

export const checkpointStreamId = 'ledger-checkpoints';
export const checkpointEventType = 'LedgerCheckpointSigned';
export const checkpointSchemaVersion = 1;
export const checkpointAlgorithm = 'Ed25519';

/** What a checkpoint signs: the log's head just before the checkpoint was appended. */
export interface CheckpointHead {
  /** Position of the last event the signer saw; always below the checkpoint's own position. */
  readonly headPosition: number;
  /** That event's chain hash (64 lower-case hex). */
  readonly headHash: string;
}

export interface CheckpointData extends CheckpointHead {
  /** Base64 Ed25519 signature over {@link checkpointSigningBytes}. */
  readonly signature: string;
  readonly keyFingerprint: string;
  readonly algorithm: typeof checkpointAlgorithm;
}

/**
 * The exact signed bytes: UTF-8 of the RFC 8785 canonical JSON of
 * `{ headHash, headPosition, keyFingerprint }`, that is
 * `{"headHash":"<64 hex>","headPosition":<integer>,"keyFingerprint":"<64 hex>"}`.
 * The fingerprint is inside so a signature cannot be passed off as another key's.
 */
export function checkpointSigningBytes(head: CheckpointHead, keyFingerprint: string): Buffer {
  return Buffer.from(
    canonicalJson({
      headHash: head.headHash,
      headPosition: head.headPosition,
      keyFingerprint,
    }),
    'utf8',
  );
}

export function signCheckpoint(head: CheckpointHead, key: SigningKey): CheckpointData {
  if (!Number.isSafeInteger(head.headPosition) || head.headPosition < 1) {
    throw new RangeError(`checkpoint head position must be ≥ 1, got ${String(head.headPosition)}`);
  }
  if (!isChainHash(head.headHash)) throw new TypeError(`not a chain hash: ${head.headHash}`);
  const signature = sign(null, checkpointSigningBytes(head, key.fingerprint), key.privateKey);
  return {
    headPosition: head.headPosition,
    headHash: head.headHash,
    signature: signature.toString('base64'),
    keyFingerprint: key.fingerprint,
    algorithm: checkpointAlgorithm,
  };
}

export interface CheckpointEventOptions {
  readonly eventId: string;
  readonly occurredAt: Date;
  readonly correlationId?: string;
}

/** The event the ledger appends for a signed head. */
export function checkpointEvent(data: CheckpointData, options: CheckpointEventOptions): NewEvent {
  return {
    eventId: options.eventId,
    type: checkpointEventType,
    schemaVersion: checkpointSchemaVersion,
    streamId: checkpointStreamId,
    data: { ...data },
    metadata: {
      occurredAt: options.occurredAt.toISOString(),
      actor: { id: 'ledger', role: 'system' },
      correlationId: options.correlationId ?? options.eventId,
    },
  };
}

/** Reads checkpoint data from a recorded event's `data`; undefined when the shape is wrong. */
export function parseCheckpointData(data: unknown): CheckpointData | undefined {
  if (typeof data !== 'object' || data === null) return undefined;
  const d = data as Record<string, unknown>;
  const { headPosition, headHash, signature, keyFingerprint, algorithm } = d;
  if (
    typeof headPosition !== 'number' ||
    !Number.isSafeInteger(headPosition) ||
    headPosition < 1 ||
    !isChainHash(headHash) ||
    typeof signature !== 'string' ||
    !isChainHash(keyFingerprint) ||
    algorithm !== checkpointAlgorithm
  ) {
    return undefined;
  }
  return { headPosition, headHash, signature, keyFingerprint, algorithm };
}

/** Checks the signature with `publicKey`, which must be the key the fingerprint names. */
export function checkpointSignatureValid(data: CheckpointData, publicKey: KeyObject): boolean {
  if (publicKeyFingerprint(publicKey) !== data.keyFingerprint) return false;
  const signature = Buffer.from(data.signature, 'base64');
  // Base64 decoding skips junk silently; a re-encoding that differs means it was not our text.
  if (signature.length !== 64 || signature.toString('base64') !== data.signature) return false;
  return verify(null, checkpointSigningBytes(data, data.keyFingerprint), publicKey, signature);
}
