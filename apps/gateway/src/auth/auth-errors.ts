// The auth failures as problem+json exceptions with their stable codes (design/api.md): 401 with
// a Bearer challenge, 403 for role or scope, 429 with Retry-After.
import { ProblemException } from '../problem.filter.js';

const challenge = 'Bearer realm="hpe"';

export function unauthenticated(detail: string, tokenPresented = false): ProblemException {
  return new ProblemException(401, 'UNAUTHENTICATED', detail, {
    headers: {
      'www-authenticate': tokenPresented ? `${challenge}, error="invalid_token"` : challenge,
    },
  });
}

export function forbiddenRole(detail: string): ProblemException {
  return new ProblemException(403, 'FORBIDDEN_ROLE', detail);
}

export function forbiddenScope(detail: string): ProblemException {
  return new ProblemException(403, 'FORBIDDEN_SCOPE', detail);
}

export function rateLimited(retryAfterSeconds: number): ProblemException {
  return new ProblemException(
    429,
    'RATE_LIMITED',
    `Too many login attempts; try again in ${retryAfterSeconds} s.`,
    { headers: { 'retry-after': String(retryAfterSeconds) } },
  );
}

export function validationFailed(errors: readonly unknown[]): ProblemException {
  return new ProblemException(400, 'VALIDATION_FAILED', 'The request body is not valid.', {
    errors,
  });
}
