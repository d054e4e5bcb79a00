// The read-model tables the projections write, described once: each row's shape, its columns with
// their PostgreSQL types (the batch writer casts by these), its key and, where a projection needs
// to look rows up by something else, its group.

/** An instant as the projections keep it: `Date#toISOString()`, so memory and database agree. */
export type Iso = string;

export interface CityOverviewRow {
  readonly id: number;
  readonly voters_on_list: number;
  readonly voters_voted: number;
  readonly check_ins: number;
  readonly polling_areas_total: number;
  readonly polling_areas_opened: number;
  readonly polling_areas_reported: number;
  readonly polling_areas_closed: number;
  readonly minutes_expected: number;
  readonly minutes_received: number;
  readonly position: number;
}

export interface CommuneProgressRow extends Omit<CityOverviewRow, 'id'> {
  readonly commune_id: string;
}

export type AreaStatus = 'not_opened' | 'open' | 'closed';

export interface PollingAreaStatusRow {
  readonly polling_area_id: string;
  readonly commune_id: string | null;
  readonly voters_on_list: number;
  readonly status: AreaStatus;
  readonly opened_at: Iso | null;
  readonly closed_at: Iso | null;
  readonly last_report_as_of: Iso | null;
  readonly voters_voted: number;
  readonly turnout_reports: number;
  readonly check_ins: number;
  readonly check_ins_refused: number;
  readonly minute_version_na: number;
  readonly minute_version_city: number;
  readonly minute_version_commune: number;
  readonly position: number;
}

export type TimelineScope = 'city' | 'commune' | 'area';

export interface TurnoutTimelineRow {
  readonly scope_kind: TimelineScope;
  readonly scope_id: string;
  readonly at: Iso;
  readonly voters_voted: number;
  readonly areas_reporting: number;
  readonly last_as_of: Iso;
  readonly position: number;
}

export interface VoterCardDistributionRow {
  readonly commune_id: string;
  readonly registered: number;
  readonly delivered: number;
  readonly unreachable: number;
  readonly struck_off: number;
  readonly transferred_in: number;
  readonly transferred_out: number;
  readonly checked_in: number;
  readonly check_ins_refused: number;
  readonly duplicate_registrations: number;
  readonly position: number;
}

export interface TallyMinuteRow {
  readonly polling_area_id: string;
  readonly level: string;
  readonly unit_id: string;
  readonly commune_id: string | null;
  readonly version: number;
  readonly voters_on_list: number;
  readonly voters_voted: number;
  readonly ballots_issued: number;
  readonly ballots_received: number;
  readonly valid_ballots: number;
  readonly invalid_ballots: number;
  readonly complaints_received: number;
  readonly complaints_resolved: number;
  readonly complaints_forwarded: number;
  readonly votes: Readonly<Record<string, number>>;
  readonly submitted_at: Iso;
  readonly submitted_by: string;
  readonly corrected_at: Iso | null;
  readonly corrected_by: string | null;
  readonly correction_reason: string | null;
  readonly position: number;
}

export interface UnitResultCandidate {
  readonly candidateId: string;
  readonly birthDate: string;
  readonly votes: number;
  readonly pctOfValid: number;
  readonly elected: boolean;
}

export interface UnitResultRow {
  readonly unit_id: string;
  readonly level: string;
  readonly seats: number;
  readonly voters_on_list: number;
  readonly voters_voted: number;
  readonly valid_ballots: number;
  readonly invalid_ballots: number;
  readonly areas_reporting: number;
  readonly areas_total: number;
  readonly outcome: string;
  readonly candidates: readonly UnitResultCandidate[];
  readonly tied_at_last_seat: readonly string[];
  readonly declared: boolean;
  readonly declared_at: Iso | null;
  readonly declared_outcome: string | null;
  readonly declarations: number;
  readonly position: number;
}

export interface IncidentRow {
  readonly incident_id: string;
  readonly polling_area_id: string;
  readonly commune_id: string | null;
  readonly category: string;
  readonly severity: string;
  readonly status: string;
  readonly description: string;
  readonly occurred_at: Iso;
  readonly reported_at: Iso;
  readonly updated_at: Iso;
  readonly assigned_unit: string | null;
  readonly resolution: string | null;
  readonly notes: number;
  readonly history_count: number;
  readonly position: number;
}

export interface AnomalyRow {
  readonly anomaly_id: string;
  readonly kind: string;
  readonly severity: string;
  readonly status: 'open' | 'acknowledged' | 'dismissed';
  readonly polling_area_id: string | null;
  readonly commune_id: string | null;
  readonly summary: string;
  readonly subject: Readonly<Record<string, unknown>>;
  readonly facts: Readonly<Record<string, unknown>>;
  readonly evidence: readonly string[];
  readonly at_position: number;
  readonly detected_at: Iso;
  readonly updated_at: Iso;
  readonly note: string | null;
  readonly position: number;
}

export interface Tables {
  city_overview: CityOverviewRow;
  commune_progress: CommuneProgressRow;
  polling_area_status: PollingAreaStatusRow;
  turnout_timeline: TurnoutTimelineRow;
  voter_card_distribution: VoterCardDistributionRow;
  tally_minute: TallyMinuteRow;
  unit_result: UnitResultRow;
  incident: IncidentRow;
  anomaly: AnomalyRow;
}
export type TableName = keyof Tables;

export type ColumnType = 'text' | 'integer' | 'bigint' | 'boolean' | 'timestamptz' | 'jsonb';

export interface TableSpec<T extends TableName> {
  readonly name: T;
  readonly columns: readonly {
    readonly name: keyof Tables[T] & string;
    readonly type: ColumnType;
  }[];
  readonly primaryKey: readonly (keyof Tables[T] & string)[];
  /** Rows a projection looks up together (a scope's timeline, a unit's minutes). */
  readonly group?: (row: Tables[T]) => string;
}

type Columns<T extends TableName> = TableSpec<T>['columns'];

const c = <T extends TableName>(spec: Record<keyof Tables[T] & string, ColumnType>): Columns<T> =>
  (Object.entries(spec) as [keyof Tables[T] & string, ColumnType][]).map(([name, type]) => ({
    name,
    type,
  }));

const progressColumns = {
  voters_on_list: 'integer',
  voters_voted: 'integer',
  check_ins: 'integer',
  polling_areas_total: 'integer',
  polling_areas_opened: 'integer',
  polling_areas_reported: 'integer',
  polling_areas_closed: 'integer',
  minutes_expected: 'integer',
  minutes_received: 'integer',
  position: 'bigint',
} as const;

export const tableSpecs: { readonly [T in TableName]: TableSpec<T> } = {
  city_overview: {
    name: 'city_overview',
    columns: c<'city_overview'>({ id: 'integer', ...progressColumns }),
    primaryKey: ['id'],
  },
  commune_progress: {
    name: 'commune_progress',
    columns: c<'commune_progress'>({ commune_id: 'text', ...progressColumns }),
    primaryKey: ['commune_id'],
  },
  polling_area_status: {
    name: 'polling_area_status',
    columns: c<'polling_area_status'>({
      polling_area_id: 'text',
      commune_id: 'text',
      voters_on_list: 'integer',
      status: 'text',
      opened_at: 'timestamptz',
      closed_at: 'timestamptz',
      last_report_as_of: 'timestamptz',
      voters_voted: 'integer',
      turnout_reports: 'integer',
      check_ins: 'integer',
      check_ins_refused: 'integer',
      minute_version_na: 'integer',
      minute_version_city: 'integer',
      minute_version_commune: 'integer',
      position: 'bigint',
    }),
    primaryKey: ['polling_area_id'],
  },
  turnout_timeline: {
    name: 'turnout_timeline',
    columns: c<'turnout_timeline'>({
      scope_kind: 'text',
      scope_id: 'text',
      at: 'timestamptz',
      voters_voted: 'integer',
      areas_reporting: 'integer',
      last_as_of: 'timestamptz',
      position: 'bigint',
    }),
    primaryKey: ['scope_kind', 'scope_id', 'at'],
    group: (row) => `${row.scope_kind}|${row.scope_id}`,
  },
  voter_card_distribution: {
    name: 'voter_card_distribution',
    columns: c<'voter_card_distribution'>({
      commune_id: 'text',
      registered: 'integer',
      delivered: 'integer',
      unreachable: 'integer',
      struck_off: 'integer',
      transferred_in: 'integer',
      transferred_out: 'integer',
      checked_in: 'integer',
      check_ins_refused: 'integer',
      duplicate_registrations: 'integer',
      position: 'bigint',
    }),
    primaryKey: ['commune_id'],
  },
  tally_minute: {
    name: 'tally_minute',
    columns: c<'tally_minute'>({
      polling_area_id: 'text',
      level: 'text',
      unit_id: 'text',
      commune_id: 'text',
      version: 'integer',
      voters_on_list: 'integer',
      voters_voted: 'integer',
      ballots_issued: 'integer',
      ballots_received: 'integer',
      valid_ballots: 'integer',
      invalid_ballots: 'integer',
      complaints_received: 'integer',
      complaints_resolved: 'integer',
      complaints_forwarded: 'integer',
      votes: 'jsonb',
      submitted_at: 'timestamptz',
      submitted_by: 'text',
      corrected_at: 'timestamptz',
      corrected_by: 'text',
      correction_reason: 'text',
      position: 'bigint',
    }),
    primaryKey: ['polling_area_id', 'level'],
    group: (row) => row.unit_id,
  },
  unit_result: {
    name: 'unit_result',
    columns: c<'unit_result'>({
      unit_id: 'text',
      level: 'text',
      seats: 'integer',
      voters_on_list: 'integer',
      voters_voted: 'integer',
      valid_ballots: 'integer',
      invalid_ballots: 'integer',
      areas_reporting: 'integer',
      areas_total: 'integer',
      outcome: 'text',
      candidates: 'jsonb',
      tied_at_last_seat: 'jsonb',
      declared: 'boolean',
      declared_at: 'timestamptz',
      declared_outcome: 'text',
      declarations: 'integer',
      position: 'bigint',
    }),
    primaryKey: ['unit_id'],
  },
  incident: {
    name: 'incident',
    columns: c<'incident'>({
      incident_id: 'text',
      polling_area_id: 'text',
      commune_id: 'text',
      category: 'text',
      severity: 'text',
      status: 'text',
      description: 'text',
      occurred_at: 'timestamptz',
      reported_at: 'timestamptz',
      updated_at: 'timestamptz',
      assigned_unit: 'text',
      resolution: 'text',
      notes: 'integer',
      history_count: 'integer',
      position: 'bigint',
    }),
    primaryKey: ['incident_id'],
  },
  anomaly: {
    name: 'anomaly',
    columns: c<'anomaly'>({
      anomaly_id: 'text',
      kind: 'text',
      severity: 'text',
      status: 'text',
      polling_area_id: 'text',
      commune_id: 'text',
      summary: 'text',
      subject: 'jsonb',
      facts: 'jsonb',
      evidence: 'jsonb',
      at_position: 'bigint',
      detected_at: 'timestamptz',
      updated_at: 'timestamptz',
      note: 'text',
      position: 'bigint',
    }),
    primaryKey: ['anomaly_id'],
  },
};

export const tableNames = Object.keys(tableSpecs) as TableName[];

/** The row's primary key as one string (parts joined by a separator no id may contain). */
export function rowKey<T extends TableName>(table: T, row: Tables[T]): string {
  const keys: TableSpec<T>['primaryKey'] = tableSpecs[table].primaryKey;
  if (keys.length === 1 && keys[0] !== undefined) return String(row[keys[0]]);
  return keys.map((k) => String(row[k])).join('|');
}

/** Canonical instant: what the projections store and compare. */
export function iso(at: string): Iso {
  return new Date(at).toISOString();
}
