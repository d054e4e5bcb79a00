import { context, trace } from '@opentelemetry/api';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  startOtlpCollector as startCollector,
  type OtlpCollector,
} from './otlp-collector.test-support.js';
import { startTelemetry, type Telemetry } from './start-telemetry.js';
import { traceparentForMetadata } from './trace-context.js';
import { withSpan } from './with-span.js';

const handles: Telemetry[] = [];
function start(...args: Parameters<typeof startTelemetry>): Telemetry {
  const handle = startTelemetry(...args);
  handles.push(handle);
  return handle;
}

afterEach(async () => {
  await Promise.all(handles.splice(0).map((h) => h.shutdown()));
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
});

describe('startTelemetry with an OTLP endpoint', () => {
  let collector: OtlpCollector;
  beforeEach(async () => {
    collector = await startCollector();
  });
  afterEach(async () => {
    // Stop exporting before the collector goes, or the last export would retry against nothing.
    await Promise.all(handles.splice(0).map((h) => h.shutdown()));
    await collector.close();
  });

  it('exports spans to /v1/traces and metrics to /v1/metrics', async () => {
    const telemetry = start({
      serviceName: 'ledger',
      serviceVersion: '0.1.0',
      otlpEndpoint: `${collector.url}/`,
      metricIntervalMs: 60_000,
    });
    expect(telemetry.exporting).toBe(true);
    const traceId = await withSpan('ledger.append', { 'hpe.events': 3 }, (span) => {
      return span.spanContext().traceId;
    });
    telemetry.meter.createCounter('hpe_events_appended').add(3, { category: 'turnout' });
    await telemetry.forceFlush();

    const traces = collector.received.filter((r) => r.path === '/v1/traces');
    expect(traces.length).toBeGreaterThan(0);
    expect(traces[0]?.contentType).toContain('application/json');
    const body = traces.map((t) => t.body).join('\n');
    expect(body).toContain('ledger.append');
    expect(body).toContain(traceId);
    expect(body).toContain('"service.name"');
    expect(body).toContain('"ledger"');

    const metricsBody = collector.received
      .filter((r) => r.path === '/v1/metrics')
      .map((r) => r.body)
      .join('\n');
    expect(metricsBody).toContain('hpe_events_appended');
  });

  it('flushes what is left at shutdown', async () => {
    const telemetry = start({ serviceName: 'projector', otlpEndpoint: collector.url });
    await withSpan('project batch', {}, () => undefined);
    await telemetry.shutdown();
    expect(
      collector.received.some((r) => r.path === '/v1/traces' && r.body.includes('project batch')),
    ).toBe(true);
  });
});

describe('startTelemetry with an unreachable collector', () => {
  it('does not hold up shutdown past its timeout', async () => {
    // Port 9 (discard) on loopback: nothing listens, connections are refused.
    const telemetry = start({
      serviceName: 'stopping',
      otlpEndpoint: 'http://127.0.0.1:9',
      shutdownTimeoutMs: 300,
    });
    await withSpan('lost', {}, () => undefined);
    const started = performance.now();
    await telemetry.shutdown();
    expect(performance.now() - started).toBeLessThan(2_000);
  });
});

describe('startTelemetry without an endpoint', () => {
  it('creates real spans but exports and prints nothing', async () => {
    // If the quiet mode built an exporter by mistake, the SDK would pick these up and post here.
    const collector = await startCollector();
    try {
      vi.stubEnv('OTEL_EXPORTER_OTLP_ENDPOINT', collector.url);
      vi.stubEnv('OTEL_TRACES_EXPORTER', 'console');
      const stdout = vi.spyOn(process.stdout, 'write');
      const stderr = vi.spyOn(process.stderr, 'write');
      const log = vi.spyOn(console, 'log');
      const dir = vi.spyOn(console, 'dir');

      const telemetry = start({ serviceName: 'quiet', metricIntervalMs: 100 });
      expect(telemetry.exporting).toBe(false);
      const ids = await withSpan('quiet work', {}, (span) => ({
        sc: span.spanContext(),
        tp: traceparentForMetadata(),
      }));
      expect(ids.sc.traceId).toMatch(/^(?!0{32})[0-9a-f]{32}$/);
      expect(ids.tp).toBe(`00-${ids.sc.traceId}-${ids.sc.spanId}-01`);
      telemetry.meter.createCounter('quiet_counter').add(1);
      await new Promise((r) => setTimeout(r, 250));
      await telemetry.forceFlush();
      await telemetry.shutdown();

      expect(collector.received).toEqual([]);
      expect(stdout).not.toHaveBeenCalled();
      expect(stderr).not.toHaveBeenCalled();
      expect(log).not.toHaveBeenCalled();
      expect(dir).not.toHaveBeenCalled();
    } finally {
      await collector.close();
    }
  });
});

describe('startTelemetry called more than once', () => {
  it('returns the running handle for the same options', () => {
    const a = start({ serviceName: 'twice' });
    const b = start({ serviceName: 'twice' });
    expect(b).toBe(a);
  });

  it('refuses other options until the running one is shut down', async () => {
    const a = start({ serviceName: 'first' });
    expect(() => startTelemetry({ serviceName: 'second' })).toThrow(/already started for first/);
    await a.shutdown();
    await a.shutdown();
    const b = start({ serviceName: 'second' });
    expect(b).not.toBe(a);
    await withSpan('after restart', {}, (span) => {
      expect(span.isRecording()).toBe(true);
      expect(trace.getSpan(context.active())).toBe(span);
    });
  });

  it('leaves the API inert after shutdown', async () => {
    const a = start({ serviceName: 'gone' });
    await a.shutdown();
    await withSpan('no provider', {}, (span) => {
      expect(span.isRecording()).toBe(false);
    });
    expect(traceparentForMetadata()).toBeUndefined();
  });
});
