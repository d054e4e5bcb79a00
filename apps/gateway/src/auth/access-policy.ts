// The role table of design/api.md as data, and the scope rules: a commune account acts in its own
// commune only, a reporter in its own polling area only; the city-wide roles everywhere.
import { cityWideRoles, type Principal, type Role } from './principal.js';

/** The rows of the role table, one name per row. */
export const accessTable = {
  /** open / close polling, turnout report, check-in, counting minute */
  'polling.record': ['admin', 'commune', 'reporter'],
  /** correct a counting minute (with reason) */
  'minute.correct': ['admin', 'commune'],
  /** voter import, card delivery, strike a voter */
  'voters.manage': ['admin', 'commune'],
  'incident.report': ['admin', 'ops', 'police', 'commune', 'reporter'],
  /** acknowledge, assign, resolve, reopen */
  'incident.triage': ['admin', 'police'],
  /** acknowledge / dismiss an anomaly */
  'anomaly.handle': ['admin', 'ops'],
  'result.declare': ['admin'],
  /** overview, communes, areas, turnout, results (commune and reporter: their own) */
  'results.read': ['admin', 'ops', 'police', 'auditor', 'commune', 'reporter'],
  /** incidents (commune: its own) */
  'incidents.read': ['admin', 'ops', 'police', 'auditor', 'commune'],
  /** the event log, verify the chain */
  'ledger.read': ['admin', 'auditor'],
} as const satisfies Record<string, readonly Role[]>;

export type Action = keyof typeof accessTable;

/** For `@Roles(...rolesFor('incident.triage'))`. */
export function rolesFor(action: Action): readonly Role[] {
  return accessTable[action];
}

export function isAllowed(role: Role, action: Action): boolean {
  return (accessTable[action] as readonly Role[]).includes(role);
}

function isCityWide(principal: Principal): boolean {
  return cityWideRoles.includes(principal.role);
}

/** May `principal` record something for this polling area (given the commune the area lies in)? */
export function canActForPollingArea(
  principal: Principal,
  pollingAreaId: string,
  communeIdOfArea: string,
): boolean {
  switch (principal.role) {
    case 'admin':
    case 'ops':
    case 'police':
    case 'auditor':
      return true;
    case 'commune':
      return principal.scope.communeId === communeIdOfArea;
    case 'reporter':
      return (
        principal.scope.pollingAreaId === pollingAreaId &&
        principal.scope.communeId === communeIdOfArea
      );
    default: {
      const unknownRole: never = principal.role;
      throw new Error(`unknown role ${String(unknownRole)}`);
    }
  }
}

/** May `principal` read a polling area's figures? Same rule as acting for it. */
export function canReadPollingArea(
  principal: Principal,
  pollingAreaId: string,
  communeIdOfArea: string,
): boolean {
  return canActForPollingArea(principal, pollingAreaId, communeIdOfArea);
}

/** May `principal` read a whole commune (its figures, its incidents)? A reporter sees its area only. */
export function canReadCommune(principal: Principal, communeId: string): boolean {
  if (isCityWide(principal)) return true;
  return principal.role === 'commune' && principal.scope.communeId === communeId;
}
