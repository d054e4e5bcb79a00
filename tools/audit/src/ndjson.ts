// The log as NDJSON, one recorded event per line with its prevHash and hash: export from the
// database (resumable after a crash mid-write) and read back for offline verification.
import { createReadStream } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import type { ChainEvent } from '@hpe/ledger';
import type { LedgerReader } from './ledger-reader.js';

/** The file is not a ledger export this tool can continue or verify. */
export class NdjsonFormatError extends Error {
  constructor(
    message: string,
    readonly line: number,
  ) {
    super(message);
    this.name = 'NdjsonFormatError';
  }
}

/** One line: the fields in a fixed, readable order (the hash does not depend on it). */
export function eventLine(event: ChainEvent): string {
  return JSON.stringify({
    position: event.position,
    eventId: event.eventId,
    streamId: event.streamId,
    streamRevision: event.streamRevision,
    type: event.type,
    schemaVersion: event.schemaVersion,
    data: event.data,
    metadata: event.metadata,
    recordedAt: event.recordedAt,
    prevHash: event.prevHash,
    hash: event.hash,
  });
}

export interface ExportOptions {
  readonly reader: LedgerReader;
  readonly out: string;
  /** Start here and overwrite the file; absent: resume after the file's last complete line. */
  readonly from?: number;
  readonly pageSize?: number;
  readonly onProgress?: (written: number) => void;
}

export interface ExportSummary {
  /** First position written by this run (the resume point). */
  readonly from: number;
  /** Last position in the file; from − 1 when nothing was written. */
  readonly to: number;
  readonly written: number;
  readonly resumed: boolean;
  /** Bytes of a torn last line that were dropped before resuming. */
  readonly droppedBytes: number;
}

interface LastLine {
  /** Length of the file up to and including the last newline. */
  readonly completeBytes: number;
  readonly event?: { readonly position: number; readonly hash: string };
}

/**
 * Writes the log to `out`. Resuming: a last line without its newline is a write cut short and is
 * dropped; the export continues after the last complete line's position, and the first new event
 * must link to that line's hash (else the file and the database disagree: NdjsonFormatError).
 * The file is fsynced before returning.
 */
export async function exportNdjson(options: ExportOptions): Promise<ExportSummary> {
  const last = options.from === undefined ? await readLastLine(options.out) : undefined;
  const resumed = last !== undefined;
  const from = options.from ?? (last?.event === undefined ? 1 : last.event.position + 1);
  const handle = await open(options.out, resumed ? 'r+' : 'w');
  let droppedBytes = 0;
  let written = 0;
  let to = from - 1;
  try {
    if (last !== undefined) {
      const { size } = await handle.stat();
      droppedBytes = size - last.completeBytes;
      await handle.truncate(last.completeBytes);
    }
    let offset = last?.completeBytes ?? 0;
    let expectedLink = last?.event?.hash;
    for await (const page of options.reader.pages({
      from,
      ...(options.pageSize === undefined ? {} : { pageSize: options.pageSize }),
    })) {
      const first = page[0];
      if (expectedLink !== undefined && first !== undefined && first.prevHash !== expectedLink) {
        throw new NdjsonFormatError(
          `position ${first.position} in the database does not link to the file's last line (${expectedLink}): the file is not an export of this ledger`,
          0,
        );
      }
      expectedLink = undefined;
      const text = page.map((e) => eventLine(e) + '\n').join('');
      const { bytesWritten } = await handle.write(text, offset, 'utf8');
      offset += bytesWritten;
      written += page.length;
      to = page.at(-1)?.position ?? to;
      options.onProgress?.(written);
    }
    await handle.sync();
  } finally {
    await handle.close();
  }
  return { from, to, written, resumed, droppedBytes };
}

/** Undefined when the file does not exist. Reads backwards only as far as the last two newlines. */
async function readLastLine(path: string): Promise<LastLine | undefined> {
  let size: number;
  try {
    size = (await stat(path)).size;
  } catch (error) {
    if (error instanceof Error && 'code' in error && error.code === 'ENOENT') return undefined;
    throw error;
  }
  const handle = await open(path, 'r');
  try {
    let chunk = 256 * 1024;
    for (;;) {
      const start = Math.max(0, size - chunk);
      const buffer = Buffer.alloc(size - start);
      await handle.read(buffer, 0, buffer.length, start);
      const lastNewline = buffer.lastIndexOf(0x0a);
      if (lastNewline < 0 && start > 0) {
        chunk *= 2;
        continue;
      }
      if (lastNewline < 0) return { completeBytes: 0 };
      const previousNewline = buffer.lastIndexOf(0x0a, lastNewline - 1);
      if (previousNewline < 0 && start > 0) {
        chunk *= 2;
        continue;
      }
      const line = buffer.toString('utf8', previousNewline + 1, lastNewline);
      const event = parseLine(line, -1);
      return {
        completeBytes: start + lastNewline + 1,
        event: { position: event.position, hash: event.hash },
      };
    }
  } finally {
    await handle.close();
  }
}

/** Pages of events from an exported file, in file order; throws NdjsonFormatError on a bad line. */
export async function* ndjsonPages(path: string, pageSize = 10_000): AsyncIterable<ChainEvent[]> {
  const lines = createInterface({
    input: createReadStream(path, { encoding: 'utf8' }),
    crlfDelay: Infinity,
  });
  let page: ChainEvent[] = [];
  let lineNumber = 0;
  for await (const line of lines) {
    lineNumber += 1;
    if (line === '') continue;
    page.push(parseLine(line, lineNumber));
    if (page.length >= pageSize) {
      yield page;
      page = [];
    }
  }
  if (page.length > 0) yield page;
}

const stringFields = ['eventId', 'streamId', 'type', 'recordedAt', 'prevHash', 'hash'] as const;
const numberFields = ['position', 'streamRevision', 'schemaVersion'] as const;

function parseLine(line: string, lineNumber: number): ChainEvent {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch (error) {
    throw new NdjsonFormatError(
      `line ${lineNumber} is not JSON: ${error instanceof Error ? error.message : String(error)}`,
      lineNumber,
    );
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new NdjsonFormatError(`line ${lineNumber} is not a JSON object`, lineNumber);
  }
  const v = value as Record<string, unknown>;
  for (const field of stringFields) {
    if (typeof v[field] !== 'string') {
      throw new NdjsonFormatError(`line ${lineNumber}: ${field} is not a string`, lineNumber);
    }
  }
  for (const field of numberFields) {
    if (typeof v[field] !== 'number') {
      throw new NdjsonFormatError(`line ${lineNumber}: ${field} is not a number`, lineNumber);
    }
  }
  if (!('data' in v) || !('metadata' in v)) {
    throw new NdjsonFormatError(`line ${lineNumber}: data or metadata is missing`, lineNumber);
  }
  // Checked field by field just above; the verifier re-hashes whatever the values are.
  return v as unknown as ChainEvent;
}
