// Who is calling: the username, role and scope an access token carries, and the claims schema a
// token must satisfy before the gateway believes it.
import { roles, type Role } from '@hpe/read-models';
import { z } from 'zod';

export { roles, type Role };

export interface Scope {
  readonly communeId?: string;
  readonly pollingAreaId?: string;
}

export interface Principal {
  readonly username: string;
  readonly role: Role;
  readonly scope: Scope;
}

/** Roles whose scope is the whole city. */
export const cityWideRoles: readonly Role[] = ['admin', 'ops', 'police', 'auditor'];

const id = z.string().min(1).max(64);

/** The principal a token names; a role with the wrong scope is a forged or broken token. */
export const principalClaims = z
  .object({
    sub: z.string().min(1).max(128),
    role: z.enum(roles),
    scope: z.strictObject({ communeId: id.optional(), pollingAreaId: id.optional() }),
  })
  .refine(
    ({ role, scope }) =>
      role === 'reporter'
        ? scope.communeId !== undefined && scope.pollingAreaId !== undefined
        : role === 'commune'
          ? scope.communeId !== undefined && scope.pollingAreaId === undefined
          : scope.communeId === undefined && scope.pollingAreaId === undefined,
    'scope does not fit the role',
  );

/** The scope as it goes into tokens and answers: only the keys that are set. */
export function scopeOf(communeId: string | null, pollingAreaId: string | null): Scope {
  return {
    ...(communeId === null ? {} : { communeId }),
    ...(pollingAreaId === null ? {} : { pollingAreaId }),
  };
}
