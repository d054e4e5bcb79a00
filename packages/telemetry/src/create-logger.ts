// JSON-lines logging for every app: each line names the service and carries the active span's
// trace and span ids, so a log line leads to its trace and a trace to its log lines.
import { mkdirSync, openSync } from 'node:fs';
import { dirname } from 'node:path';
import { context, isSpanContextValid, trace } from '@opentelemetry/api';
import { pino, type DestinationStream, type LevelWithSilent, type Logger } from 'pino';

export type { Logger, LevelWithSilent, DestinationStream };

/**
 * The few logging methods libraries need from a logger. A pino logger fits; so does a test double.
 */
export interface LogSink {
  debug(fields: object, message?: string): void;
  info(fields: object, message?: string): void;
  warn(fields: object, message?: string): void;
  error(fields: object, message?: string): void;
}

export interface LoggerOptions {
  /** The service name stamped on every line as `service`. */
  readonly name: string;
  readonly level?: LevelWithSilent;
  /**
   * Where lines go: standard output when absent, a file path (appended to, its folder created;
   * writes are asynchronous and flushed at exit), or any stream (tests capture lines this way).
   */
  readonly destination?: string | DestinationStream;
}

/** Reads the span active where the log call is made; empty when there is none. */
function traceFields(): { trace_id?: string; span_id?: string } {
  const span = trace.getSpan(context.active());
  if (span === undefined) return {};
  const sc = span.spanContext();
  return isSpanContextValid(sc) ? { trace_id: sc.traceId, span_id: sc.spanId } : {};
}

function openDestination(destination: LoggerOptions['destination']): DestinationStream {
  if (destination === undefined) return pino.destination({ dest: 1, sync: false });
  if (typeof destination !== 'string') return destination;
  // Opened here, synchronously, so a log folder we cannot write fails the app at start and the
  // stream is ready at once; the writes themselves stay asynchronous.
  mkdirSync(dirname(destination), { recursive: true });
  return pino.destination({ dest: openSync(destination, 'a'), sync: false });
}

export function createLogger(options: LoggerOptions): Logger {
  return pino(
    {
      level: options.level ?? 'info',
      base: { service: options.name, pid: process.pid },
      timestamp: pino.stdTimeFunctions.isoTime,
      // Level names, not pino's numbers: the files are read by people and by grep.
      formatters: { level: (label) => ({ level: label }) },
      mixin: traceFields,
    },
    openDestination(options.destination),
  );
}
