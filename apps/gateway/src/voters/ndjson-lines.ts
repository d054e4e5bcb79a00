// Splits a streamed NDJSON body into numbered lines without ever holding more than one line: a
// line longer than `maxLineBytes` is reported as too long and skipped to its end rather than
// buffered (node:readline would buffer it whole, whatever its size). Counts the body's bytes and
// stops with BodyTooLarge past `maxBodyBytes`.
import type { Readable } from 'node:stream';

export type NdjsonLine =
  | { readonly lineNumber: number; readonly text: string }
  | { readonly lineNumber: number; readonly tooLong: number };

export class BodyTooLarge extends Error {
  constructor(readonly limit: number) {
    super(`the body is larger than ${limit} bytes`);
    this.name = 'BodyTooLarge';
  }
}

const newline = 0x0a;

export async function* ndjsonLines(
  body: Readable,
  options: { readonly maxLineBytes: number; readonly maxBodyBytes: number },
): AsyncGenerator<NdjsonLine> {
  let parts: Buffer[] = [];
  let partBytes = 0;
  /** Bytes of the current line once it is known to be too long (its parts are dropped). */
  let overflow = 0;
  let lineNumber = 0;
  let total = 0;
  const finish = (): NdjsonLine => {
    lineNumber += 1;
    if (overflow > 0) {
      const line = { lineNumber, tooLong: overflow };
      overflow = 0;
      return line;
    }
    let text = Buffer.concat(parts, partBytes).toString('utf8');
    if (text.endsWith('\r')) text = text.slice(0, -1);
    parts = [];
    partBytes = 0;
    return { lineNumber, text };
  };
  const take = (chunk: Buffer): void => {
    if (overflow > 0) {
      overflow += chunk.length;
      return;
    }
    if (partBytes + chunk.length > options.maxLineBytes) {
      overflow = partBytes + chunk.length;
      parts = [];
      partBytes = 0;
      return;
    }
    parts.push(chunk);
    partBytes += chunk.length;
  };
  for await (const raw of body) {
    const chunk: Buffer = Buffer.isBuffer(raw) ? raw : Buffer.from(String(raw));
    total += chunk.length;
    if (total > options.maxBodyBytes) throw new BodyTooLarge(options.maxBodyBytes);
    let start = 0;
    for (let at = chunk.indexOf(newline, start); at !== -1; at = chunk.indexOf(newline, start)) {
      take(chunk.subarray(start, at));
      yield finish();
      start = at + 1;
    }
    if (start < chunk.length) take(chunk.subarray(start));
  }
  if (partBytes > 0 || overflow > 0) yield finish();
}
