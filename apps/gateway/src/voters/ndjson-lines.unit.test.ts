// The NDJSON splitter of the voter import: numbered lines across chunk boundaries, CRLF, a last
// line without newline, a huge line skipped rather than buffered, and the body byte limit.
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { BodyTooLarge, ndjsonLines, type NdjsonLine } from './ndjson-lines.js';

async function linesOf(
  chunks: readonly string[],
  limits = { maxLineBytes: 64, maxBodyBytes: 1 << 20 },
): Promise<NdjsonLine[]> {
  const out: NdjsonLine[] = [];
  for await (const line of ndjsonLines(Readable.from(chunks.map((c) => Buffer.from(c))), limits))
    out.push(line);
  return out;
}

describe('ndjsonLines', () => {
  it('numbers lines across chunk boundaries, drops CR before LF, keeps a last line without LF', async () => {
    expect(await linesOf(['{"a":', '1}\r\n\n{"b"', ':2}\n{"c":3}'])).toEqual([
      { lineNumber: 1, text: '{"a":1}' },
      { lineNumber: 2, text: '' },
      { lineNumber: 3, text: '{"b":2}' },
      { lineNumber: 4, text: '{"c":3}' },
    ]);
  });

  it('decodes UTF-8 split across chunks', async () => {
    const bytes = Buffer.from('"Nguyễn"\n');
    const out: NdjsonLine[] = [];
    const body = Readable.from([bytes.subarray(0, 5), bytes.subarray(5)]);
    for await (const line of ndjsonLines(body, { maxLineBytes: 64, maxBodyBytes: 1_000 }))
      out.push(line);
    expect(out).toEqual([{ lineNumber: 1, text: '"Nguyễn"' }]);
  });

  it('reports a line over the limit by its length and goes on with the next', async () => {
    expect(await linesOf(['x'.repeat(50), 'x'.repeat(50), 'x'.repeat(50), '\nok\n'])).toEqual([
      { lineNumber: 1, tooLong: 150 },
      { lineNumber: 2, text: 'ok' },
    ]);
  });

  it('stops with BodyTooLarge past the body limit', async () => {
    await expect(
      linesOf(['a\n'.repeat(10), 'b\n'.repeat(10)], { maxLineBytes: 64, maxBodyBytes: 30 }),
    ).rejects.toBeInstanceOf(BodyTooLarge);
  });

  it('yields nothing for an empty body', async () => {
    expect(await linesOf([])).toEqual([]);
  });
});
