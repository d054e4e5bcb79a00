// Many JSON messages as one: the bodies already encoded are joined into `{"<key>":[…]}` without
// decoding them again, in groups that stay under a byte limit and a count limit.

const encoder = new TextEncoder();

/** `{"<key>":[part,part,…]}` from encoded JSON texts. */
export function joinJsonArray(key: string, parts: readonly Uint8Array[]): Uint8Array {
  const head = encoder.encode(`{${JSON.stringify(key)}:[`);
  const tail = encoder.encode(']}');
  const size = head.byteLength + tail.byteLength + parts.reduce((n, p) => n + p.byteLength + 1, 0);
  const out = new Uint8Array(size);
  out.set(head, 0);
  let at = head.byteLength;
  for (const [i, part] of parts.entries()) {
    if (i > 0) out[at++] = 0x2c; // ','
    out.set(part, at);
    at += part.byteLength;
  }
  out.set(tail, at);
  return out.subarray(0, at + tail.byteLength);
}

/**
 * The items in order, cut into groups of at most `maxCount` whose sizes add up to at most
 * `maxBytes` (an item larger than that is a group of its own).
 */
export function groupBySize<T>(
  items: readonly T[],
  sizeOf: (item: T) => number,
  maxBytes: number,
  maxCount: number,
): T[][] {
  const groups: T[][] = [];
  let current: T[] = [];
  let bytes = 0;
  for (const item of items) {
    const size = sizeOf(item) + 1;
    if (current.length > 0 && (bytes + size > maxBytes || current.length >= maxCount)) {
      groups.push(current);
      current = [];
      bytes = 0;
    }
    current.push(item);
    bytes += size;
  }
  if (current.length > 0) groups.push(current);
  return groups;
}
