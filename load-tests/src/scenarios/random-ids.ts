// Random identifiers every request carries (W3C trace context, Idempotency-Key), built from an
// injected source of random bytes so the same code runs in k6, in Node and in unit tests.

/** Fills `length` random bytes; k6 and Node both offer crypto.getRandomValues. */
export type RandomBytes = (length: number) => Uint8Array;

/** Math.random is enough for load-test ids (not secrets); callers pass crypto where they have it. */
export const mathRandomBytes: RandomBytes = (length) => {
  const bytes = new Uint8Array(length);
  for (let i = 0; i < length; i += 1) bytes[i] = Math.floor(Math.random() * 256);
  return bytes;
};

export function toHex(bytes: Uint8Array): string {
  let out = '';
  for (const byte of bytes) out += byte.toString(16).padStart(2, '0');
  return out;
}

/** A version-4 UUID (RFC 9562): the Idempotency-Key of one command. */
export function uuidV4(random: RandomBytes = mathRandomBytes): string {
  const b = random(16);
  b[6] = ((b[6] ?? 0) & 0x0f) | 0x40;
  b[8] = ((b[8] ?? 0) & 0x3f) | 0x80;
  const h = toHex(b);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}
