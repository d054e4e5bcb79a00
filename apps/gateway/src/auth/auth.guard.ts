// Every route needs a valid Bearer token unless marked @Public(); @Roles(...) narrows who may call
// it. 401 UNAUTHENTICATED without a valid token, 403 FORBIDDEN_ROLE for a role not listed.
import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import { forbiddenRole, unauthenticated } from './auth-errors.js';
import { ALLOWED_ROLES, PUBLIC_ROUTE, QUERY_TOKEN_ROUTE, setPrincipal } from './decorators.js';
import type { Role } from './principal.js';
import { TokenService } from './token-service.js';

/** Longer than any token we issue; a bigger header is not worth a signature check. */
const maxTokenLength = 4_096;

export function bearerToken(header: string | string[] | undefined): string | undefined {
  if (typeof header !== 'string') return undefined;
  const match = /^Bearer +([A-Za-z0-9._~+/-]+=*) *$/i.exec(header);
  const token = match?.[1];
  return token !== undefined && token.length <= maxTokenLength ? token : undefined;
}

/** `?access_token=` where a route allows it; the same size limit as the header. */
function queryToken(query: unknown): string | undefined {
  if (typeof query !== 'object' || query === null || !('access_token' in query)) return undefined;
  const token = query.access_token;
  return typeof token === 'string' &&
    /^[A-Za-z0-9._~+/-]+=*$/.test(token) &&
    token.length <= maxTokenLength
    ? token
    : undefined;
}

@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    @Inject(Reflector) private readonly reflector: Reflector,
    @Inject(TokenService) private readonly tokens: TokenService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean | undefined>(PUBLIC_ROUTE, targets) === true) {
      return true;
    }
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const header = request.headers.authorization;
    const token =
      bearerToken(header) ??
      (header === undefined &&
      this.reflector.getAllAndOverride<boolean | undefined>(QUERY_TOKEN_ROUTE, targets) === true
        ? queryToken(request.query)
        : undefined);
    if (token === undefined) {
      throw unauthenticated(
        header === undefined
          ? 'A Bearer access token is required (POST /api/v1/auth/token).'
          : 'The Authorization header is not a Bearer token.',
        header !== undefined,
      );
    }
    const principal = await this.tokens.verify(token);
    if (principal === undefined) {
      throw unauthenticated('The access token is invalid or expired.', true);
    }
    const allowed = this.reflector.getAllAndOverride<readonly Role[] | undefined>(
      ALLOWED_ROLES,
      targets,
    );
    if (allowed !== undefined && !allowed.includes(principal.role)) {
      throw forbiddenRole(`The role ${principal.role} may not do this.`);
    }
    setPrincipal(request, principal);
    return true;
  }
}
