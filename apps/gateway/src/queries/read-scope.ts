// What a caller may read (design/api.md, "own" columns): the city for the city-wide roles, its
// commune for a commune account, its own polling area for a reporter.
import { forbiddenScope } from '../auth/auth-errors.js';
import type { Principal } from '../auth/principal.js';

export type ReadScope =
  | { readonly kind: 'city' }
  | { readonly kind: 'commune'; readonly communeId: string }
  | { readonly kind: 'area'; readonly communeId: string; readonly pollingAreaId: string };

export function readScopeOf(principal: Principal): ReadScope {
  const { communeId, pollingAreaId } = principal.scope;
  if (principal.role === 'reporter' && communeId !== undefined && pollingAreaId !== undefined) {
    return { kind: 'area', communeId, pollingAreaId };
  }
  if (principal.role === 'commune' && communeId !== undefined)
    return { kind: 'commune', communeId };
  return { kind: 'city' };
}

/** The commune filter a list query runs with: the caller's own, or 403 for another one. */
export function communeFilter(scope: ReadScope, asked: string | undefined): string | undefined {
  if (scope.kind === 'city') return asked;
  if (asked !== undefined && asked !== scope.communeId) {
    throw forbiddenScope(`Commune ${asked} is outside your scope.`);
  }
  return scope.communeId;
}

export function mayReadCommune(scope: ReadScope, communeId: string): boolean {
  return scope.kind === 'city' || (scope.kind === 'commune' && scope.communeId === communeId);
}

export function mayReadArea(scope: ReadScope, pollingAreaId: string, communeId: string): boolean {
  switch (scope.kind) {
    case 'city':
      return true;
    case 'commune':
      return scope.communeId === communeId;
    case 'area':
      return scope.pollingAreaId === pollingAreaId;
  }
}
