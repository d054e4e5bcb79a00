// The shapes the console reads from the gateway (design/api.md and the gateway's query
// controllers, apps/gateway/src/queries), in one place; only the fields the console uses.

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

/** Whose figures an answer holds: the city, a commune account's commune, a reporter's area. */
export interface AnswerScope {
  readonly kind: 'city' | 'commune' | 'pollingArea' | 'area';
  readonly id?: string;
}

export interface AreaCounts {
  readonly total: number;
  readonly opened: number;
  readonly reported: number;
  readonly closed: number;
}

/** GET /overview */
export interface Overview extends AsOf {
  readonly scope?: AnswerScope;
  readonly votersOnList: number;
  readonly votersVoted: number;
  readonly checkIns: number;
  readonly turnoutPct: number;
  readonly pollingAreas: AreaCounts;
  readonly minutes: { readonly expected: number; readonly received: number };
  readonly anomaliesOpen: number;
  readonly incidentsOpen: number;
}

/** GET /turnout/timeline?communeId=|pollingAreaId= (15-minute steps). */
export interface TimelinePoint {
  readonly at: string;
  readonly votersVoted: number;
  readonly turnoutPct: number;
  readonly areasReporting?: number;
}
export interface Timeline extends AsOf {
  readonly points: readonly TimelinePoint[];
}

/** One commune in GET /communes?round=HH:MM. */
export interface CommuneSummary {
  readonly communeId: string;
  readonly name: string;
  /** The commune's polling day (Bạch Long Vĩ votes a day early). */
  readonly electionDate: string;
  readonly votersOnList: number;
  readonly votersVoted: number;
  readonly checkIns: number;
  readonly turnoutPct: number;
  readonly pollingAreas: AreaCounts;
  readonly minutes: { readonly expected: number; readonly received: number };
  readonly anomaliesOpen: number;
  readonly incidentsOpen: number;
  /** Only when asked with `?round=`: that round's instant and how many areas reported as of it. */
  readonly round?: { readonly at: string; readonly reported: number };
}
export interface CommuneList extends AsOf {
  readonly communes: readonly CommuneSummary[];
}

/** GET /communes/{communeId}: the summary plus its voter cards. */
export interface CommuneDetail extends AsOf, CommuneSummary {
  readonly cards?: {
    readonly registered: number;
    readonly delivered: number;
    readonly checkedIn: number;
  };
}

export const pollingAreaStatuses = ['not_opened', 'open', 'closed'] as const;
export type PollingAreaStatus = (typeof pollingAreaStatuses)[number];

/** One area in GET /polling-areas?communeId=. */
export interface PollingAreaSummary {
  readonly pollingAreaId: string;
  readonly communeId: string;
  readonly name: string;
  readonly votersOnList: number;
  readonly units: Readonly<Record<Level, string>>;
  readonly status: PollingAreaStatus;
  /** Whether the team has sent any turnout figure. */
  readonly reported: boolean;
  /** The time its latest figure is as of. */
  readonly lastReportAsOf: string | null;
  readonly votersVoted: number;
  readonly turnoutPct: number;
  readonly checkIns: number;
  /** Levels whose counting minute is in (0–3). */
  readonly minutesReceived: number;
}
export interface PollingAreaList extends AsOf {
  readonly pollingAreas: readonly PollingAreaSummary[];
}

/** One level's counting minute as the area holds it now (a correction supersedes, version > 1). */
export interface AreaMinute {
  readonly level: Level;
  readonly unitId: string;
  readonly version: number;
  readonly votersVoted: number;
  readonly ballotsReceived: number;
  readonly validBallots: number;
  readonly invalidBallots: number;
  readonly submittedAt: string;
  readonly correctedAt: string | null;
  readonly correctionReason: string | null;
}

/** GET /polling-areas/{pollingAreaId} */
export interface PollingAreaDetail extends AsOf {
  readonly pollingAreaId: string;
  readonly communeId: string;
  readonly name: string;
  readonly units: Readonly<Record<Level, string>>;
  readonly votersOnList: number;
  readonly status: PollingAreaStatus;
  readonly openedAt: string | null;
  readonly closedAt: string | null;
  readonly lastReportAsOf: string | null;
  readonly turnoutReports: number;
  readonly votersVoted: number;
  readonly turnoutPct: number;
  readonly checkIns: number;
  readonly checkInsRefused: number;
  readonly minutes: readonly AreaMinute[];
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
  readonly name?: string;
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

/** One incident in GET /incidents. */
export interface Incident {
  readonly incidentId: string;
  readonly pollingAreaId: string;
  readonly communeId: string | null;
  readonly category: IncidentCategory;
  readonly severity: Severity;
  readonly status: IncidentStatus;
  readonly description: string;
  readonly occurredAt: string;
  readonly reportedAt: string;
  readonly updatedAt: string;
  /** The unit it is with, if it was ever assigned. */
  readonly assignedUnit: string | null;
  readonly resolution: string | null;
  /** How many notes it has (their text is in the event log). */
  readonly notes: number;
}
export interface IncidentList extends AsOf {
  readonly incidents: readonly Incident[];
}

export const anomalyStatuses = ['open', 'acknowledged', 'dismissed'] as const;
export type AnomalyStatus = (typeof anomalyStatuses)[number];

export const anomalySeverities = ['low', 'medium', 'high'] as const;

/** One anomaly in GET /anomalies. */
export interface Anomaly {
  readonly anomalyId: string;
  readonly kind: string;
  readonly severity: (typeof anomalySeverities)[number];
  readonly status: AnomalyStatus;
  readonly communeId: string | null;
  readonly pollingAreaId: string | null;
  readonly summary: string;
  /** The figures behind it, flat. */
  readonly facts: Readonly<Record<string, unknown>>;
  /** Ids of the events that raised it, the triggering one first. */
  readonly evidence: readonly string[];
  /** The log position of the triggering event. */
  readonly atPosition: number;
  readonly detectedAt: string;
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
  /** Where the next page starts; absent at the end of the log. */
  readonly nextPosition?: number;
}

/** GET /ledger/verify */
export interface LedgerVerification {
  readonly ok: boolean;
  readonly checkedFrom: number;
  readonly checkedTo: number;
  readonly headHash: string;
  readonly firstBadPosition?: number;
}

/** One `event: committed` message of GET /live. */
export interface LiveCommitted {
  readonly position: number;
  readonly type: string;
  readonly streamId: string;
}
