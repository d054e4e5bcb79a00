// The guard without HTTP: every role against every action's @Roles, and every way a token can be
// missing, forged, tampered with or expired.
import 'reflect-metadata';
import type { ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import { SignJWT, UnsecuredJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { accessTable, isAllowed, rolesFor, type Action } from './access-policy.js';
import { AuthGuard, bearerToken } from './auth.guard.js';
import { ALLOWED_ROLES, principalOf, PUBLIC_ROUTE } from './decorators.js';
import { roles, type Principal, type Role } from './principal.js';
import { tokenAudience, tokenIssuer, TokenService } from './token-service.js';
import { ProblemException } from '../problem.filter.js';

const secret = 'a-test-secret-that-is-long-enough-for-hs256';
const now = Date.UTC(2026, 2, 15, 1, 0, 0);
let clock = now;
const tokens = new TokenService(secret, 8 * 3_600, () => clock);
const guard = new AuthGuard(new Reflector(), tokens);

const principals: Readonly<Record<Role, Principal>> = {
  admin: { username: 'admin', role: 'admin', scope: {} },
  ops: { username: 'ops', role: 'ops', scope: {} },
  police: { username: 'police', role: 'police', scope: {} },
  auditor: { username: 'auditor', role: 'auditor', scope: {} },
  commune: { username: 'commune-A', role: 'commune', scope: { communeId: 'A' } },
  reporter: {
    username: 'pa-A-1',
    role: 'reporter',
    scope: { communeId: 'A', pollingAreaId: 'A-1' },
  },
};

class Routes {}
function route(metadata: Record<string, unknown> = {}): () => void {
  const handler = (): void => undefined;
  for (const [key, value] of Object.entries(metadata)) Reflect.defineMetadata(key, value, handler);
  return handler;
}

function contextFor(
  handler: () => void,
  authorization?: string,
): { context: ExecutionContext; request: FastifyRequest } {
  const request = {
    headers: authorization === undefined ? {} : { authorization },
  } as unknown as FastifyRequest;
  const context = {
    getHandler: () => handler,
    getClass: () => Routes,
    switchToHttp: () => ({ getRequest: () => request }),
  } as unknown as ExecutionContext;
  return { context, request };
}

async function refusal(promise: Promise<unknown>): Promise<{
  status: number;
  code: string;
  headers: Readonly<Record<string, string>>;
}> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof ProblemException) {
      return { status: error.getStatus(), code: error.code, headers: error.extra.headers ?? {} };
    }
    throw error;
  }
  throw new Error('the guard let the request through');
}

const tokenFor = async (role: Role): Promise<string> =>
  (await tokens.issue(principals[role])).accessToken;

describe('AuthGuard and roles', () => {
  const cases = (Object.keys(accessTable) as Action[]).flatMap((action) =>
    roles.map((role) => ({ action, role, allowed: isAllowed(role, action) })),
  );

  it.each(cases)('$action by $role: allowed $allowed', async ({ action, role, allowed }) => {
    const { context, request } = contextFor(
      route({ [ALLOWED_ROLES]: rolesFor(action) }),
      `Bearer ${await tokenFor(role)}`,
    );
    if (allowed) {
      expect(await guard.canActivate(context)).toBe(true);
      expect(principalOf(request)).toEqual(principals[role]);
    } else {
      expect(await refusal(guard.canActivate(context))).toMatchObject({
        status: 403,
        code: 'FORBIDDEN_ROLE',
      });
      expect(principalOf(request)).toBeUndefined();
    }
  });

  it.each(roles)('lets %s through a route without @Roles', async (role) => {
    const { context, request } = contextFor(route(), `Bearer ${await tokenFor(role)}`);
    expect(await guard.canActivate(context)).toBe(true);
    expect(principalOf(request)).toEqual(principals[role]);
  });

  it('lets anyone through a @Public route', async () => {
    expect(await guard.canActivate(contextFor(route({ [PUBLIC_ROUTE]: true })).context)).toBe(true);
  });
});

describe('AuthGuard and tokens', () => {
  const key = new TextEncoder().encode(secret);
  const claims = { role: 'admin', scope: {} };
  const signed = (
    build: (jwt: SignJWT) => SignJWT,
    signingKey: Uint8Array = key,
    alg = 'HS256',
  ): Promise<string> =>
    build(
      new SignJWT(claims)
        .setProtectedHeader({ alg })
        .setSubject('admin')
        .setIssuer(tokenIssuer)
        .setAudience(tokenAudience)
        .setIssuedAt(Math.floor(now / 1_000))
        .setExpirationTime(Math.floor(now / 1_000) + 3_600),
    ).sign(signingKey);

  it('accepts a well-formed token it issued (control)', async () => {
    const token = await signed((j) => j);
    expect(await guard.canActivate(contextFor(route(), `Bearer ${token}`).context)).toBe(true);
  });

  const tampered = async (): Promise<string> => {
    const [header, payload, signature] = (await tokenFor('reporter')).split('.');
    const raised = Buffer.from(
      JSON.stringify({
        ...(JSON.parse(Buffer.from(payload ?? '', 'base64url').toString()) as object),
        role: 'admin',
        scope: {},
      }),
    ).toString('base64url');
    return `${header}.${raised}.${signature}`;
  };

  type HeaderCase = readonly [string, () => Promise<string | undefined>, boolean];
  it.each<HeaderCase>([
    ['no Authorization header', async () => undefined, false],
    ['a Basic header', async () => 'Basic YWRtaW46eA==', true],
    ['an empty Bearer', async () => 'Bearer ', true],
    ['garbage', async () => 'Bearer not-a-jwt', true],
    ['a tampered payload', async () => `Bearer ${await tampered()}`, true],
    [
      'another key',
      async () =>
        `Bearer ${await signed((j) => j, new TextEncoder().encode('x'.repeat(32) + '-other'))}`,
      true,
    ],
    ['HS512 with the same key', async () => `Bearer ${await signed((j) => j, key, 'HS512')}`, true],
    [
      'alg none',
      async () =>
        `Bearer ${new UnsecuredJWT(claims)
          .setSubject('admin')
          .setIssuer(tokenIssuer)
          .setAudience(tokenAudience)
          .setIssuedAt(Math.floor(now / 1_000))
          .setExpirationTime(Math.floor(now / 1_000) + 3_600)
          .encode()}`,
      true,
    ],
    [
      'an expired token',
      async () => `Bearer ${await signed((j) => j.setExpirationTime(Math.floor(now / 1_000) - 1))}`,
      true,
    ],
    ['another issuer', async () => `Bearer ${await signed((j) => j.setIssuer('elsewhere'))}`, true],
    ['another audience', async () => `Bearer ${await signed((j) => j.setAudience('other'))}`, true],
    [
      'a role that does not exist',
      async () =>
        `Bearer ${await new SignJWT({ role: 'mayor', scope: {} })
          .setProtectedHeader({ alg: 'HS256' })
          .setSubject('x')
          .setIssuer(tokenIssuer)
          .setAudience(tokenAudience)
          .setIssuedAt(Math.floor(now / 1_000))
          .setExpirationTime(Math.floor(now / 1_000) + 60)
          .sign(key)}`,
      true,
    ],
    [
      'a reporter without its polling area',
      async () =>
        `Bearer ${await new SignJWT({ role: 'reporter', scope: { communeId: 'A' } })
          .setProtectedHeader({ alg: 'HS256' })
          .setSubject('x')
          .setIssuer(tokenIssuer)
          .setAudience(tokenAudience)
          .setIssuedAt(Math.floor(now / 1_000))
          .setExpirationTime(Math.floor(now / 1_000) + 60)
          .sign(key)}`,
      true,
    ],
    ['an oversized token', async () => `Bearer ${'a'.repeat(5_000)}`, true],
  ])('refuses %s with 401 and a Bearer challenge', async (_name, header, presented) => {
    const { context, request } = contextFor(route(), await header());
    const answer = await refusal(guard.canActivate(context));
    expect(answer).toMatchObject({ status: 401, code: 'UNAUTHENTICATED' });
    expect(answer.headers['www-authenticate']).toBe(
      presented ? 'Bearer realm="hpe", error="invalid_token"' : 'Bearer realm="hpe"',
    );
    expect(principalOf(request)).toBeUndefined();
  });

  it('refuses its own token once it has expired (8 h)', async () => {
    const token = await tokenFor('ops');
    clock = now + 8 * 3_600 * 1_000 + 1_000;
    try {
      const answer = await refusal(
        guard.canActivate(contextFor(route(), `Bearer ${token}`).context),
      );
      expect(answer.status).toBe(401);
    } finally {
      clock = now;
    }
  });

  it('still refuses a token that expired after it was verified (and remembered) once', async () => {
    const token = await tokenFor('police');
    const accepted = contextFor(route(), `Bearer ${token}`);
    expect(await guard.canActivate(accepted.context)).toBe(true);
    expect(await guard.canActivate(contextFor(route(), `Bearer ${token}`).context)).toBe(true);
    clock = now + 8 * 3_600 * 1_000;
    try {
      const answer = await refusal(
        guard.canActivate(contextFor(route(), `Bearer ${token}`).context),
      );
      expect(answer.status).toBe(401);
    } finally {
      clock = now;
    }
  });

  it('reads Bearer tokens case-insensitively and nothing else', () => {
    expect(bearerToken('bearer abc.def.ghi')).toBe('abc.def.ghi');
    expect(bearerToken(['Bearer a', 'Bearer b'])).toBeUndefined();
    expect(bearerToken('Bearer a b')).toBeUndefined();
  });
});
