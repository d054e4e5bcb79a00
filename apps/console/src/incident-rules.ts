// Which triage action is legal from which incident status: a copy of `legalFrom` in
// packages/domain/src/incidents/incident-decider.ts (the console does not bundle the domain
// package); incident-rules.unit.test.ts fails if the two drift apart.
import type { IncidentStatus } from './api/types.js';

export const incidentActions = ['acknowledge', 'assign', 'resolve', 'reopen'] as const;
export type IncidentAction = (typeof incidentActions)[number];

export const legalFrom: Readonly<Record<IncidentAction, readonly IncidentStatus[]>> = {
  acknowledge: ['reported', 'reopened'],
  assign: ['acknowledged', 'assigned', 'reopened'],
  resolve: ['acknowledged', 'assigned'],
  reopen: ['resolved'],
};

export function legalActions(status: IncidentStatus): IncidentAction[] {
  return incidentActions.filter((action) => legalFrom[action].includes(status));
}
