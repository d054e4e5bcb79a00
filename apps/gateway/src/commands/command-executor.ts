// The one path every HTTP command takes: Idempotency-Key checked, body validated by the domain's
// schema (400 with issues), scope authorized (404 / 403), then one NATS request to the service that
// owns the command, inside a span; the answer (or refusal) is kept for a replay of the same key.
import { Inject, Injectable } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { extractTraceContext, SpanKind, withSpan } from '@hpe/telemetry';
import { randomUUID } from 'node:crypto';
import type { z } from 'zod';
import { validationFailed } from '../auth/auth-errors.js';
import type { Principal } from '../auth/principal.js';
import { ProblemException } from '../problem.filter.js';
import type { CommandAccepted } from './command-reply-mapping.js';
import { IdempotencyKeyReused, IdempotencyStore } from './idempotency-store.js';
import { ServiceCommandsClient } from './service-commands-client.js';

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** At most ten issues, path and message only (never the offending values). */
export function issuesOf(error: z.ZodError): { path: string; message: string }[] {
  return error.issues
    .slice(0, 10)
    .map((i) => ({ path: i.path.map((p) => String(p)).join('.'), message: i.message }));
}

/** Parses a request body with a domain schema or throws 400 VALIDATION_FAILED with the issues. */
export function parseBody<T>(schema: z.ZodType<T>, body: unknown): T {
  const parsed = schema.safeParse(body);
  if (!parsed.success) throw validationFailed(issuesOf(parsed.error));
  return parsed.data;
}

/** The Idempotency-Key header, lower-cased; a present key that is not a UUID is a 400. */
export function idempotencyKeyOf(request: FastifyRequest): string | undefined {
  const header = request.headers['idempotency-key'];
  if (header === undefined) return undefined;
  if (typeof header !== 'string' || !uuid.test(header)) {
    throw validationFailed([
      { path: 'Idempotency-Key', message: 'the Idempotency-Key header must be a UUID' },
    ]);
  }
  return header.toLowerCase();
}

export interface HttpCommand<T, R extends object> {
  /** The NATS subject of the service that owns the command. */
  readonly subject: string;
  /** What the command is about (an area, an incident…): part of the idempotency key's scope. */
  readonly resource: string;
  readonly schema: z.ZodType<T>;
  readonly body: unknown;
  readonly principal: Principal;
  readonly request: FastifyRequest;
  /** Throws the 404 or 403 to answer with when the caller may not send this command. */
  readonly authorize?: (data: T) => Promise<void> | void;
  /** The NATS payload (without the sender, which is added here). */
  readonly payload: (data: T) => Readonly<Record<string, unknown>>;
  /** Fields the answer carries besides {eventIds, position}, e.g. a new incident's id. */
  readonly answer?: (data: T, accepted: CommandAccepted) => R;
  readonly spanAttributes?: Readonly<Record<string, string>>;
}

@Injectable()
export class CommandExecutor {
  constructor(
    @Inject(ServiceCommandsClient) private readonly client: ServiceCommandsClient,
    @Inject(IdempotencyStore) private readonly idempotency: IdempotencyStore,
  ) {}

  async execute<T, R extends object = object>(
    command: HttpCommand<T, R>,
  ): Promise<CommandAccepted & R> {
    const key = idempotencyKeyOf(command.request);
    const data = parseBody(command.schema, command.body);
    const { principal, subject } = command;
    // The caller's W3C traceparent (a field client, k6) is the parent: one trace from the request
    // through NATS and the service to the ledger's commit.
    const parent = extractTraceContext({
      get: (key) => {
        const value = command.request.headers[key.toLowerCase()];
        return typeof value === 'string' ? value : undefined;
      },
    });
    const run = (): Promise<CommandAccepted & R> =>
      withSpan(
        `POST ${subject}`,
        {
          ...command.spanAttributes,
          'http.request.method': 'POST',
          'http.route': command.request.routeOptions.url ?? '',
        },
        async () => {
          await command.authorize?.(data);
          const accepted = await this.client.send(subject, command.payload(data), {
            actor: { id: principal.username, role: principal.role },
            correlationId: key ?? randomUUID(),
          });
          const extra = command.answer?.(data, accepted);
          return { ...(extra ?? ({} as R)), ...accepted };
        },
        { parent, kind: SpanKind.SERVER },
      );
    if (key === undefined) return run();
    // Answers are kept per user, subject, resource and key; the body's fingerprint is its validated
    // form, whose keys come in the schema's order.
    try {
      const outcome = await this.idempotency.once(
        `${principal.username}\u0000${subject}\u0000${command.resource}\u0000${key}`,
        JSON.stringify(data),
        run,
        (result) =>
          result.ok || (result.error instanceof ProblemException && result.error.getStatus() < 500),
      );
      return outcome.value;
    } catch (error) {
      if (error instanceof IdempotencyKeyReused) {
        throw new ProblemException(
          409,
          'IDEMPOTENCY_KEY_REUSED',
          'This Idempotency-Key was used with another request body.',
        );
      }
      throw error;
    }
  }
}
