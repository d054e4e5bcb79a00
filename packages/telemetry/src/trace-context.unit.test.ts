import { context, ROOT_CONTEXT, SpanStatusCode, trace } from '@opentelemetry/api';
import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startTelemetry, type Telemetry } from './start-telemetry.js';
import {
  contextFromTraceparent,
  extractTraceContext,
  injectTraceContext,
  linkFromTraceparent,
  natsHeadersCarrier,
  traceparentForMetadata,
  type HeadersLike,
} from './trace-context.js';
import { withSpan } from './with-span.js';

/** Behaves like NATS MsgHdrs: exact-case keys, '' for a missing key. */
class FakeMsgHdrs implements HeadersLike {
  readonly map = new Map<string, string>();
  get(key: string): string {
    return this.map.get(key) ?? '';
  }
  set(key: string, value: string): void {
    this.map.set(key, value);
  }
  keys(): string[] {
    return [...this.map.keys()];
  }
}

const exporter = new InMemorySpanExporter();
let telemetry: Telemetry;

beforeAll(() => {
  telemetry = startTelemetry({
    serviceName: 'trace-context-test',
    spanProcessors: [new SimpleSpanProcessor(exporter)],
  });
});
afterAll(() => telemetry.shutdown());
beforeEach(() => exporter.reset());

function finished(name: string) {
  const span = exporter.getFinishedSpans().find((s) => s.name === name);
  if (span === undefined) throw new Error(`no finished span named ${name}`);
  return span;
}

describe('trace context in NATS headers', () => {
  it('round-trips: the receiver’s span is a child in the same trace', async () => {
    const headers = new FakeMsgHdrs();
    const sent = await withSpan('ledger.append request', {}, (span) => {
      injectTraceContext(headers);
      return span.spanContext();
    });
    expect(headers.get('traceparent')).toBe(`00-${sent.traceId}-${sent.spanId}-01`);

    // The receiver runs with no active span of its own.
    await context.with(ROOT_CONTEXT, () =>
      withSpan('ledger.append handle', {}, () => undefined, {
        parent: extractTraceContext(headers),
      }),
    );
    const child = finished('ledger.append handle');
    expect(child.spanContext().traceId).toBe(sent.traceId);
    expect(child.parentSpanContext?.spanId).toBe(sent.spanId);
    expect(child.parentSpanContext?.isRemote).toBe(true);
  });

  it('reads a header whatever its case through natsHeadersCarrier', async () => {
    const headers = new FakeMsgHdrs();
    const sent = await withSpan('send', {}, (span) => {
      const tp = traceparentForMetadata();
      if (tp === undefined) throw new Error('no traceparent inside a span');
      headers.set('Traceparent', tp);
      return span.spanContext();
    });
    expect(extractTraceContext(headers, ROOT_CONTEXT)).toBe(ROOT_CONTEXT);
    const ctx = extractTraceContext(natsHeadersCarrier(headers), ROOT_CONTEXT);
    expect(trace.getSpanContext(ctx)?.traceId).toBe(sent.traceId);
  });

  it('injects nothing outside a span and extracts nothing from empty headers', () => {
    const headers = new FakeMsgHdrs();
    context.with(ROOT_CONTEXT, () => injectTraceContext(natsHeadersCarrier(headers)));
    expect(headers.keys()).toEqual([]);
    expect(extractTraceContext(natsHeadersCarrier(headers), ROOT_CONTEXT)).toBe(ROOT_CONTEXT);
  });
});

describe('trace context in event metadata', () => {
  it('continues the trace that wrote the event, as a child of the writing span', async () => {
    const metadata = await withSpan('decide and append', {}, (span) => ({
      traceparent: traceparentForMetadata(),
      writer: span.spanContext(),
    }));
    expect(metadata.traceparent).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);

    // Later, in another process (the projector): no active span, only the stored event.
    await context.with(ROOT_CONTEXT, () =>
      withSpan('project TurnoutReported', {}, () => undefined, {
        parent: contextFromTraceparent(metadata.traceparent),
      }),
    );
    const child = finished('project TurnoutReported');
    expect(child.spanContext().traceId).toBe(metadata.writer.traceId);
    expect(child.parentSpanContext?.spanId).toBe(metadata.writer.spanId);
  });

  it('has no traceparent outside a span', () => {
    expect(context.with(ROOT_CONTEXT, () => traceparentForMetadata())).toBeUndefined();
  });

  it.each([
    ['missing', undefined],
    ['empty', ''],
    ['garbage', 'not-a-traceparent'],
    ['all-zero trace id', `00-${'0'.repeat(32)}-${'a'.repeat(16)}-01`],
    ['all-zero span id', `00-${'a'.repeat(32)}-${'0'.repeat(16)}-01`],
    ['version ff', `ff-${'a'.repeat(32)}-${'b'.repeat(16)}-01`],
    ['upper-case hex', `00-${'A'.repeat(32)}-${'B'.repeat(16)}-01`],
    ['header injection', `00-${'a'.repeat(32)}-${'b'.repeat(16)}-01\r\nX-Evil: 1`],
    ['very long', 'x'.repeat(100_000)],
  ])('ignores a %s traceparent: the span starts a new trace', async (_label, value) => {
    const base = ROOT_CONTEXT;
    expect(contextFromTraceparent(value, base)).toBe(base);
    expect(linkFromTraceparent(value)).toBeUndefined();
  });

  it('links a batch span to the traces of the events in it', async () => {
    const tps = await Promise.all(
      ['a', 'b'].map((n) => withSpan(`write ${n}`, {}, () => traceparentForMetadata())),
    );
    const links = tps.map(linkFromTraceparent).filter((l) => l !== undefined);
    expect(links).toHaveLength(2);
    await withSpan('project batch', {}, () => undefined, { links, parent: ROOT_CONTEXT });
    const batch = finished('project batch');
    expect(batch.links.map((l) => l.context.traceId)).toEqual([
      finished('write a').spanContext().traceId,
      finished('write b').spanContext().traceId,
    ]);
    expect(batch.parentSpanContext).toBeUndefined();
  });
});

describe('withSpan', () => {
  it('records the exception and an error status, ends the span and rethrows', async () => {
    await expect(
      withSpan('failing', { 'hpe.polling_area': 'PA-1' }, () => {
        throw new Error('minute does not add up');
      }),
    ).rejects.toThrow('minute does not add up');
    const span = finished('failing');
    expect(span.status).toEqual({ code: SpanStatusCode.ERROR, message: 'minute does not add up' });
    expect(span.events.map((e) => e.name)).toEqual(['exception']);
    expect(span.attributes['hpe.polling_area']).toBe('PA-1');
    expect(span.ended).toBe(true);
  });

  it('leaves the status unset on success and returns the result', async () => {
    expect(await withSpan('ok', {}, async () => 7)).toBe(7);
    expect(finished('ok').status.code).toBe(SpanStatusCode.UNSET);
  });

  it('nests: a span started inside is a child', async () => {
    await withSpan('outer', {}, () => withSpan('inner', {}, () => undefined));
    expect(finished('inner').parentSpanContext?.spanId).toBe(
      finished('outer').spanContext().spanId,
    );
  });
});
