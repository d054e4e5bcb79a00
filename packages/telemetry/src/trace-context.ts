// Carries W3C trace context across NATS (message headers) and across time (an event's
// metadata.traceparent), so a trace follows a command from HTTP through the ledger to projections.
import {
  context,
  isSpanContextValid,
  propagation,
  ROOT_CONTEXT,
  trace,
  type Context,
  type Link,
  type TextMapGetter,
  type TextMapSetter,
} from '@opentelemetry/api';
import { TRACE_PARENT_HEADER, W3CTraceContextPropagator } from '@opentelemetry/core';

export interface TraceCarrierWriter {
  set(key: string, value: string): void;
}

export interface TraceCarrierReader {
  /** Missing keys may read as undefined, null or '' (NATS headers answer ''). */
  get(key: string): string | null | undefined;
  keys?(): Iterable<string>;
}

/** The shape of NATS `MsgHdrs` this package relies on, without depending on a NATS client. */
export interface HeadersLike {
  get(key: string): string;
  set(key: string, value: string): void;
  keys(): string[];
}

const setter: TextMapSetter<TraceCarrierWriter> = {
  set: (carrier, key, value) => carrier.set(key, value),
};

const getter: TextMapGetter<TraceCarrierReader> = {
  keys: (carrier) => (carrier.keys === undefined ? [] : [...carrier.keys()]),
  get: (carrier, key) => {
    const value = carrier.get(key);
    return value === null || value === '' ? undefined : value;
  },
};

// Event metadata stores exactly a W3C traceparent whatever the process's global propagator is.
const w3c = new W3CTraceContextPropagator();

/** Writes the trace context of `ctx` (the active one by default) with the global propagator. */
export function injectTraceContext(
  carrier: TraceCarrierWriter,
  ctx: Context = context.active(),
): void {
  propagation.inject(ctx, carrier, setter);
}

/** A context whose parent is the remote span found in `carrier` (or `base` unchanged if none). */
export function extractTraceContext(
  carrier: TraceCarrierReader,
  base: Context = context.active(),
): Context {
  return propagation.extract(base, carrier, getter);
}

/**
 * Adapts NATS headers: header names are matched without regard to case, because clients in other
 * languages (or HTTP bridges) may send `Traceparent`.
 */
export function natsHeadersCarrier(headers: HeadersLike): TraceCarrierReader & TraceCarrierWriter {
  return {
    set: (key, value) => headers.set(key, value),
    keys: () => headers.keys(),
    get: (key) => {
      const exact = headers.get(key);
      if (exact !== '') return exact;
      const wanted = key.toLowerCase();
      const found = headers.keys().find((k) => k.toLowerCase() === wanted);
      return found === undefined ? undefined : headers.get(found);
    },
  };
}

/** The current span's traceparent, for an event's `metadata.traceparent`; undefined outside a span. */
export function traceparentForMetadata(ctx: Context = context.active()): string | undefined {
  const carrier: Record<string, string> = {};
  w3c.inject(ctx, carrier, { set: (c, k, v) => (c[k] = v) });
  return carrier[TRACE_PARENT_HEADER];
}

/**
 * A context that continues the trace recorded in an event's metadata: spans started in it are
 * children of the span that wrote the event. A missing or malformed value leaves `base` as is.
 */
export function contextFromTraceparent(
  traceparent: string | undefined,
  base: Context = context.active(),
): Context {
  if (traceparent === undefined || traceparent === '') return base;
  return w3c.extract(base, traceparent, {
    keys: () => [TRACE_PARENT_HEADER],
    get: (value, key) => (key === TRACE_PARENT_HEADER ? value : undefined),
  });
}

/**
 * A span link to the trace in an event's metadata, for work that handles many events in one span
 * (a projection batch) and so cannot be the child of each.
 */
export function linkFromTraceparent(traceparent: string | undefined): Link | undefined {
  // Read against the root context so an invalid value cannot turn into a link to our own span.
  const spanContext = trace.getSpanContext(contextFromTraceparent(traceparent, ROOT_CONTEXT));
  return spanContext !== undefined && isSpanContextValid(spanContext)
    ? { context: spanContext }
    : undefined;
}
