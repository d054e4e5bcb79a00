// Turnout over the day per area, commune and city, in 15-minute steps: the row at `at` holds the
// sum of each area's latest figure reported at or before `at`, so a commune's curve is one indexed
// range read. A late report for an earlier step corrects that step and every later one.
import { PollingAreaClosed, TurnoutReported, type RecordedEvent } from '@hpe/domain';
import {
  change,
  eventData,
  type Projection,
  type ProjectionView,
  type RowChange,
} from './projection.js';
import { iso, type Iso, type TimelineScope, type TurnoutTimelineRow } from './tables.js';

export const TIMELINE_STEP_MS = 15 * 60_000;
export const CITY_SCOPE_ID = 'city';

/** The end of the step a report falls in; a report exactly on a step's end belongs to that step. */
export function stepEnd(at: string): Iso {
  return new Date(Math.ceil(Date.parse(at) / TIMELINE_STEP_MS) * TIMELINE_STEP_MS).toISOString();
}

const groupOf = (kind: TimelineScope, id: string): string => `${kind}|${id}`;

interface Figure {
  readonly voted: number;
  readonly reporting: number;
}

/** An area's figure as of `at`: its latest step at or before it (ISO strings compare in order). */
function figureAt(areaRows: readonly TurnoutTimelineRow[], at: Iso): Figure {
  let best: TurnoutTimelineRow | undefined;
  for (const r of areaRows) if (r.at <= at && (best === undefined || r.at > best.at)) best = r;
  return best === undefined
    ? { voted: 0, reporting: 0 }
    : { voted: best.voters_voted, reporting: 1 };
}

function report(event: RecordedEvent): { areaId: string; asOf: string; voted: number } {
  if (event.type === 'TurnoutReported') {
    const d = eventData(TurnoutReported, event);
    return { areaId: d.pollingAreaId, asOf: d.asOf, voted: d.votersVoted };
  }
  const d = eventData(PollingAreaClosed, event);
  return { areaId: d.pollingAreaId, asOf: d.at, voted: d.votersVoted };
}

const handles: ReadonlySet<string> = new Set(['TurnoutReported', 'PollingAreaClosed']);

export const turnoutTimelineProjection: Projection = {
  name: 'turnout-timeline',
  handles,
  tables: ['turnout_timeline'],
  seed: () => [],
  project(event, view: ProjectionView, reference) {
    if (!handles.has(event.type)) return [];
    const { areaId, asOf, voted } = report(event);
    const area = reference.areas.get(areaId);
    // An area outside the reference data has no commune to add up into: the services refuse one.
    if (area === undefined) return [];
    const position = event.position;
    const at = stepEnd(asOf);
    const asOfIso = iso(asOf);
    const before = view.group('turnout_timeline', groupOf('area', areaId));
    const same = before.find((r) => r.at === at);
    // Two reports in one step: the later figure (by its own time) stands.
    if (same !== undefined && same.last_as_of > asOfIso) return [];
    const areaRow: TurnoutTimelineRow = {
      scope_kind: 'area',
      scope_id: areaId,
      at,
      voters_voted: voted,
      areas_reporting: 1,
      last_as_of: asOfIso,
      position,
    };
    const after = [...before.filter((r) => r.at !== at), areaRow];
    const changes: RowChange[] = [change('turnout_timeline', areaRow)];

    const scopes: [TimelineScope, string, readonly string[]][] = [
      [
        'commune',
        area.communeId,
        (reference.areasByCommune.get(area.communeId) ?? []).map((a) => a.pollingAreaId),
      ],
      ['city', CITY_SCOPE_ID, [...reference.areas.keys()]],
    ];
    for (const [kind, id, members] of scopes) {
      const rows = view.group('turnout_timeline', groupOf(kind, id));
      let atStep = false;
      for (const row of rows) {
        if (row.at < at) continue;
        const [was, is] = [figureAt(before, row.at), figureAt(after, row.at)];
        const isStep = row.at === at;
        atStep ||= isStep;
        if (!isStep && was.voted === is.voted && was.reporting === is.reporting) continue;
        changes.push(
          change('turnout_timeline', {
            ...row,
            voters_voted: row.voters_voted + is.voted - was.voted,
            areas_reporting: row.areas_reporting + is.reporting - was.reporting,
            last_as_of: isStep && asOfIso > row.last_as_of ? asOfIso : row.last_as_of,
            position,
          }),
        );
      }
      if (atStep) continue;
      // A step the scope has no row for yet: add up its areas as of that step.
      let sum: Figure = { voted: 0, reporting: 0 };
      for (const member of members) {
        const f = figureAt(
          member === areaId ? after : view.group('turnout_timeline', groupOf('area', member)),
          at,
        );
        sum = { voted: sum.voted + f.voted, reporting: sum.reporting + f.reporting };
      }
      changes.push(
        change('turnout_timeline', {
          scope_kind: kind,
          scope_id: id,
          at,
          voters_voted: sum.voted,
          areas_reporting: sum.reporting,
          last_as_of: asOfIso,
          position,
        }),
      );
    }
    return changes;
  },
};
