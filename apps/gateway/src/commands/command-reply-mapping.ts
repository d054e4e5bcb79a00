// The one place where a command service's answer (or a failed NATS request) becomes HTTP: 201 with
// {eventIds, position}, or a problem+json exception with the code carried across NATS unchanged.
import type { Logger } from 'pino';
import { ProblemException } from '../problem.filter.js';

export interface CommandAccepted {
  readonly eventIds: readonly string[];
  readonly position: number;
}

/** Seconds a client should wait before retrying when a service or the ledger is away. */
export const retryAfterSeconds = 2;

/** Domain codes that mean "no such thing": 404 rather than 422. */
const notFoundCodes: ReadonlySet<string> = new Set([
  'POLLING.UNKNOWN_AREA',
  'POLLING.NOT_REGISTERED',
  'CARD.UNKNOWN',
  'VOTER.UNKNOWN',
  'INCIDENT.NOT_FOUND',
  'ANOMALY.NOT_FOUND',
  'RESULT.UNKNOWN_UNIT',
  'TALLY.UNKNOWN_CANDIDATE_UNIT',
]);

/** Domain codes that mean "already done another way": 409 rather than 422. */
const conflictCodes: ReadonlySet<string> = new Set([
  'VOTER.DUPLICATE_REGISTRATION',
  // An incident id (minted by the gateway) that already has a stream.
  'INCIDENT.ALREADY_REPORTED',
]);

/** Prefixes of the domain's rule codes (packages/domain): a refused rule is a 422. */
const domainRulePrefixes = [
  'POLLING.',
  'TURNOUT.',
  'MINUTE.',
  'TALLY.',
  'RESULT.',
  'CARD.',
  'VOTER.',
  'INCIDENT.',
  'ANOMALY.',
] as const;

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
 * Maps the bare `{ok, value}` / `{ok: false, error}` reply of a command service. Returns the
 * accepted command or throws the ProblemException to answer with.
 */
export function mapCommandReply(reply: unknown, logger: Logger, subject: string): CommandAccepted {
  if (isRecord(reply) && reply['ok'] === true && isAccepted(reply['value'])) {
    return { eventIds: reply['value'].eventIds, position: reply['value'].position };
  }
  const error = isRecord(reply) && reply['ok'] === false ? reply['error'] : undefined;
  if (!isRecord(error) || typeof error['code'] !== 'string') {
    logger.error({ subject, reply }, 'service reply does not match the protocol');
    throw new ProblemException(
      502,
      'BAD_GATEWAY',
      `The service behind ${subject} gave an unexpected answer.`,
    );
  }
  const code = error['code'];
  const message = typeof error['message'] === 'string' ? error['message'] : code;
  const details = isRecord(error['details']) ? error['details'] : undefined;
  if (notFoundCodes.has(code)) {
    // A card or voter looked up by what the caller holds keeps its own code (design/api.md).
    const kept = code === 'CARD.UNKNOWN' || code === 'VOTER.UNKNOWN' ? code : 'NOT_FOUND';
    return raise(new ProblemException(404, kept, message));
  }
  if (conflictCodes.has(code)) {
    return raise(new ProblemException(409, code, message, details ? { details } : {}));
  }
  if (domainRulePrefixes.some((prefix) => code.startsWith(prefix))) {
    return raise(new ProblemException(422, code, message, details ? { details } : {}));
  }
  switch (code) {
    case 'VALIDATION_FAILED': {
      const issues = details?.['issues'];
      return raise(
        new ProblemException(400, code, message, Array.isArray(issues) ? { errors: issues } : {}),
      );
    }
    case 'STALE_REVISION':
      return raise(new ProblemException(409, code, 'The record changed meanwhile; retry.'));
    case 'LEDGER_UNAVAILABLE':
      return raise(unavailable('The ledger is not available; retry later.'));
    default:
      logger.error({ subject, error }, 'service failed a command');
      throw new ProblemException(
        502,
        'BAD_GATEWAY',
        `The service behind ${subject} could not handle this.`,
      );
  }
}

function raise(problem: ProblemException): never {
  throw problem;
}

/** A NATS request that got no answer at all: nobody listening, timeout, connection gone. */
export function mapRequestFailure(error: unknown, logger: Logger, subject: string): never {
  logger.warn({ err: error, subject }, 'service did not answer');
  throw unavailable(`The service behind ${subject} is not available; retry later.`);
}
