// What can be done to an incident (api.md `POST /incidents…`): report it, then triage it through
// acknowledge, assign, notes, resolve and reopen. One zod schema each; types come from them.
import { z } from 'zod';
import {
  IncidentCategory,
  IncidentCommuneId,
  IncidentId,
  IncidentPollingAreaId,
  IncidentSeverity,
  IncidentText,
  IncidentTime,
  IncidentUnit,
} from './incident-values.js';

/**
 * `POST /incidents`: the gateway mints `incidentId` (so a replayed Idempotency-Key answers the same
 * id) and the incidents service fills `communeId` from the reference data, never the client. Who
 * reported it is the envelope's actor, not a field here, so it is recorded once.
 */
export const ReportIncident = z.strictObject({
  type: z.literal('ReportIncident'),
  data: z.strictObject({
    incidentId: IncidentId,
    pollingAreaId: IncidentPollingAreaId,
    communeId: IncidentCommuneId,
    category: IncidentCategory,
    severity: IncidentSeverity,
    description: IncidentText,
    occurredAt: IncidentTime,
  }),
});
export type ReportIncident = z.infer<typeof ReportIncident>;

export const AcknowledgeIncident = z.strictObject({
  type: z.literal('AcknowledgeIncident'),
  data: z.strictObject({ incidentId: IncidentId }),
});
export type AcknowledgeIncident = z.infer<typeof AcknowledgeIncident>;

export const AssignIncident = z.strictObject({
  type: z.literal('AssignIncident'),
  data: z.strictObject({ incidentId: IncidentId, unit: IncidentUnit }),
});
export type AssignIncident = z.infer<typeof AssignIncident>;

export const AddIncidentNote = z.strictObject({
  type: z.literal('AddIncidentNote'),
  data: z.strictObject({ incidentId: IncidentId, text: IncidentText }),
});
export type AddIncidentNote = z.infer<typeof AddIncidentNote>;

export const ResolveIncident = z.strictObject({
  type: z.literal('ResolveIncident'),
  data: z.strictObject({ incidentId: IncidentId, resolution: IncidentText }),
});
export type ResolveIncident = z.infer<typeof ResolveIncident>;

export const ReopenIncident = z.strictObject({
  type: z.literal('ReopenIncident'),
  data: z.strictObject({ incidentId: IncidentId, reason: IncidentText }),
});
export type ReopenIncident = z.infer<typeof ReopenIncident>;

export const IncidentCommand = z.discriminatedUnion('type', [
  ReportIncident,
  AcknowledgeIncident,
  AssignIncident,
  AddIncidentNote,
  ResolveIncident,
  ReopenIncident,
]);
export type IncidentCommand = z.infer<typeof IncidentCommand>;
