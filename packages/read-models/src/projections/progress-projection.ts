// City overview, commune progress and polling-area status: opened, reported, closed, latest
// team-reported turnout, card check-ins, minutes in per level. One projection, because the
// overview and the communes are sums over the areas and must move together.
import {
  CheckInRefused,
  CountingMinuteCorrected,
  CountingMinuteSubmitted,
  PollingAreaClosed,
  PollingAreaOpened,
  PollingAreaRegistered,
  TurnoutReported,
  VoterCheckedIn,
  VoterListAdjusted,
  assertNever,
  type Level,
  type RecordedEvent,
} from '@hpe/domain';
import {
  change,
  eventData,
  type Projection,
  type ProjectionView,
  type RowChange,
} from './projection.js';
import type { ReferenceModel } from './reference-model.js';
import {
  iso,
  type CityOverviewRow,
  type CommuneProgressRow,
  type PollingAreaStatusRow,
} from './tables.js';

const handled = [
  'PollingAreaRegistered',
  'VoterListAdjusted',
  'PollingAreaOpened',
  'TurnoutReported',
  'PollingAreaClosed',
  'VoterCheckedIn',
  'CheckInRefused',
  'CountingMinuteSubmitted',
  'CountingMinuteCorrected',
] as const;
type Handled = (typeof handled)[number];

export const OVERVIEW_ID = 1;
const levelsPerArea = 3;

type Counters = Omit<CityOverviewRow, 'id' | 'position'>;
const zero: Counters = {
  voters_on_list: 0,
  voters_voted: 0,
  check_ins: 0,
  polling_areas_total: 0,
  polling_areas_opened: 0,
  polling_areas_reported: 0,
  polling_areas_closed: 0,
  minutes_expected: 0,
  minutes_received: 0,
};

function newArea(pollingAreaId: string, reference: ReferenceModel): PollingAreaStatusRow {
  const ref = reference.areas.get(pollingAreaId);
  return {
    polling_area_id: pollingAreaId,
    commune_id: ref?.communeId ?? null,
    voters_on_list: ref?.votersOnList ?? 0,
    status: 'not_opened',
    opened_at: null,
    closed_at: null,
    last_report_as_of: null,
    voters_voted: 0,
    turnout_reports: 0,
    check_ins: 0,
    check_ins_refused: 0,
    minute_version_na: 0,
    minute_version_city: 0,
    minute_version_commune: 0,
    position: 0,
  };
}

/** What an area counts for in its commune and the city. */
function contribution(area: PollingAreaStatusRow | undefined): Counters {
  if (area === undefined) return zero;
  const minutes =
    (area.minute_version_na > 0 ? 1 : 0) +
    (area.minute_version_city > 0 ? 1 : 0) +
    (area.minute_version_commune > 0 ? 1 : 0);
  return {
    voters_on_list: area.voters_on_list,
    voters_voted: area.voters_voted,
    check_ins: area.check_ins,
    polling_areas_total: 1,
    polling_areas_opened: area.opened_at === null ? 0 : 1,
    polling_areas_reported: area.turnout_reports > 0 || area.status === 'closed' ? 1 : 0,
    polling_areas_closed: area.status === 'closed' ? 1 : 0,
    minutes_expected: levelsPerArea,
    minutes_received: minutes,
  };
}

/** What changed between two contributions. Spelled out without spreads: this runs for every check-in. */
function delta(was: Counters, is: Counters): Counters {
  return {
    voters_on_list: is.voters_on_list - was.voters_on_list,
    voters_voted: is.voters_voted - was.voters_voted,
    check_ins: is.check_ins - was.check_ins,
    polling_areas_total: is.polling_areas_total - was.polling_areas_total,
    polling_areas_opened: is.polling_areas_opened - was.polling_areas_opened,
    polling_areas_reported: is.polling_areas_reported - was.polling_areas_reported,
    polling_areas_closed: is.polling_areas_closed - was.polling_areas_closed,
    minutes_expected: is.minutes_expected - was.minutes_expected,
    minutes_received: is.minutes_received - was.minutes_received,
  };
}

function cityRow(row: CityOverviewRow, d: Counters, position: number): CityOverviewRow {
  return {
    id: row.id,
    voters_on_list: row.voters_on_list + d.voters_on_list,
    voters_voted: row.voters_voted + d.voters_voted,
    check_ins: row.check_ins + d.check_ins,
    polling_areas_total: row.polling_areas_total + d.polling_areas_total,
    polling_areas_opened: row.polling_areas_opened + d.polling_areas_opened,
    polling_areas_reported: row.polling_areas_reported + d.polling_areas_reported,
    polling_areas_closed: row.polling_areas_closed + d.polling_areas_closed,
    minutes_expected: row.minutes_expected + d.minutes_expected,
    minutes_received: row.minutes_received + d.minutes_received,
    position,
  };
}

function communeRow(row: CommuneProgressRow, d: Counters, position: number): CommuneProgressRow {
  return {
    commune_id: row.commune_id,
    voters_on_list: row.voters_on_list + d.voters_on_list,
    voters_voted: row.voters_voted + d.voters_voted,
    check_ins: row.check_ins + d.check_ins,
    polling_areas_total: row.polling_areas_total + d.polling_areas_total,
    polling_areas_opened: row.polling_areas_opened + d.polling_areas_opened,
    polling_areas_reported: row.polling_areas_reported + d.polling_areas_reported,
    polling_areas_closed: row.polling_areas_closed + d.polling_areas_closed,
    minutes_expected: row.minutes_expected + d.minutes_expected,
    minutes_received: row.minutes_received + d.minutes_received,
    position,
  };
}

function minuteColumn(
  level: Level,
): 'minute_version_na' | 'minute_version_city' | 'minute_version_commune' {
  switch (level) {
    case 'na':
      return 'minute_version_na';
    case 'city':
      return 'minute_version_city';
    case 'commune':
      return 'minute_version_commune';
    default:
      return assertNever(level, 'level');
  }
}

/** The area's row after the event. */
function nextArea(
  type: Handled,
  event: RecordedEvent,
  area: PollingAreaStatusRow,
): PollingAreaStatusRow {
  const position = event.position;
  switch (type) {
    case 'PollingAreaRegistered':
      return {
        ...area,
        voters_on_list: eventData(PollingAreaRegistered, event).votersOnList,
        position,
      };
    case 'VoterListAdjusted':
      return {
        ...area,
        voters_on_list: eventData(VoterListAdjusted, event).votersOnList,
        position,
      };
    case 'PollingAreaOpened': {
      const { at } = eventData(PollingAreaOpened, event);
      return {
        ...area,
        status: area.status === 'closed' ? 'closed' : 'open',
        opened_at: area.opened_at ?? iso(at),
        position,
      };
    }
    case 'TurnoutReported': {
      const { asOf, votersVoted } = eventData(TurnoutReported, event);
      return {
        ...area,
        voters_voted: votersVoted,
        last_report_as_of: iso(asOf),
        turnout_reports: area.turnout_reports + 1,
        position,
      };
    }
    case 'PollingAreaClosed': {
      const { at, votersVoted } = eventData(PollingAreaClosed, event);
      return { ...area, status: 'closed', closed_at: iso(at), voters_voted: votersVoted, position };
    }
    case 'VoterCheckedIn':
      return { ...area, check_ins: area.check_ins + 1, position };
    case 'CheckInRefused':
      return { ...area, check_ins_refused: area.check_ins_refused + 1, position };
    case 'CountingMinuteSubmitted': {
      const { level } = eventData(CountingMinuteSubmitted, event);
      return { ...area, [minuteColumn(level)]: 1, position };
    }
    case 'CountingMinuteCorrected': {
      const { level, version } = eventData(CountingMinuteCorrected, event);
      return { ...area, [minuteColumn(level)]: version, position };
    }
    default:
      return assertNever(type, 'progress event');
  }
}

function areaIdOf(type: Handled, event: RecordedEvent): string {
  switch (type) {
    case 'VoterCheckedIn':
      return eventData(VoterCheckedIn, event).pollingAreaId;
    case 'CheckInRefused':
      // Counted where the attempt was made, not where the card is listed.
      return eventData(CheckInRefused, event).pollingAreaId;
    case 'PollingAreaRegistered':
    case 'VoterListAdjusted':
    case 'PollingAreaOpened':
    case 'TurnoutReported':
    case 'PollingAreaClosed':
    case 'CountingMinuteSubmitted':
    case 'CountingMinuteCorrected': {
      const id = event.data['pollingAreaId'];
      if (typeof id !== 'string') throw new Error(`event ${event.eventId} has no pollingAreaId`);
      return id;
    }
    default:
      return assertNever(type, 'progress event');
  }
}

const handledSet: ReadonlySet<string> = new Set(handled);
const isHandled = (type: string): type is Handled => handledSet.has(type);

export const progressProjection: Projection = {
  name: 'progress',
  handles: handledSet,
  tables: ['city_overview', 'commune_progress', 'polling_area_status'],
  seed(reference) {
    const changes: RowChange[] = [];
    let city: CityOverviewRow = { id: OVERVIEW_ID, ...zero, position: 0 };
    const communes = new Map<string, CommuneProgressRow>(
      reference.communeIds.map((id) => [id, { commune_id: id, ...zero, position: 0 }]),
    );
    for (const ref of reference.areas.values()) {
      const area = newArea(ref.pollingAreaId, reference);
      changes.push(change('polling_area_status', area));
      const add = contribution(area);
      city = cityRow(city, add, 0);
      const commune = communes.get(ref.communeId);
      if (commune !== undefined) communes.set(ref.communeId, communeRow(commune, add, 0));
    }
    for (const commune of communes.values()) changes.push(change('commune_progress', commune));
    changes.push(change('city_overview', city));
    return changes;
  },
  project(event, view: ProjectionView, reference) {
    if (!isHandled(event.type)) return [];
    const areaId = areaIdOf(event.type, event);
    const before = view.get('polling_area_status', areaId);
    const after = nextArea(event.type, event, before ?? newArea(areaId, reference));
    const changes: RowChange[] = [change('polling_area_status', after)];
    const d = delta(contribution(before), contribution(after));
    const city = view.get('city_overview', String(OVERVIEW_ID)) ?? {
      id: OVERVIEW_ID,
      ...zero,
      position: 0,
    };
    changes.push(change('city_overview', cityRow(city, d, event.position)));
    if (after.commune_id !== null) {
      const commune = view.get('commune_progress', after.commune_id) ?? {
        commune_id: after.commune_id,
        ...zero,
        position: 0,
      };
      changes.push(change('commune_progress', communeRow(commune, d, event.position)));
    }
    return changes;
  },
};
