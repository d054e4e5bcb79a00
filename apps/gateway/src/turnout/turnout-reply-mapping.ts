// The one place where a turnout service answer (or a failed NATS request) becomes HTTP: 201 with
// {eventIds, position}, or a problem+json exception with the code carried across NATS unchanged.
import type { Logger } from 'pino';
import { ProblemException } from '../problem.filter.js';

export interface CommandAccepted {
  readonly eventIds: readonly string[];
  readonly position: number;
}

/** Seconds a client should wait before retrying when the turnout service or ledger is away. */
export const retryAfterSeconds = 2;

const notFoundCodes: ReadonlySet<string> = new Set([
  'POLLING.UNKNOWN_AREA',
  'POLLING.NOT_REGISTERED',
]);

function unavailable(detail: string): ProblemException {
  return new ProblemException(503, 'UNAVAILABLE', detail, {
    headers: { 'retry-after': String(retryAfterSeconds) },
  });
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isAccepted(value: unknown): value is CommandAccepted {
  return (
    isRecord(value) &&
    Array.isArray(value['eventIds']) &&
    value['eventIds'].every((id) => typeof id === 'string') &&
    typeof value['position'] === 'number'
  );
}

/**
 * Maps the bare `{ok, value}` / `{ok: false, error}` reply of the turnout service. Returns the
 * accepted command or throws the ProblemException to answer with.
 */
export function mapTurnoutReply(reply: unknown, logger: Logger, subject: string): CommandAccepted {
  if (isRecord(reply) && reply['ok'] === true && isAccepted(reply['value'])) {
    return { eventIds: reply['value'].eventIds, position: reply['value'].position };
  }
  const error = isRecord(reply) && reply['ok'] === false ? reply['error'] : undefined;
  if (!isRecord(error) || typeof error['code'] !== 'string') {
    logger.error({ subject, reply }, 'turnout service reply does not match the protocol');
    throw new ProblemException(
      502,
      'BAD_GATEWAY',
      'The turnout service gave an unexpected answer.',
    );
  }
  const code = error['code'];
  const message = typeof error['message'] === 'string' ? error['message'] : code;
  const details = isRecord(error['details']) ? error['details'] : undefined;
  if (notFoundCodes.has(code)) return raise(new ProblemException(404, 'NOT_FOUND', message));
  if (code.startsWith('POLLING.') || code.startsWith('TURNOUT.')) {
    return raise(new ProblemException(422, code, message));
  }
  switch (code) {
    case 'VALIDATION_FAILED': {
      const issues = details?.['issues'];
      return raise(
        new ProblemException(400, code, message, Array.isArray(issues) ? { errors: issues } : {}),
      );
    }
    case 'STALE_REVISION':
      return raise(new ProblemException(409, code, 'The polling area changed meanwhile; retry.'));
    case 'LEDGER_UNAVAILABLE':
      return raise(unavailable('The ledger is not available; retry later.'));
    default:
      logger.error({ subject, error }, 'turnout service failed a command');
      throw new ProblemException(502, 'BAD_GATEWAY', 'The turnout service could not handle this.');
  }
}

function raise(problem: ProblemException): never {
  throw problem;
}

/** A NATS request that got no answer at all: nobody listening, timeout, connection gone. */
export function mapRequestFailure(error: unknown, logger: Logger, subject: string): never {
  logger.warn({ err: error, subject }, 'turnout service did not answer');
  throw unavailable('The turnout service is not available; retry later.');
}
