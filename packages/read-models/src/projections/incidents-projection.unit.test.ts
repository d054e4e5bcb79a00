import { describe, expect, it } from 'vitest';
import { incidentsProjection } from './incidents-projection.js';
import { eventLog, run, utc, vn } from './projection-fixtures.test-support.js';

describe('incidents projection', () => {
  it('keeps the current state of an incident and counts its history', () => {
    const { events, add } = eventLog();
    const s = 'incident-I1';
    add(s, 'IncidentReported', {
      incidentId: 'I1',
      pollingAreaId: 'PA-10002-001',
      communeId: '10002',
      category: 'security',
      severity: 'high',
      description: 'crowd at the gate',
      occurredAt: vn('08:10'),
    });
    add(s, 'IncidentAcknowledged', { incidentId: 'I1' });
    add(s, 'IncidentAssigned', { incidentId: 'I1', unit: 'Team 3', previousUnit: null });
    add(s, 'IncidentNoteAdded', { incidentId: 'I1', text: 'on the way' });
    add(s, 'IncidentResolved', { incidentId: 'I1', resolution: 'dispersed' });
    const resolved = run(incidentsProjection, events).get('incident', 'I1');
    expect(resolved).toEqual({
      incident_id: 'I1',
      polling_area_id: 'PA-10002-001',
      commune_id: '10002',
      category: 'security',
      severity: 'high',
      status: 'resolved',
      description: 'crowd at the gate',
      occurred_at: utc('08:10'),
      reported_at: events[0]?.recordedAt,
      updated_at: events[4]?.recordedAt,
      assigned_unit: 'Team 3',
      resolution: 'dispersed',
      notes: 1,
      history_count: 5,
      position: 5,
    });
    add(s, 'IncidentReopened', { incidentId: 'I1', reason: 'back again' });
    expect(run(incidentsProjection, events).get('incident', 'I1')).toMatchObject({
      status: 'reopened',
      history_count: 6,
      position: 6,
    });
  });
});
