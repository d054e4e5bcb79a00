// Counting minutes (the current version per area and level) and each electoral unit's running
// result, computed by the domain's one result function over the unit's reporting areas, with the
// declaration in force.
import {
  CountingMinuteCorrected,
  CountingMinuteSubmitted,
  Level,
  UnitResultDeclarationReverted,
  UnitResultDeclared,
  decideUnitResult,
  type CountingMinute,
} from '@hpe/domain';
import {
  change,
  eventData,
  type Projection,
  type ProjectionView,
  type RowChange,
} from './projection.js';
import type { ReferenceModel, ReferenceUnit } from './reference-model.js';
import { iso, type TallyMinuteRow, type UnitResultRow } from './tables.js';

const handled = [
  'CountingMinuteSubmitted',
  'CountingMinuteCorrected',
  'UnitResultDeclared',
  'UnitResultDeclarationReverted',
] as const;

function minuteOf(row: TallyMinuteRow): CountingMinute {
  return {
    votersOnList: row.voters_on_list,
    votersVoted: row.voters_voted,
    ballotsIssued: row.ballots_issued,
    ballotsReceived: row.ballots_received,
    validBallots: row.valid_ballots,
    invalidBallots: row.invalid_ballots,
    votes: { ...row.votes },
    complaints: {
      received: row.complaints_received,
      resolved: row.complaints_resolved,
      forwarded: row.complaints_forwarded,
    },
  };
}

/** The result as decideUnitResult gives it on the unit's current minutes (declaration kept). */
function resultRow(
  unit: ReferenceUnit,
  minutes: readonly TallyMinuteRow[],
  previous: UnitResultRow | undefined,
  position: number,
): UnitResultRow {
  const level = Level.parse(unit.level);
  const result = decideUnitResult({
    unitId: unit.unitId,
    level,
    seats: unit.seats,
    votersOnList: unit.votersOnList,
    candidates: unit.candidates,
    // Only the unit's own areas, in a stable order: the sums do not depend on arrival order.
    minutes: minutes
      .filter((m) => m.level === level && unit.areaIds.has(m.polling_area_id))
      .sort((a, b) => (a.polling_area_id < b.polling_area_id ? -1 : 1))
      .map((m) => ({ pollingAreaId: m.polling_area_id, minute: minuteOf(m) })),
    areasTotal: Math.max(1, unit.areaIds.size),
  });
  return {
    unit_id: unit.unitId,
    level,
    seats: unit.seats,
    voters_on_list: result.votersOnList,
    voters_voted: result.votersVoted,
    valid_ballots: result.validBallots,
    invalid_ballots: result.invalidBallots,
    areas_reporting: result.areasReporting,
    areas_total: result.areasTotal,
    outcome: result.outcome,
    candidates: result.candidates,
    tied_at_last_seat: result.tiedAtLastSeat,
    declared: previous?.declared ?? false,
    declared_at: previous?.declared_at ?? null,
    declared_outcome: previous?.declared_outcome ?? null,
    declarations: previous?.declarations ?? 0,
    position,
  };
}

function minuteChanges(
  view: ProjectionView,
  reference: ReferenceModel,
  row: TallyMinuteRow,
): RowChange[] {
  const changes: RowChange[] = [change('tally_minute', row)];
  const unit = reference.units.get(row.unit_id);
  // A unit outside the reference data has no seats or candidates to decide with.
  if (unit === undefined) return changes;
  const others = view
    .group('tally_minute', row.unit_id)
    .filter((m) => !(m.polling_area_id === row.polling_area_id && m.level === row.level));
  const previous = view.get('unit_result', row.unit_id);
  changes.push(change('unit_result', resultRow(unit, [...others, row], previous, row.position)));
  return changes;
}

export const talliesProjection: Projection = {
  name: 'tallies',
  handles: new Set(handled),
  tables: ['tally_minute', 'unit_result'],
  seed: (reference) =>
    [...reference.units.values()]
      .filter((unit) => unit.areaIds.size > 0)
      .map((unit) => change('unit_result', resultRow(unit, [], undefined, 0))),
  project(event, view, reference) {
    const position = event.position;
    switch (event.type) {
      case 'CountingMinuteSubmitted': {
        const d = eventData(CountingMinuteSubmitted, event);
        const m = d.minute;
        return minuteChanges(view, reference, {
          polling_area_id: d.pollingAreaId,
          level: d.level,
          unit_id: d.unitId,
          commune_id: reference.areas.get(d.pollingAreaId)?.communeId ?? null,
          version: d.version,
          voters_on_list: m.votersOnList,
          voters_voted: m.votersVoted,
          ballots_issued: m.ballotsIssued,
          ballots_received: m.ballotsReceived,
          valid_ballots: m.validBallots,
          invalid_ballots: m.invalidBallots,
          complaints_received: m.complaints.received,
          complaints_resolved: m.complaints.resolved,
          complaints_forwarded: m.complaints.forwarded,
          votes: m.votes,
          submitted_at: iso(d.submittedAt),
          submitted_by: d.by,
          corrected_at: null,
          corrected_by: null,
          correction_reason: null,
          position,
        });
      }
      case 'CountingMinuteCorrected': {
        const d = eventData(CountingMinuteCorrected, event);
        const m = d.minute;
        const key = `${d.pollingAreaId}|${d.level}`;
        const earlier = view.get('tally_minute', key);
        return minuteChanges(view, reference, {
          polling_area_id: d.pollingAreaId,
          level: d.level,
          unit_id: d.unitId,
          commune_id: reference.areas.get(d.pollingAreaId)?.communeId ?? null,
          version: d.version,
          voters_on_list: m.votersOnList,
          voters_voted: m.votersVoted,
          ballots_issued: m.ballotsIssued,
          ballots_received: m.ballotsReceived,
          valid_ballots: m.validBallots,
          invalid_ballots: m.invalidBallots,
          complaints_received: m.complaints.received,
          complaints_resolved: m.complaints.resolved,
          complaints_forwarded: m.complaints.forwarded,
          votes: m.votes,
          // The first submission's time and author stay; the correction's are beside them.
          submitted_at: earlier?.submitted_at ?? iso(d.correctedAt),
          submitted_by: earlier?.submitted_by ?? d.by,
          corrected_at: iso(d.correctedAt),
          corrected_by: d.by,
          correction_reason: d.reason,
          position,
        });
      }
      case 'UnitResultDeclared': {
        const d = eventData(UnitResultDeclared, event);
        const unit = reference.units.get(d.unitId);
        const row =
          view.get('unit_result', d.unitId) ??
          (unit === undefined ? undefined : resultRow(unit, [], undefined, position));
        if (row === undefined) return [];
        return [
          change('unit_result', {
            ...row,
            declared: true,
            declared_at: iso(d.declaredAt),
            declared_outcome: d.result.outcome,
            declarations: row.declarations + 1,
            position,
          }),
        ];
      }
      case 'UnitResultDeclarationReverted': {
        const d = eventData(UnitResultDeclarationReverted, event);
        const row = view.get('unit_result', d.unitId);
        if (row === undefined) return [];
        return [
          change('unit_result', {
            ...row,
            declared: false,
            declared_at: null,
            declared_outcome: null,
            position,
          }),
        ];
      }
      default:
        return [];
    }
  },
};
