// The role table of design/api.md, copied here as the markdown it is, against the access table the
// guard uses; and the scope rules for a commune account and a reporter, in and out of their scope.
import { describe, expect, it } from 'vitest';
import {
  accessTable,
  canActForPollingArea,
  canReadCommune,
  canReadPollingArea,
  isAllowed,
  rolesFor,
  type Action,
} from './access-policy.js';
import { roles, type Principal, type Role } from './principal.js';

const apiTable = `
| open / close polling, turnout report, check-in, counting minute | ✓ | | | | ✓ | ✓ |
| correct a counting minute (with reason) | ✓ | | | | ✓ | |
| voter import, card delivery, strike a voter | ✓ | | | | ✓ | |
| report an incident | ✓ | ✓ | ✓ | | ✓ | ✓ |
| triage an incident (acknowledge, assign, resolve, reopen) | ✓ | | ✓ | | | |
| acknowledge / dismiss an anomaly | ✓ | ✓ | | | | |
| declare an electoral unit's result | ✓ | | | | | |
| read overview, communes, areas, turnout, results | ✓ | ✓ | ✓ | ✓ | ✓ (own) | ✓ (own) |
| read incidents | ✓ | ✓ | ✓ | ✓ | ✓ (own) | |
| read the event log, verify the chain | ✓ | | | ✓ | | |
`;
const columns: readonly Role[] = ['admin', 'ops', 'police', 'auditor', 'commune', 'reporter'];
const actionOfRow: Readonly<Record<string, Action>> = {
  'open / close polling, turnout report, check-in, counting minute': 'polling.record',
  'correct a counting minute (with reason)': 'minute.correct',
  'voter import, card delivery, strike a voter': 'voters.manage',
  'report an incident': 'incident.report',
  'triage an incident (acknowledge, assign, resolve, reopen)': 'incident.triage',
  'acknowledge / dismiss an anomaly': 'anomaly.handle',
  "declare an electoral unit's result": 'result.declare',
  'read overview, communes, areas, turnout, results': 'results.read',
  'read incidents': 'incidents.read',
  'read the event log, verify the chain': 'ledger.read',
};

const cells = apiTable
  .trim()
  .split('\n')
  .flatMap((line) => {
    const [label = '', ...marks] = line
      .split('|')
      .slice(1, -1)
      .map((c) => c.trim());
    const action = actionOfRow[label];
    if (action === undefined) throw new Error(`no action for row "${label}"`);
    return columns.map((role, i) => ({ action, role, allowed: (marks[i] ?? '').startsWith('✓') }));
  });

describe('the role table of design/api.md', () => {
  it('covers every action of the access table and every role', () => {
    expect(new Set(cells.map((c) => c.action))).toEqual(new Set(Object.keys(accessTable)));
    expect([...columns].sort()).toEqual([...roles].sort());
    expect(cells).toHaveLength(Object.keys(accessTable).length * roles.length);
  });

  it.each(cells)('$action by $role: allowed $allowed', ({ action, role, allowed }) => {
    expect(isAllowed(role, action)).toBe(allowed);
    expect(rolesFor(action).includes(role)).toBe(allowed);
  });
});

const admin: Principal = { username: 'admin', role: 'admin', scope: {} };
const cityWide: Principal[] = (['admin', 'ops', 'police', 'auditor'] as const).map((role) => ({
  username: role,
  role,
  scope: {},
}));
const commune: Principal = { username: 'commune-A', role: 'commune', scope: { communeId: 'A' } };
const reporter: Principal = {
  username: 'pa-A-1',
  role: 'reporter',
  scope: { communeId: 'A', pollingAreaId: 'A-1' },
};

describe('scope', () => {
  it('lets the city-wide roles act and read everywhere', () => {
    for (const p of [admin, ...cityWide]) {
      expect(canActForPollingArea(p, 'B-7', 'B')).toBe(true);
      expect(canReadPollingArea(p, 'B-7', 'B')).toBe(true);
      expect(canReadCommune(p, 'B')).toBe(true);
    }
  });

  it('lets a commune account act for and read every area of its own commune only', () => {
    expect(canActForPollingArea(commune, 'A-1', 'A')).toBe(true);
    expect(canActForPollingArea(commune, 'A-9', 'A')).toBe(true);
    expect(canReadCommune(commune, 'A')).toBe(true);
    expect(canActForPollingArea(commune, 'B-1', 'B')).toBe(false);
    expect(canReadPollingArea(commune, 'B-1', 'B')).toBe(false);
    expect(canReadCommune(commune, 'B')).toBe(false);
  });

  it('lets a reporter act for and read its own polling area only', () => {
    expect(canActForPollingArea(reporter, 'A-1', 'A')).toBe(true);
    expect(canReadPollingArea(reporter, 'A-1', 'A')).toBe(true);
    expect(canActForPollingArea(reporter, 'A-2', 'A')).toBe(false);
    expect(canActForPollingArea(reporter, 'B-1', 'B')).toBe(false);
    // The right area id under another commune is a mismatch, not a pass.
    expect(canActForPollingArea(reporter, 'A-1', 'B')).toBe(false);
    expect(canReadCommune(reporter, 'A')).toBe(false);
  });
});
