// The day plan as the HTTP requests the field sends, in time order, slice by slice: what each
// election team, commune and the police post through the public API, and which ledger event each
// accepted (or expectedly refused) request must leave behind, for the reconciliation.
import type { AreaPlan, DayMinute, ExpectedRefusal, IncidentPlan, Level } from './day-plan.ts';

/** Local (Vietnam) wall time of a day minute on a date, as the API wants it. */
export function fieldTime(date: string, minute: DayMinute): string {
  const ms = Math.round(minute * 60_000);
  const h = Math.floor(ms / 3_600_000);
  const m = Math.floor((ms % 3_600_000) / 60_000);
  const s = Math.floor((ms % 60_000) / 1_000);
  const two = (n: number): string => String(n).padStart(2, '0');
  return `${date}T${two(h)}:${two(m)}:${two(s)}.${String(ms % 1_000).padStart(3, '0')}+07:00`;
}

/** Epoch milliseconds of a day minute on a date (Vietnam is UTC+7 all year). */
export function epochOf(date: string, minute: DayMinute): number {
  return Date.parse(`${date}T00:00:00+07:00`) + Math.round(minute * 60_000);
}

/** Shared between the request that reports an incident and those that triage it. */
export interface IncidentHandle {
  incidentId?: string;
  failed?: boolean;
}

export interface FieldRequest {
  /** Epoch ms of the field time (the drill clock reaches it before it is sent). */
  readonly atMs: number;
  readonly pollingAreaId: string;
  /** Requests of one lane are sent one after the other (an area's turnout, an incident). */
  readonly lane?: string;
  readonly user: string;
  /** The route template, for latency by endpoint. */
  readonly endpoint: string;
  /** Undefined when the request cannot be sent (its incident was never reported). */
  readonly path: () => string | undefined;
  readonly body: unknown;
  /** The refusal the plan expects instead of 201. */
  readonly expect?: ExpectedRefusal;
  /** The event an accepted request leaves in the ledger; a recorded refusal's when refused. */
  readonly eventType: string;
  readonly refusalEventType?: string;
  /** Called with the 201 body. */
  readonly onAccepted?: (body: unknown) => void;
  readonly onFailed?: () => void;
}

function incidentRequests(area: AreaPlan, date: string, incident: IncidentPlan): FieldRequest[] {
  const handle: IncidentHandle = {};
  const lane = `incident/${incident.key}`;
  const pollingAreaId = area.area.pollingAreaId;
  const withId = (suffix: string) => () =>
    handle.incidentId === undefined
      ? undefined
      : `/api/v1/incidents/${handle.incidentId}/${suffix}`;
  const out: FieldRequest[] = [
    {
      atMs: epochOf(date, incident.at),
      pollingAreaId,
      lane,
      user: incident.reportedBy,
      endpoint: 'POST /incidents',
      path: () => '/api/v1/incidents',
      body: {
        pollingAreaId,
        category: incident.category,
        severity: incident.severity,
        description: incident.description,
        occurredAt: fieldTime(date, incident.at),
      },
      eventType: 'IncidentReported',
      onAccepted: (body) => {
        const id = (body as { incidentId?: unknown } | undefined)?.incidentId;
        if (typeof id === 'string') handle.incidentId = id;
        else handle.failed = true;
      },
      onFailed: () => {
        handle.failed = true;
      },
    },
  ];
  for (const step of incident.triage) {
    const common = { atMs: epochOf(date, step.at), pollingAreaId, lane, user: 'police' };
    switch (step.kind) {
      case 'acknowledge':
        out.push({
          ...common,
          endpoint: 'POST /incidents/{id}/acknowledge',
          path: withId('acknowledge'),
          body: {},
          eventType: 'IncidentAcknowledged',
        });
        break;
      case 'assign':
        out.push({
          ...common,
          endpoint: 'POST /incidents/{id}/assign',
          path: withId('assign'),
          body: { unit: step.unit },
          eventType: 'IncidentAssigned',
        });
        break;
      case 'note':
        out.push({
          ...common,
          endpoint: 'POST /incidents/{id}/notes',
          path: withId('notes'),
          body: { text: step.text },
          eventType: 'IncidentNoteAdded',
        });
        break;
      case 'resolve':
        out.push({
          ...common,
          endpoint: 'POST /incidents/{id}/resolve',
          path: withId('resolve'),
          body: { resolution: step.resolution },
          eventType: 'IncidentResolved',
        });
        break;
      case 'reopen':
        out.push({
          ...common,
          endpoint: 'POST /incidents/{id}/reopen',
          path: withId('reopen'),
          body: { reason: step.reason },
          eventType: 'IncidentReopened',
        });
        break;
      default: {
        const never: never = step;
        throw new Error(`unknown triage step ${JSON.stringify(never)}`);
      }
    }
  }
  return out;
}

function minutePath(pollingAreaId: string, level: Level, correction: boolean): () => string {
  const base = `/api/v1/polling-areas/${pollingAreaId}/minutes/${level}`;
  return () => (correction ? `${base}/corrections` : base);
}

/** Everything an area sends on its day except the card check-ins, in time order. */
export function areaRequests(area: AreaPlan): FieldRequest[] {
  const { pollingAreaId, communeId, electionDate: date } = area.area;
  const reporter = `pa-${pollingAreaId}`;
  const lane = `area/${pollingAreaId}`;
  const base = `/api/v1/polling-areas/${pollingAreaId}`;
  const out: FieldRequest[] = [];
  for (const action of area.actions) {
    const atMs = epochOf(date, action.at);
    switch (action.kind) {
      case 'open':
        out.push({
          atMs,
          pollingAreaId,
          lane,
          user: reporter,
          endpoint: 'POST /polling-areas/{id}/open',
          path: () => `${base}/open`,
          body: { at: fieldTime(date, action.at) },
          eventType: 'PollingAreaOpened',
        });
        break;
      case 'report':
        out.push({
          atMs,
          pollingAreaId,
          lane,
          user: reporter,
          endpoint: 'POST /polling-areas/{id}/turnout-reports',
          path: () => `${base}/turnout-reports`,
          body: { asOf: fieldTime(date, action.at), votersVoted: action.votersVoted },
          ...(action.expect === undefined ? {} : { expect: action.expect }),
          eventType: 'TurnoutReported',
          refusalEventType: 'TurnoutFigureRefused',
        });
        break;
      case 'close':
        out.push({
          atMs,
          pollingAreaId,
          lane,
          user: reporter,
          endpoint: 'POST /polling-areas/{id}/close',
          path: () => `${base}/close`,
          body: { at: fieldTime(date, action.at), votersVoted: action.votersVoted },
          eventType: 'PollingAreaClosed',
        });
        break;
      case 'minute':
        out.push({
          atMs,
          pollingAreaId,
          lane,
          user: reporter,
          endpoint: 'POST /polling-areas/{id}/minutes/{level}',
          path: minutePath(pollingAreaId, action.level, false),
          body: action.minute,
          ...(action.expect === undefined ? {} : { expect: action.expect }),
          eventType: 'CountingMinuteSubmitted',
          refusalEventType: 'CountingMinuteRefused',
        });
        break;
      case 'correction':
        out.push({
          atMs,
          pollingAreaId,
          lane,
          user: `commune-${communeId}`,
          endpoint: 'POST /polling-areas/{id}/minutes/{level}/corrections',
          path: minutePath(pollingAreaId, action.level, true),
          body: { ...action.minute, reason: action.reason },
          eventType: 'CountingMinuteCorrected',
        });
        break;
      default: {
        const never: never = action;
        throw new Error(`unknown action ${JSON.stringify(never)}`);
      }
    }
  }
  for (const incident of area.incidents) out.push(...incidentRequests(area, date, incident));
  return out.sort((a, b) => a.atMs - b.atMs);
}

export function checkInRequest(
  area: AreaPlan,
  cardNumber: string,
  minute: DayMinute,
  expect?: ExpectedRefusal,
): FieldRequest {
  const { pollingAreaId, electionDate } = area.area;
  return {
    atMs: epochOf(electionDate, minute),
    pollingAreaId,
    user: `pa-${pollingAreaId}`,
    endpoint: 'POST /check-ins',
    path: () => '/api/v1/check-ins',
    body: { cardNumber, pollingAreaId, at: fieldTime(electionDate, minute) },
    ...(expect === undefined ? {} : { expect }),
    eventType: 'VoterCheckedIn',
    refusalEventType: 'CheckInRefused',
  };
}

export function deliveryRequest(
  area: AreaPlan,
  cardNumber: string,
  atMs: number,
  unreachable: boolean,
): FieldRequest {
  const { pollingAreaId, communeId } = area.area;
  const at = new Date(atMs + 7 * 3_600_000).toISOString().replace('Z', '+07:00');
  return {
    atMs,
    pollingAreaId,
    user: `commune-${communeId}`,
    endpoint: unreachable
      ? 'POST /voter-cards/{card}/unreachable'
      : 'POST /voter-cards/{card}/delivered',
    path: () => `/api/v1/voter-cards/${cardNumber}/${unreachable ? 'unreachable' : 'delivered'}`,
    body: unreachable
      ? { at, note: 'Không gặp cử tri sau ba lần đến / not at home after three visits' }
      : { at },
    eventType: unreachable ? 'VoterMarkedUnreachable' : 'VoterCardDelivered',
  };
}
