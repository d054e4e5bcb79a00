// Rate limits on the API (@fastify/rate-limit): each caller — its bearer token, or its address when
// it has none — gets RATE_LIMIT_PER_MINUTE requests per minute; past that a 429 problem+json with
// Retry-After. Health and the console's static files are not limited; login has its own limiter.
import { createHash } from 'node:crypto';
import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { problemFor } from '../problem.filter.js';

export interface RateLimitOptions {
  readonly perMinute: number;
}

/** The bearer token's digest (a token is a caller), or the client address without one. */
export function rateLimitKey(request: FastifyRequest): string {
  const authorization = request.headers.authorization;
  if (typeof authorization === 'string' && /^bearer\s+\S+/i.test(authorization)) {
    return `t:${createHash('sha256').update(authorization.trim()).digest('base64url').slice(0, 22)}`;
  }
  return `a:${request.ip}`;
}

export async function registerRateLimits(
  fastify: FastifyInstance,
  options: RateLimitOptions,
): Promise<void> {
  await fastify.register(rateLimit, {
    global: true,
    max: options.perMinute,
    timeWindow: 60_000,
    cache: 100_000,
    keyGenerator: rateLimitKey,
    allowList: (request) => !request.url.startsWith('/api/'),
    addHeadersOnExceeding: { 'x-ratelimit-limit': true, 'x-ratelimit-remaining': true },
    errorResponseBuilder: (_request, context) => {
      const seconds = Math.max(1, Math.ceil(context.ttl / 1_000));
      return {
        ...problemFor(
          429,
          `More than ${context.max} requests in a minute; retry in ${seconds} s.`,
          'RATE_LIMITED',
        ),
        statusCode: 429,
      };
    },
  });
}
