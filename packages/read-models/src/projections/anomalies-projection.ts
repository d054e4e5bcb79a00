// Anomalies as the operations centre triages them: what was detected (kind, severity, subject,
// facts, the evidence's event ids) and whether someone acknowledged or dismissed it, and why.
import {
  AnomalyAcknowledged,
  AnomalyDetected,
  AnomalyDismissed,
  anomalyEventTypes,
} from '@hpe/domain';
import { change, eventData, type Projection } from './projection.js';
import { iso, type AnomalyRow } from './tables.js';

export const anomaliesProjection: Projection = {
  name: 'anomalies',
  handles: new Set(anomalyEventTypes),
  tables: ['anomaly'],
  seed: () => [],
  project(event, view, reference) {
    const position = event.position;
    const at = iso(event.recordedAt);
    switch (event.type) {
      case 'AnomalyDetected': {
        const d = eventData(AnomalyDetected, event);
        const earlier = view.get('anomaly', d.anomalyId);
        const areaId = d.subject.pollingAreaId ?? null;
        const row: AnomalyRow = {
          anomaly_id: d.anomalyId,
          kind: d.kind,
          severity: d.severity,
          // Detected again (same id): an operator's decision on it stands.
          status: earlier?.status ?? 'open',
          polling_area_id: areaId,
          commune_id:
            d.subject.communeId ??
            (areaId === null ? null : (reference.areas.get(areaId)?.communeId ?? null)),
          summary: d.summary,
          subject: d.subject,
          facts: d.facts,
          evidence: d.evidence,
          at_position: d.atPosition,
          detected_at: earlier?.detected_at ?? at,
          updated_at: at,
          note: earlier?.note ?? null,
          position,
        };
        return [change('anomaly', row)];
      }
      case 'AnomalyAcknowledged':
      case 'AnomalyDismissed': {
        const acknowledged = event.type === 'AnomalyAcknowledged';
        const { anomalyId, note } = acknowledged
          ? eventData(AnomalyAcknowledged, event)
          : (({ anomalyId: id, reason }) => ({ anomalyId: id, note: reason }))(
              eventData(AnomalyDismissed, event),
            );
        const row = view.get('anomaly', anomalyId);
        // The decider refuses a decision on an unknown anomaly: a missing row is a gap upstream.
        if (row === undefined) throw new Error(`${event.type} for unknown anomaly ${anomalyId}`);
        return [
          change('anomaly', {
            ...row,
            status: acknowledged ? 'acknowledged' : 'dismissed',
            note,
            updated_at: at,
            position,
          }),
        ];
      }
      default:
        return [];
    }
  },
};
