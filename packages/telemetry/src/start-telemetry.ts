// Starts tracing and metrics for one process: spans always exist (so logs and NATS messages carry
// trace ids), but leave the process only when an OTLP endpoint is configured; otherwise quiet.
import { context, metrics, propagation, trace, type Meter, type Tracer } from '@opentelemetry/api';
import {
  CompositePropagator,
  W3CBaggagePropagator,
  W3CTraceContextPropagator,
} from '@opentelemetry/core';
import { OTLPMetricExporter } from '@opentelemetry/exporter-metrics-otlp-http';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { defaultResource, resourceFromAttributes } from '@opentelemetry/resources';
import { MeterProvider, PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics';
import { BatchSpanProcessor, type SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { ATTR_SERVICE_NAME, ATTR_SERVICE_VERSION } from '@opentelemetry/semantic-conventions';

export interface TelemetryOptions {
  readonly serviceName: string;
  readonly serviceVersion?: string;
  /** Base OTLP/HTTP URL (e.g. http://127.0.0.1:4318); `/v1/traces` and `/v1/metrics` are added. */
  readonly otlpEndpoint?: string;
  /** How often metrics are pushed when exporting; 60 s by default. */
  readonly metricIntervalMs?: number;
  /**
   * More span processors, run whether or not an endpoint is set: tests pass an in-memory exporter
   * here to look at finished spans.
   */
  readonly spanProcessors?: readonly SpanProcessor[];
  /**
   * The longest `shutdown()` waits for the last export (3 s by default): an unreachable collector
   * retries for about 9 s, which would hold up every app's stop.
   */
  readonly shutdownTimeoutMs?: number;
}

export interface Telemetry {
  readonly serviceName: string;
  readonly tracer: Tracer;
  readonly meter: Meter;
  /** True when spans and metrics leave the process (an endpoint was configured). */
  readonly exporting: boolean;
  /** Pushes buffered spans and metrics now (tests, or before a planned exit). */
  forceFlush(): Promise<void>;
  /** Flushes, stops exporting and unregisters the globals; safe to call more than once. */
  shutdown(): Promise<void>;
}

interface ActiveTelemetry {
  readonly key: string;
  readonly processors: readonly SpanProcessor[];
  readonly handle: Telemetry;
}

// The OpenTelemetry API keeps its registrations on globalThis; ours lives beside them so two
// copies of this module (source and dist in one test process) still agree on what is running.
const activeKey = Symbol.for('@hpe/telemetry.active');
const registry = globalThis as typeof globalThis & { [activeKey]?: ActiveTelemetry };

const defaultMetricIntervalMs = 60_000;
const defaultExportTimeoutMs = 30_000;
const defaultShutdownTimeoutMs = 3_000;

function within(ms: number, work: Promise<unknown>): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    timer.unref();
    void work.finally(() => {
      clearTimeout(timer);
      resolve();
    });
  });
}

function optionsKey(options: TelemetryOptions): string {
  return JSON.stringify([
    options.serviceName,
    options.serviceVersion ?? null,
    options.otlpEndpoint ?? null,
    options.metricIntervalMs ?? null,
    options.shutdownTimeoutMs ?? null,
  ]);
}

/**
 * Registers the process-wide tracer provider (W3C trace context, AsyncLocalStorage context) and
 * meter provider. Calling it again with the same options returns the running handle; calling it
 * with different options before `shutdown()` is a bug and throws.
 */
export function startTelemetry(options: TelemetryOptions): Telemetry {
  const key = optionsKey(options);
  const running = registry[activeKey];
  if (running !== undefined) {
    const processors = options.spanProcessors ?? [];
    const sameProcessors =
      processors.length === running.processors.length &&
      processors.every((p, i) => p === running.processors[i]);
    if (running.key === key && sameProcessors) return running.handle;
    throw new Error(
      `telemetry already started for ${running.handle.serviceName} with other options; ` +
        'call shutdown() on that handle first',
    );
  }

  const resource = defaultResource().merge(
    resourceFromAttributes({
      [ATTR_SERVICE_NAME]: options.serviceName,
      ...(options.serviceVersion === undefined
        ? {}
        : { [ATTR_SERVICE_VERSION]: options.serviceVersion }),
    }),
  );
  const endpoint = options.otlpEndpoint?.replace(/\/+$/, '');
  const exporting = endpoint !== undefined && endpoint.length > 0;

  // No exporter when quiet: spans still get ids and parents, and are simply dropped at the end.
  const spanProcessors: SpanProcessor[] = [
    ...(exporting
      ? [new BatchSpanProcessor(new OTLPTraceExporter({ url: `${endpoint}/v1/traces` }))]
      : []),
    ...(options.spanProcessors ?? []),
  ];
  const tracerProvider = new NodeTracerProvider({ resource, spanProcessors });
  tracerProvider.register({
    // contextManager left undefined: the Node provider installs AsyncLocalStorageContextManager.
    propagator: new CompositePropagator({
      propagators: [new W3CTraceContextPropagator(), new W3CBaggagePropagator()],
    }),
  });

  const intervalMs = options.metricIntervalMs ?? defaultMetricIntervalMs;
  const meterProvider = new MeterProvider({
    resource,
    readers: exporting
      ? [
          new PeriodicExportingMetricReader({
            exporter: new OTLPMetricExporter({ url: `${endpoint}/v1/metrics` }),
            exportIntervalMillis: intervalMs,
            // The reader refuses a timeout longer than its interval.
            exportTimeoutMillis: Math.min(defaultExportTimeoutMs, intervalMs),
          }),
        ]
      : [],
  });
  metrics.setGlobalMeterProvider(meterProvider);

  let stopping: Promise<void> | undefined;
  const handle: Telemetry = {
    serviceName: options.serviceName,
    tracer: tracerProvider.getTracer(options.serviceName, options.serviceVersion),
    meter: meterProvider.getMeter(options.serviceName, options.serviceVersion),
    exporting,
    forceFlush: async () => {
      await Promise.all([tracerProvider.forceFlush(), meterProvider.forceFlush()]);
    },
    shutdown: () => {
      stopping ??= (async () => {
        if (registry[activeKey]?.handle === handle) {
          delete registry[activeKey];
          trace.disable();
          metrics.disable();
          propagation.disable();
          context.disable();
        }
        // A collector that is down must not keep the process from stopping: failures are
        // reported through the OpenTelemetry diag channel, never thrown at shutdown.
        await within(
          options.shutdownTimeoutMs ?? defaultShutdownTimeoutMs,
          Promise.allSettled([tracerProvider.shutdown(), meterProvider.shutdown()]),
        );
      })();
      return stopping;
    },
  };
  registry[activeKey] = { key, processors: options.spanProcessors ?? [], handle };
  return handle;
}
