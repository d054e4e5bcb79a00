// What every NATS adapter of a command shares: the payload check (the domain's command schema plus who sent
// it), a span continuing the caller's trace, the event metadata, and the last line of the error
// policy: a bug is logged and answered with INTERNAL_ERROR rather than left to time out.
import type { NatsContext } from '@nestjs/microservices';
import { codedError, err, EventMetadata } from '@hpe/domain';
import {
  contextFromTraceparent,
  extractTraceContext,
  natsHeadersCarrier,
  traceparentForMetadata,
  withSpan,
  type HeadersLike,
  type LogSink,
} from '@hpe/telemetry';
import type { z } from 'zod';
import type { CommandMetadata } from './stream-command-runner.js';
import { MalformedPayload } from './nats-codec.js';
import { serviceErrorCodes, validationFailed, type CommandReply } from './command-reply.js';

/** The fields every command payload carries besides the command's own: copied into the events. */
export const commandSenderShape = {
  actor: EventMetadata.shape.actor,
  correlationId: EventMetadata.shape.correlationId,
  causationId: EventMetadata.shape.causationId,
  traceparent: EventMetadata.shape.traceparent,
};

interface CommandSender {
  readonly actor: CommandMetadata['actor'];
  readonly correlationId: string;
  readonly causationId?: string | undefined;
  readonly traceparent?: string | undefined;
}

export interface CommandRequest<P extends CommandSender> {
  readonly subject: string;
  readonly payload: unknown;
  readonly context: NatsContext;
  readonly schema: z.ZodType<P>;
  /** The field's time of the command: the events' `occurredAt`. */
  readonly occurredAt: (payload: P) => string;
  readonly execute: (payload: P, metadata: CommandMetadata) => Promise<CommandReply>;
}

export class CommandTransport {
  constructor(private readonly log: LogSink) {}

  async handle<P extends CommandSender>(request: CommandRequest<P>): Promise<CommandReply> {
    const { subject, payload } = request;
    if (payload instanceof MalformedPayload) {
      return validationFailed(`${subject}: the body is not JSON (${payload.reason})`);
    }
    const parsed = request.schema.safeParse(payload);
    if (!parsed.success) {
      return validationFailed(
        `${subject}: the payload is not a valid command`,
        parsed.error.issues,
      );
    }
    const command = parsed.data;
    const parent =
      command.traceparent === undefined
        ? extractTraceContext(natsHeadersCarrier(headersOf(request.context)))
        : contextFromTraceparent(command.traceparent);
    try {
      return await withSpan(
        subject,
        { 'messaging.destination.name': subject, 'hpe.correlation_id': command.correlationId },
        () => {
          const traceparent = traceparentForMetadata() ?? command.traceparent;
          const metadata: CommandMetadata = {
            occurredAt: request.occurredAt(command),
            actor: command.actor,
            correlationId: command.correlationId,
            ...(command.causationId === undefined ? {} : { causationId: command.causationId }),
            ...(traceparent === undefined ? {} : { traceparent }),
          };
          return request.execute(command, metadata);
        },
        { parent },
      );
    } catch (error) {
      this.log.error(
        { err: error, subject, correlationId: command.correlationId },
        'command failed',
      );
      return err(
        codedError(serviceErrorCodes.internal, `${subject}: the command could not be handled`, {
          correlationId: command.correlationId,
        }),
      );
    }
  }
}

/** Nest hands NATS headers over untyped; a request without headers gets an empty carrier. */
function headersOf(context: NatsContext): HeadersLike {
  const headers: unknown = context.getHeaders();
  if (
    typeof headers === 'object' &&
    headers !== null &&
    'get' in headers &&
    'set' in headers &&
    'keys' in headers
  ) {
    return headers as HeadersLike;
  }
  return { get: () => '', set: () => undefined, keys: () => [] };
}
