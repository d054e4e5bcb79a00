// Incidents as the board shows them: current status, severity, who has it, and how many events
// (history) and notes it has. Open ones are counted with a query on status.
import {
  IncidentAcknowledged,
  IncidentAssigned,
  IncidentNoteAdded,
  IncidentReopened,
  IncidentReported,
  IncidentResolved,
  incidentEventTypes,
} from '@hpe/domain';
import { change, eventData, type Projection } from './projection.js';
import { iso, type IncidentRow } from './tables.js';

export const incidentsProjection: Projection = {
  name: 'incidents',
  handles: new Set(incidentEventTypes),
  tables: ['incident'],
  seed: () => [],
  project(event, view) {
    const position = event.position;
    const at = iso(event.recordedAt);
    if (event.type === 'IncidentReported') {
      const d = eventData(IncidentReported, event);
      return [
        change('incident', {
          incident_id: d.incidentId,
          polling_area_id: d.pollingAreaId,
          commune_id: d.communeId,
          category: d.category,
          severity: d.severity,
          status: 'reported',
          description: d.description,
          occurred_at: iso(d.occurredAt),
          reported_at: at,
          updated_at: at,
          assigned_unit: null,
          resolution: null,
          notes: 0,
          history_count: 1,
          position,
        }),
      ];
    }
    const next = (incidentId: string, patch: Partial<IncidentRow>) => {
      const row = view.get('incident', incidentId);
      // The decider refuses triage of an unknown incident, so a missing row is a gap upstream.
      if (row === undefined) throw new Error(`${event.type} for unknown incident ${incidentId}`);
      return [
        change('incident', {
          ...row,
          ...patch,
          history_count: row.history_count + 1,
          updated_at: at,
          position,
        }),
      ];
    };
    switch (event.type) {
      case 'IncidentAcknowledged':
        return next(eventData(IncidentAcknowledged, event).incidentId, { status: 'acknowledged' });
      case 'IncidentAssigned': {
        const d = eventData(IncidentAssigned, event);
        return next(d.incidentId, { status: 'assigned', assigned_unit: d.unit });
      }
      case 'IncidentNoteAdded': {
        const d = eventData(IncidentNoteAdded, event);
        const row = view.get('incident', d.incidentId);
        return next(d.incidentId, { notes: (row?.notes ?? 0) + 1 });
      }
      case 'IncidentResolved': {
        const d = eventData(IncidentResolved, event);
        return next(d.incidentId, { status: 'resolved', resolution: d.resolution });
      }
      case 'IncidentReopened':
        return next(eventData(IncidentReopened, event).incidentId, { status: 'reopened' });
      default:
        return [];
    }
  },
};
