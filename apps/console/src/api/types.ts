// The shapes the console reads from the gateway (design/api.md), in one place so they can be
// swapped for the gateway's shared zod types later. Fields api.md leaves open are marked ASSUMED.

export const roles = ['admin', 'ops', 'police', 'auditor', 'commune', 'reporter'] as const;
export type Role = (typeof roles)[number];

export interface Scope {
  readonly communeId?: string;
  readonly pollingAreaId?: string;
}

/** POST /auth/token */
export interface TokenAnswer {
  readonly accessToken: string;
  readonly tokenType: 'Bearer';
  readonly expiresIn: number;
  readonly role: Role;
  readonly scope: Scope;
}

/** application/problem+json */
export interface Problem {
  readonly type?: string;
  readonly title: string;
  readonly status: number;
  readonly code: string;
  readonly detail?: string;
  readonly errors?: readonly unknown[];
}

export interface AsOf {
  readonly asOfPosition: number;
}

/** 201 of every command. */
export interface CommandAnswer {
  readonly eventIds: readonly string[];
  readonly position: number;
}

export const levels = ['na', 'city', 'commune'] as const;
export type Level = (typeof levels)[number];

/** GET /overview */
export interface Overview extends AsOf {
  readonly votersOnList: number;
  readonly votersVoted: number;
  readonly checkIns: number;
  readonly turnoutPct: number;
  readonly pollingAreas: {
    readonly total: number;
    readonly opened: number;
    readonly reported: number;
    readonly closed: number;
  };
  readonly minutes: { readonly expected: number; readonly received: number };
  readonly anomaliesOpen: number;
  readonly incidentsOpen: number;
}

/** GET /turnout/timeline?communeId= */
export interface TimelinePoint {
  readonly at: string;
  readonly votersVoted: number;
  readonly turnoutPct: number;
}
export interface Timeline extends AsOf {
  readonly points: readonly TimelinePoint[];
}

/** One commune in GET /communes (ASSUMED fields beyond the ids and turnout). */
export interface CommuneSummary {
  readonly communeId: string;
  readonly name: string;
  readonly votersOnList: number;
  readonly votersVoted: number;
  readonly turnoutPct: number;
  readonly pollingAreas: {
    readonly total: number;
    readonly opened: number;
    readonly reported: number;
    readonly closed: number;
  };
  /** ASSUMED: the reporting round now running (from the schedule events) and how many of the
   * commune's areas have reported in it; null before the first round. */
  readonly currentRound: { readonly at: string; readonly reported: number } | null;
  readonly minutes: { readonly expected: number; readonly received: number };
  readonly anomaliesOpen: number;
  readonly incidentsOpen: number;
}
export interface CommuneList extends AsOf {
  readonly communes: readonly CommuneSummary[];
}

/** GET /communes/{communeId}: the summary plus minutes per level (ASSUMED). */
export interface CommuneDetail extends AsOf, CommuneSummary {
  readonly minutesByLevel: Readonly<
    Record<Level, { readonly expected: number; readonly received: number }>
  >;
}

export const pollingAreaStatuses = ['registered', 'opened', 'reported', 'closed'] as const;
export type PollingAreaStatus = (typeof pollingAreaStatuses)[number];

/** One area in GET /polling-areas?communeId= (checkIns and lastReportAt ASSUMED). */
export interface PollingAreaSummary {
  readonly pollingAreaId: string;
  readonly communeId: string;
  readonly votersOnList: number;
  readonly units: Readonly<Record<Level, string>>;
  readonly status: PollingAreaStatus;
  readonly votersVoted: number;
  readonly checkIns: number;
  readonly lastReportAt: string | null;
}
export interface PollingAreaList extends AsOf {
  readonly pollingAreas: readonly PollingAreaSummary[];
}

export const minuteStates = ['missing', 'received', 'corrected'] as const;
export type MinuteState = (typeof minuteStates)[number];

/** GET /polling-areas/{pollingAreaId} (reports, openedAt, closedAt, minutes ASSUMED). */
export interface PollingAreaDetail extends AsOf, PollingAreaSummary {
  readonly openedAt: string | null;
  readonly closedAt: string | null;
  readonly reports: readonly { readonly asOf: string; readonly votersVoted: number }[];
  readonly minutes: Readonly<Record<Level, MinuteState>>;
}

export interface Candidate {
  readonly candidateId: string;
  readonly name: string;
  readonly birthDate: string;
}

/** GET /electoral-units?level= */
export interface ElectoralUnit {
  readonly unitId: string;
  readonly level: Level;
  readonly name: string;
  readonly seats: number;
  readonly communeIds: readonly string[];
  readonly candidates: readonly Candidate[];
}
export interface ElectoralUnitList extends AsOf {
  readonly units: readonly ElectoralUnit[];
}

export const outcomes = [
  'counting',
  'elected',
  'revote_required',
  'additional_vote_required',
] as const;
export type Outcome = (typeof outcomes)[number];

/** GET /results/{level}/{unitId}; GET /results/{level} answers `{asOfPosition, units: [...]}`. */
export interface UnitResult {
  readonly unitId: string;
  readonly seats: number;
  readonly votersOnList: number;
  readonly votersVoted: number;
  readonly validBallots: number;
  readonly invalidBallots: number;
  readonly areasReporting: number;
  readonly areasTotal: number;
  readonly candidates: readonly (Candidate & {
    readonly votes: number;
    readonly pctOfValid: number;
    readonly elected: boolean;
  })[];
  readonly outcome: Outcome;
  readonly declared: boolean;
}
export interface LevelResults extends AsOf {
  readonly units: readonly UnitResult[];
}

export const incidentStatuses = [
  'reported',
  'acknowledged',
  'assigned',
  'resolved',
  'reopened',
] as const;
export type IncidentStatus = (typeof incidentStatuses)[number];
export const severities = ['low', 'medium', 'high', 'critical'] as const;
export type Severity = (typeof severities)[number];
export const incidentCategories = [
  'security',
  'public_order',
  'ballot_irregularity',
  'voter_list',
  'equipment',
  'power_or_network',
  'weather',
  'medical',
  'complaint',
  'other',
] as const;
export type IncidentCategory = (typeof incidentCategories)[number];

/** One incident in GET /incidents (reportedAt, unit, notes ASSUMED from the incident events). */
export interface Incident {
  readonly incidentId: string;
  readonly pollingAreaId: string;
  readonly communeId: string;
  readonly category: IncidentCategory;
  readonly severity: Severity;
  readonly status: IncidentStatus;
  readonly description: string;
  readonly occurredAt: string;
  readonly reportedAt: string;
  /** The unit it is with, if it was ever assigned. */
  readonly unit: string | null;
  readonly notes: readonly { readonly text: string; readonly at: string; readonly by: string }[];
}
export interface IncidentList extends AsOf {
  readonly incidents: readonly Incident[];
}

export const anomalyStatuses = ['open', 'acknowledged', 'dismissed'] as const;
export type AnomalyStatus = (typeof anomalyStatuses)[number];

/** One piece of evidence: an event that raised the anomaly (ASSUMED: with its stream and position,
 * so the console can open the event log at it with the filters api.md has). */
export interface Evidence {
  readonly eventId: string;
  readonly streamId: string;
  readonly position: number;
  readonly type: string;
}

/** One anomaly in GET /anomalies (ASSUMED fields). */
export interface Anomaly {
  readonly anomalyId: string;
  readonly kind: string;
  readonly severity: Severity;
  readonly status: AnomalyStatus;
  readonly communeId: string | null;
  readonly pollingAreaId: string | null;
  readonly detectedAt: string;
  readonly summary: string;
  readonly evidence: readonly Evidence[];
  /** The acknowledgement note or the dismissal reason. */
  readonly note: string | null;
}
export interface AnomalyList extends AsOf {
  readonly anomalies: readonly Anomaly[];
}

/** One event of GET /events, as stored. */
export interface RecordedEvent {
  readonly eventId: string;
  readonly type: string;
  readonly schemaVersion: number;
  readonly streamId: string;
  readonly data: Readonly<Record<string, unknown>>;
  readonly metadata: {
    readonly occurredAt: string;
    readonly actor: { readonly id: string; readonly role: string };
    readonly correlationId: string;
  };
  readonly position: number;
  readonly streamRevision: number;
  readonly recordedAt: string;
  readonly prevHash: string;
  readonly hash: string;
}
export interface EventPage extends AsOf {
  readonly events: readonly RecordedEvent[];
}

/** GET /ledger/verify */
export interface LedgerVerification {
  readonly ok: boolean;
  readonly checkedFrom: number;
  readonly checkedTo: number;
  readonly headHash: string;
  readonly firstBadPosition?: number;
}

/** One `event: committed` message of GET /live (ASSUMED; see live.ts). */
export interface LiveCommitted {
  readonly position: number;
  readonly type: string;
  readonly streamId: string;
}
