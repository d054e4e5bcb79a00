export * from './start-telemetry.js';
export * from './create-logger.js';
export * from './trace-context.js';
export * from './with-span.js';
export { SpanKind } from '@opentelemetry/api';
