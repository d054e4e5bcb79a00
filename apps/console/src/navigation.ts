// What each role sees and may do (the role table of design/api.md): its navigation, its home page
// and the actions the views offer. The gateway enforces the same rules; this only hides what would
// be refused.
import type { Role, Scope } from './api/types.js';

export interface NavItem {
  readonly to: string;
  /** Dictionary key of the label. */
  readonly label: string;
}

export function navigationFor(role: Role, scope: Scope): readonly NavItem[] {
  switch (role) {
    case 'admin':
      return [overview, communes, results, anomalies, incidents, audit];
    case 'ops':
      return [overview, communes, results, anomalies, incidents];
    case 'police':
      return [incidents, overview, communes, results];
    case 'auditor':
      return [overview, communes, results, anomalies, incidents, audit];
    case 'commune':
      return scope.communeId === undefined
        ? []
        : [{ to: `/communes/${scope.communeId}`, label: 'nav.myCommune' }, results, incidents];
    case 'reporter':
      return scope.pollingAreaId === undefined
        ? []
        : [{ to: `/areas/${scope.pollingAreaId}`, label: 'nav.myArea' }];
    default: {
      const unknown: never = role;
      throw new Error(`unknown role ${String(unknown)}`);
    }
  }
}

export function homeFor(role: Role, scope: Scope): string {
  return navigationFor(role, scope)[0]?.to ?? '/';
}

const overview: NavItem = { to: '/', label: 'nav.overview' };
const communes: NavItem = { to: '/communes', label: 'nav.communes' };
const results: NavItem = { to: '/results', label: 'nav.results' };
const anomalies: NavItem = { to: '/anomalies', label: 'nav.anomalies' };
const incidents: NavItem = { to: '/incidents', label: 'nav.incidents' };
const audit: NavItem = { to: '/audit', label: 'nav.audit' };

export const can = {
  declare: (role: Role) => role === 'admin',
  handleAnomaly: (role: Role) => role === 'admin' || role === 'ops',
  triageIncident: (role: Role) => role === 'admin' || role === 'police',
  readLedger: (role: Role) => role === 'admin' || role === 'auditor',
};
