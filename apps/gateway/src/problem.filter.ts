// Every error leaves the gateway as application/problem+json with a stable `code`, mapped here and
// nowhere else (design/api.md). Unknown failures are logged and answered without internals.
import {
  Catch,
  HttpException,
  HttpStatus,
  type ArgumentsHost,
  type ExceptionFilter,
} from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from 'pino';

export interface Problem {
  readonly type: string;
  readonly title: string;
  readonly status: number;
  readonly code: string;
  readonly detail: string;
  readonly errors?: readonly unknown[];
  /** What the rule that refused the command reports (e.g. expected and actual figures). */
  readonly details?: Readonly<Record<string, unknown>>;
}

const codeByStatus: Record<number, string> = {
  400: 'VALIDATION_FAILED',
  401: 'UNAUTHENTICATED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  405: 'METHOD_NOT_ALLOWED',
  409: 'CONFLICT',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  422: 'DOMAIN_RULE_VIOLATED',
  429: 'RATE_LIMITED',
  503: 'UNAVAILABLE',
};

export function problemFor(status: number, detail: string, code?: string): Problem {
  const title = HttpStatus[status]?.toString().replaceAll('_', ' ').toLowerCase() ?? 'error';
  const resolved = code ?? codeByStatus[status] ?? (status >= 500 ? 'INTERNAL' : 'BAD_REQUEST');
  return {
    type: `https://haiphong-election.example/problems/${resolved.toLowerCase().replaceAll('.', '-').replaceAll('_', '-')}`,
    title: title.charAt(0).toUpperCase() + title.slice(1),
    status,
    code: resolved,
    detail,
  };
}

/**
 * An expected failure with its stable code, and optionally the per-field `errors`, the refusing
 * rule's `details` and the headers the answer must carry (`WWW-Authenticate`, `Retry-After`).
 */
export class ProblemException extends HttpException {
  constructor(
    status: number,
    readonly code: string,
    readonly detail: string,
    readonly extra: {
      readonly errors?: readonly unknown[];
      readonly details?: Readonly<Record<string, unknown>>;
      readonly headers?: Readonly<Record<string, string>>;
    } = {},
  ) {
    super({ code, detail }, status);
  }
}

/** Errors Fastify raises before a route runs (bad JSON, body too large) carry a status code. */
function fastifyStatus(error: unknown): number | undefined {
  if (typeof error === 'object' && error !== null && 'statusCode' in error) {
    const status = (error as { statusCode: unknown }).statusCode;
    if (typeof status === 'number' && status >= 400 && status < 600) return status;
  }
  return undefined;
}

/**
 * Answers a 404 some other way when it returns true: the console's own routes (a browser asking
 * for /communes/10507) are answered with its index.html.
 */
export type NotFoundFallback = (request: FastifyRequest, reply: FastifyReply) => boolean;

@Catch()
export class ProblemFilter implements ExceptionFilter {
  constructor(
    private readonly logger: Logger,
    private readonly notFoundFallback?: NotFoundFallback,
  ) {}

  catch(error: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const reply = http.getResponse<FastifyReply>();
    const request = http.getRequest<FastifyRequest>();
    if (
      this.notFoundFallback !== undefined &&
      error instanceof HttpException &&
      !(error instanceof ProblemException) &&
      error.getStatus() === 404 &&
      this.notFoundFallback(request, reply)
    ) {
      return;
    }
    let problem: Problem;
    let headers: Readonly<Record<string, string>> = {};
    if (error instanceof ProblemException) {
      problem = {
        ...problemFor(error.getStatus(), error.detail, error.code),
        ...(error.extra.errors ? { errors: error.extra.errors } : {}),
        ...(error.extra.details ? { details: error.extra.details } : {}),
      };
      headers = error.extra.headers ?? {};
    } else if (error instanceof HttpException) {
      const body = error.getResponse();
      const detail = typeof body === 'string' ? body : error.message;
      const code =
        typeof body === 'object' && body !== null && 'code' in body
          ? String((body as { code: unknown }).code)
          : undefined;
      problem = problemFor(error.getStatus(), detail, code);
    } else if (fastifyStatus(error) !== undefined) {
      const status = fastifyStatus(error) ?? 400;
      problem = problemFor(status, error instanceof Error ? error.message : 'bad request');
    } else {
      this.logger.error(
        { err: error, method: request.method, url: request.url },
        'unhandled error',
      );
      problem = problemFor(500, 'The gateway failed to handle this request; it was logged.');
    }
    for (const [name, value] of Object.entries(headers)) void reply.header(name, value);
    void reply
      .status(problem.status)
      .header('content-type', 'application/problem+json')
      .send(problem);
  }
}
