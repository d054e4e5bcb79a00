import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createLogger, type LogSink } from './create-logger.js';
import { startTelemetry, type Telemetry } from './start-telemetry.js';
import { withSpan } from './with-span.js';

interface Line {
  level: string;
  time: string;
  service: string;
  msg: string;
  trace_id?: string;
  span_id?: string;
  [field: string]: unknown;
}

function capture(): { lines: Line[]; write(chunk: string): void } {
  const lines: Line[] = [];
  return { lines, write: (chunk) => lines.push(JSON.parse(chunk) as Line) };
}

function readLines(file: string): Line[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.length > 0)
    .map((l) => JSON.parse(l) as Line);
}

describe('createLogger', () => {
  let telemetry: Telemetry;
  beforeAll(() => {
    telemetry = startTelemetry({ serviceName: 'logger-test' });
  });
  afterAll(() => telemetry.shutdown());

  it('stamps every line with the active span’s trace and span ids', async () => {
    const out = capture();
    const logger = createLogger({ name: 'turnout', level: 'debug', destination: out });
    const ids = await withSpan('report turnout', {}, async (span) => {
      logger.info({ pollingArea: 'PA-001' }, 'turnout reported');
      await new Promise((r) => setTimeout(r, 1));
      // Still stamped after an await: the context travels with async work.
      logger.child({ component: 'handler' }).debug('after await');
      return span.spanContext();
    });
    expect(out.lines).toHaveLength(2);
    for (const line of out.lines) {
      expect(line.trace_id).toBe(ids.traceId);
      expect(line.span_id).toBe(ids.spanId);
      expect(line.trace_id).toMatch(/^[0-9a-f]{32}$/);
    }
    expect(out.lines[0]).toMatchObject({
      level: 'info',
      service: 'turnout',
      pollingArea: 'PA-001',
      msg: 'turnout reported',
    });
    expect(out.lines[1]).toMatchObject({ level: 'debug', component: 'handler' });
  });

  it('writes ISO times and no trace fields outside a span', () => {
    const out = capture();
    createLogger({ name: 'gateway', destination: out }).warn('no span here');
    const [line] = out.lines;
    expect(line?.time).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    expect(line).not.toHaveProperty('trace_id');
    expect(line).not.toHaveProperty('span_id');
  });

  it('honours the level', () => {
    const out = capture();
    const logger = createLogger({ name: 'ledger', level: 'warn', destination: out });
    logger.info('dropped');
    logger.error('kept');
    expect(out.lines.map((l) => l.msg)).toEqual(['kept']);
  });

  it('writes JSON lines to a file, creating its folder', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hpe-logger-'));
    try {
      const file = join(dir, 'logs', 'nested', 'ledger.log');
      const logger = createLogger({ name: 'ledger', destination: file });
      await withSpan('append', {}, () => logger.info({ position: 42 }, 'appended'));
      logger.info('second');
      // File writes are asynchronous (they never block the event loop on election day).
      const lines = await vi.waitFor(() => {
        const written = readLines(file);
        expect(written).toHaveLength(2);
        return written;
      });
      expect(lines[0]).toMatchObject({ service: 'ledger', position: 42, msg: 'appended' });
      expect(lines[0]?.trace_id).toMatch(/^[0-9a-f]{32}$/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('is a LogSink, the shape other packages accept', () => {
    const out = capture();
    const sink: LogSink = createLogger({ name: 'messaging', destination: out });
    sink.warn({ server: 'nats://127.0.0.1:4222' }, 'disconnected');
    expect(out.lines[0]).toMatchObject({ level: 'warn', server: 'nats://127.0.0.1:4222' });
  });
});
