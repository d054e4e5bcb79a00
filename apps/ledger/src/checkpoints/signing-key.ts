// Ed25519 keys for signed checkpoints: load (or, for the demo stack, create) the ledger's private
// key, load auditors' public keys, and name a key by its fingerprint.
import {
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  hash as oneShotHash,
  type KeyObject,
} from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

export interface SigningKey {
  readonly privateKey: KeyObject;
  readonly publicKey: KeyObject;
  /** {@link publicKeyFingerprint} of `publicKey`. */
  readonly fingerprint: string;
}

/**
 * The raw 32-byte Ed25519 public key. The SPKI DER of an Ed25519 key is a fixed 12-byte prefix
 * followed by the raw key (RFC 8410), so the last 32 bytes are the key itself.
 */
export function rawPublicKey(publicKey: KeyObject): Buffer {
  checkEd25519(publicKey);
  const der = publicKey.export({ format: 'der', type: 'spki' });
  return der.subarray(der.length - 32);
}

/** SHA-256 of the raw 32-byte public key, lower-case hex: how checkpoints name their key. */
export function publicKeyFingerprint(publicKey: KeyObject): string {
  return oneShotHash('sha256', rawPublicKey(publicKey), 'hex');
}

/** Reads an SPKI PEM public key (the `<key>.pub` file the ledger publishes). Throws if it is not Ed25519. */
export function loadPublicKey(path: string): KeyObject {
  const key = createPublicKey(readFileSync(path));
  checkEd25519(key);
  return key;
}

/**
 * Reads the PKCS#8 PEM private key at `path`. When the file does not exist it creates a new key
 * pair there (mode 0600) with the public key beside it as `<path>.pub` (SPKI PEM): convenient for
 * the demo stack; production provisions the key and publishes the public half beforehand.
 */
export function loadOrCreateSigningKey(path: string): SigningKey {
  let pem: Buffer | undefined;
  try {
    pem = readFileSync(path);
  } catch (error) {
    if (!isMissingFile(error)) throw error;
  }
  if (pem === undefined) {
    const pair = generateKeyPairSync('ed25519');
    mkdirSync(dirname(path), { recursive: true });
    // 'wx': never overwrite a key another process created in the meantime.
    writeFileSync(path, pair.privateKey.export({ format: 'pem', type: 'pkcs8' }), {
      mode: 0o600,
      flag: 'wx',
    });
    writeFileSync(`${path}.pub`, pair.publicKey.export({ format: 'pem', type: 'spki' }), {
      mode: 0o644,
    });
    return signingKeyOf(pair.privateKey);
  }
  const key = signingKeyOf(createPrivateKey(pem));
  // A key provisioned without its public half: publish it beside the key, as for a new one.
  try {
    writeFileSync(`${path}.pub`, key.publicKey.export({ format: 'pem', type: 'spki' }), {
      mode: 0o644,
      flag: 'wx',
    });
  } catch (error) {
    if (!(error instanceof Error && 'code' in error && error.code === 'EEXIST')) throw error;
  }
  return key;
}

/** The signing key for a private key object (tests and callers that hold the key themselves). */
export function signingKeyOf(privateKey: KeyObject): SigningKey {
  if (privateKey.type !== 'private' || privateKey.asymmetricKeyType !== 'ed25519') {
    throw new TypeError('checkpoint signing key must be an Ed25519 private key');
  }
  const publicKey = createPublicKey(privateKey);
  return { privateKey, publicKey, fingerprint: publicKeyFingerprint(publicKey) };
}

function checkEd25519(key: KeyObject): void {
  if (key.asymmetricKeyType !== 'ed25519') {
    throw new TypeError(`expected an Ed25519 key, got ${String(key.asymmetricKeyType)}`);
  }
}

function isMissingFile(error: unknown): boolean {
  return error instanceof Error && 'code' in error && error.code === 'ENOENT';
}
