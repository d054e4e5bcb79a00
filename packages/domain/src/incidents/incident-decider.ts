// The incident decider: an incident's life from report through triage to resolution and back, as a
// table of which action is legal from which status. An illegal one is refused with its code.
import { assert, assertNever, InvariantError } from '../assert.js';
import type { Decider, DecisionContext } from '../decider.js';
import { codedError, err, ok } from '../result.js';
import type { CodedError, Result } from '../result.js';
import type { IncidentCommand } from './incident-commands.js';
import type { IncidentEvent } from './incident-events.js';
import type { IncidentSeverity } from './incident-values.js';

export const incidentStatuses = [
  'reported',
  'acknowledged',
  'assigned',
  'resolved',
  'reopened',
] as const;
export type IncidentStatus = (typeof incidentStatuses)[number];

export type IncidentAction = 'acknowledge' | 'assign' | 'resolve' | 'reopen';

/**
 * From which statuses each triage action is legal. Someone acknowledges before anyone is sent; a
 * reopened incident is acknowledged or assigned again before it can be resolved again. Notes are
 * legal in every status and are not in the table. The console reads it to offer only legal actions.
 */
export const legalFrom: Readonly<Record<IncidentAction, readonly IncidentStatus[]>> = {
  acknowledge: ['reported', 'reopened'],
  assign: ['acknowledged', 'assigned', 'reopened'],
  resolve: ['acknowledged', 'assigned'],
  reopen: ['resolved'],
};

export const incidentErrorCodes = [
  'INCIDENT.NOT_FOUND',
  'INCIDENT.ALREADY_REPORTED',
  'INCIDENT.TIME_IN_FUTURE',
  'INCIDENT.ILLEGAL_TRANSITION',
  'INCIDENT.ALREADY_ASSIGNED',
] as const;
export type IncidentErrorCode = (typeof incidentErrorCodes)[number];

/** A field clock may run a little fast; a time further ahead than this was mistyped. */
export const INCIDENT_FUTURE_TOLERANCE_MINUTES = 5;

export interface KnownIncident {
  readonly status: IncidentStatus;
  readonly incidentId: string;
  readonly pollingAreaId: string;
  readonly communeId: string;
  readonly severity: IncidentSeverity;
  /** The unit it is with now, if it was ever assigned; kept through resolve and reopen. */
  readonly unit: string | null;
}

export type IncidentState = { readonly status: 'none' } | KnownIncident;

type Decision = Result<readonly IncidentEvent[], CodedError<IncidentErrorCode>>;

const reject = (
  code: IncidentErrorCode,
  message: string,
  details: Readonly<Record<string, unknown>>,
): Decision => err(codedError(code, message, details));

const accept = (...events: IncidentEvent[]): Decision => ok(events);

const participles: Readonly<Record<IncidentAction, string>> = {
  acknowledge: 'acknowledged',
  assign: 'assigned',
  resolve: 'resolved',
  reopen: 'reopened',
};

/** Null when `action` is legal from the incident's status, else the rejection. */
function illegal(state: KnownIncident, action: IncidentAction): Decision | null {
  if (legalFrom[action].includes(state.status)) return null;
  return reject(
    'INCIDENT.ILLEGAL_TRANSITION',
    `an incident that is ${state.status} cannot be ${participles[action]}`,
    { from: state.status, action, legalFrom: legalFrom[action] },
  );
}

function decide(
  command: IncidentCommand,
  state: IncidentState,
  { now }: DecisionContext,
): Decision {
  const { incidentId } = command.data;
  if (command.type === 'ReportIncident') {
    if (state.status !== 'none')
      return reject('INCIDENT.ALREADY_REPORTED', `incident ${incidentId} is already reported`, {
        incidentId,
      });
    const { occurredAt } = command.data;
    const latest = now.getTime() + INCIDENT_FUTURE_TOLERANCE_MINUTES * 60_000;
    if (Date.parse(occurredAt) > latest)
      return reject('INCIDENT.TIME_IN_FUTURE', `${occurredAt} is later than now`, {
        occurredAt,
        now: now.toISOString(),
        toleranceMinutes: INCIDENT_FUTURE_TOLERANCE_MINUTES,
      });
    return accept({ type: 'IncidentReported', data: { ...command.data } });
  }
  if (state.status === 'none')
    return reject('INCIDENT.NOT_FOUND', `no incident ${incidentId}`, { incidentId });
  // The service loads the stream named after the command's incident: any other is a bug.
  assert(
    state.incidentId === incidentId,
    `command for ${incidentId} decided on the stream of ${state.incidentId}`,
  );
  switch (command.type) {
    case 'AcknowledgeIncident':
      return (
        illegal(state, 'acknowledge') ??
        accept({ type: 'IncidentAcknowledged', data: { incidentId } })
      );
    case 'AssignIncident': {
      const refused = illegal(state, 'assign');
      if (refused) return refused;
      const { unit } = command.data;
      if (state.status === 'assigned' && state.unit === unit)
        return reject(
          'INCIDENT.ALREADY_ASSIGNED',
          `incident ${incidentId} is already with ${unit}`,
          {
            unit,
          },
        );
      return accept({
        type: 'IncidentAssigned',
        data: { incidentId, unit, previousUnit: state.unit },
      });
    }
    case 'AddIncidentNote':
      return accept({ type: 'IncidentNoteAdded', data: { incidentId, text: command.data.text } });
    case 'ResolveIncident':
      return (
        illegal(state, 'resolve') ??
        accept({
          type: 'IncidentResolved',
          data: { incidentId, resolution: command.data.resolution },
        })
      );
    case 'ReopenIncident':
      return (
        illegal(state, 'reopen') ??
        accept({ type: 'IncidentReopened', data: { incidentId, reason: command.data.reason } })
      );
    default:
      return assertNever(command, 'incident command');
  }
}

/** Events after the first need a reported incident: any other history is a corrupt stream. */
function known(state: IncidentState, event: IncidentEvent): KnownIncident {
  if (state.status === 'none') throw new InvariantError(`${event.type} on an unknown incident`);
  return state;
}

function evolve(state: IncidentState, event: IncidentEvent): IncidentState {
  switch (event.type) {
    case 'IncidentReported':
      return {
        status: 'reported',
        incidentId: event.data.incidentId,
        pollingAreaId: event.data.pollingAreaId,
        communeId: event.data.communeId,
        severity: event.data.severity,
        unit: null,
      };
    case 'IncidentAcknowledged':
      return { ...known(state, event), status: 'acknowledged' };
    case 'IncidentAssigned':
      return { ...known(state, event), status: 'assigned', unit: event.data.unit };
    case 'IncidentNoteAdded':
      return known(state, event);
    case 'IncidentResolved':
      return { ...known(state, event), status: 'resolved' };
    case 'IncidentReopened':
      return { ...known(state, event), status: 'reopened' };
    default:
      return assertNever(event, 'incident event');
  }
}

export const incidentDecider: Decider<
  IncidentCommand,
  IncidentEvent,
  IncidentState,
  IncidentErrorCode
> = {
  initialState: () => ({ status: 'none' }),
  decide,
  evolve,
};

/** The stream an incident lives in. */
export const incidentStreamId = (incidentId: string): string => `incident-${incidentId}`;
