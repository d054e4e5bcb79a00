// Hostile inputs to the incident command schemas: unknown categories and severities, blank or
// oversized texts, times without an offset and extra fields stop here, before any decision.
import { describe, expect, it } from 'vitest';
import {
  AssignIncident,
  IncidentCommand,
  ReopenIncident,
  ReportIncident,
  ResolveIncident,
} from './incident-commands.js';
import { IncidentEvent, incidentEventTypes } from './incident-events.js';

const report = {
  type: 'ReportIncident',
  data: {
    incidentId: 'inc-1',
    pollingAreaId: 'PA-10507-001',
    communeId: '10507',
    category: 'public_order',
    severity: 'high',
    description: 'crowd at the gate',
    occurredAt: '2026-03-15T09:40:00+07:00',
  },
};
const withData = (patch: Record<string, unknown>) => ({
  ...report,
  data: { ...report.data, ...patch },
});

describe('incident command schemas', () => {
  it('accepts a well-formed report and every command in the union', () => {
    expect(ReportIncident.safeParse(report).success).toBe(true);
    expect(
      IncidentCommand.safeParse({ type: 'AcknowledgeIncident', data: { incidentId: 'inc-1' } })
        .success,
    ).toBe(true);
  });

  it('trims the description it keeps', () => {
    const parsed = ReportIncident.parse(withData({ description: '  crowd at the gate \n' }));
    expect(parsed.data.description).toBe('crowd at the gate');
  });

  it.each([
    ['an unknown category', { category: 'riot' }],
    ['an unknown severity', { severity: 'apocalyptic' }],
    ['a blank description', { description: '   ' }],
    ['a description over 2,000 characters', { description: 'x'.repeat(2_001) }],
    ['a time without an offset', { occurredAt: '2026-03-15T09:40:00' }],
    ['an incident id with a dot', { incidentId: 'inc.1' }],
    ['an area id with a space', { pollingAreaId: 'PA 1' }],
    ['a reporter named in the body (the envelope says who)', { reportedBy: 'pa-PA-1' }],
    ['a status set by the client', { status: 'resolved' }],
  ])('refuses %s', (_, patch) => {
    expect(ReportIncident.safeParse(withData(patch)).success).toBe(false);
  });

  it('refuses a report without the commune of its area', () => {
    const { communeId: _c, ...rest } = report.data;
    expect(ReportIncident.safeParse({ ...report, data: rest }).success).toBe(false);
  });

  it('refuses a missing description', () => {
    const { description: _d, ...rest } = report.data;
    expect(ReportIncident.safeParse({ ...report, data: rest }).success).toBe(false);
  });

  it('refuses blank units, resolutions and reasons, and extra fields on triage', () => {
    expect(
      AssignIncident.safeParse({ type: 'AssignIncident', data: { incidentId: 'inc-1', unit: '' } })
        .success,
    ).toBe(false);
    expect(
      ResolveIncident.safeParse({
        type: 'ResolveIncident',
        data: { incidentId: 'inc-1', resolution: ' ' },
      }).success,
    ).toBe(false);
    expect(
      ReopenIncident.safeParse({ type: 'ReopenIncident', data: { incidentId: 'inc-1' } }).success,
    ).toBe(false);
    expect(
      IncidentCommand.safeParse({
        type: 'AcknowledgeIncident',
        data: { incidentId: 'inc-1', by: 'x' },
      }).success,
    ).toBe(false);
    expect(
      IncidentCommand.safeParse({ type: 'DeleteIncident', data: { incidentId: 'inc-1' } }).success,
    ).toBe(false);
  });
});

describe('incident event schemas', () => {
  it('name every event in the past tense and parse what the decider writes', () => {
    expect(incidentEventTypes).toEqual([
      'IncidentReported',
      'IncidentAcknowledged',
      'IncidentAssigned',
      'IncidentNoteAdded',
      'IncidentResolved',
      'IncidentReopened',
    ]);
    expect(IncidentEvent.safeParse({ type: 'IncidentReported', data: report.data }).success).toBe(
      true,
    );
  });
});
