// Runs a piece of work inside a span that is ended however the work finishes, and that records
// the exception and an error status when it fails, so failures are visible in traces.
import {
  context,
  SpanKind,
  SpanStatusCode,
  trace,
  type Attributes,
  type Context,
  type Link,
  type Span,
  type SpanOptions,
  type Tracer,
} from '@opentelemetry/api';

export interface WithSpanOptions {
  /** Defaults to the `@hpe/telemetry` tracer of the registered provider. */
  readonly tracer?: Tracer;
  /** The parent; defaults to the active context (e.g. one from `contextFromTraceparent`). */
  readonly parent?: Context;
  readonly kind?: SpanKind;
  readonly links?: readonly Link[];
}

const scopeName = '@hpe/telemetry';

export async function withSpan<T>(
  name: string,
  attributes: Attributes,
  fn: (span: Span) => Promise<T> | T,
  options: WithSpanOptions = {},
): Promise<T> {
  const tracer = options.tracer ?? trace.getTracer(scopeName);
  const spanOptions: SpanOptions = {
    attributes,
    kind: options.kind ?? SpanKind.INTERNAL,
    ...(options.links === undefined ? {} : { links: [...options.links] }),
  };
  return tracer.startActiveSpan(
    name,
    spanOptions,
    options.parent ?? context.active(),
    async (span) => {
      try {
        return await fn(span);
      } catch (error) {
        if (error instanceof Error) {
          span.recordException(error);
          span.setStatus({ code: SpanStatusCode.ERROR, message: error.message });
        } else {
          span.recordException(String(error));
          span.setStatus({ code: SpanStatusCode.ERROR, message: String(error) });
        }
        throw error;
      } finally {
        span.end();
      }
    },
  );
}
