// Route metadata for the auth guard (`@Public()`, `@Roles(...)`) and `@CurrentPrincipal()`, the
// caller as the guard established it.
import { createParamDecorator, SetMetadata, type ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import type { Principal, Role } from './principal.js';

export const PUBLIC_ROUTE = 'hpe:public-route';
export const ALLOWED_ROLES = 'hpe:allowed-roles';
export const QUERY_TOKEN_ROUTE = 'hpe:query-token-route';

/** No token needed (health, login). Every other route needs one. */
export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(PUBLIC_ROUTE, true);

/**
 * The token may also come as `?access_token=` (RFC 6750 §2.3): only for the live feed, because a
 * browser's EventSource cannot send an Authorization header.
 */
export const AllowQueryToken = (): MethodDecorator => SetMetadata(QUERY_TOKEN_ROUTE, true);

/** Only these roles may call the route; without it, any authenticated role may. */
export const Roles = (...roles: readonly Role[]): MethodDecorator & ClassDecorator =>
  SetMetadata(ALLOWED_ROLES, roles);

/** The guard stores the caller here; a WeakMap keeps FastifyRequest's own type untouched. */
const principals = new WeakMap<object, Principal>();

export function setPrincipal(request: FastifyRequest, principal: Principal): void {
  principals.set(request, principal);
}

export function principalOf(request: FastifyRequest): Principal | undefined {
  return principals.get(request);
}

export const CurrentPrincipal = createParamDecorator(
  (_data: unknown, context: ExecutionContext): Principal => {
    const principal = principalOf(context.switchToHttp().getRequest<FastifyRequest>());
    // The guard runs before any handler and refuses requests without one; this is a wiring bug.
    if (principal === undefined) throw new Error('CurrentPrincipal used on a public route');
    return principal;
  },
);
