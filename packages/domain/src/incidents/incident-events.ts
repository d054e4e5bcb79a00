// What happened to an incident, in the stream `incident-<incidentId>`: the facts the incident board
// and the auditors replay. One zod schema each.
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

export const IncidentReported = z.strictObject({
  type: z.literal('IncidentReported'),
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
export type IncidentReported = z.infer<typeof IncidentReported>;

export const IncidentAcknowledged = z.strictObject({
  type: z.literal('IncidentAcknowledged'),
  data: z.strictObject({ incidentId: IncidentId }),
});
export type IncidentAcknowledged = z.infer<typeof IncidentAcknowledged>;

/** `previousUnit` is set on a reassignment, so the board can say who handed it over. */
export const IncidentAssigned = z.strictObject({
  type: z.literal('IncidentAssigned'),
  data: z.strictObject({
    incidentId: IncidentId,
    unit: IncidentUnit,
    previousUnit: IncidentUnit.nullable(),
  }),
});
export type IncidentAssigned = z.infer<typeof IncidentAssigned>;

export const IncidentNoteAdded = z.strictObject({
  type: z.literal('IncidentNoteAdded'),
  data: z.strictObject({ incidentId: IncidentId, text: IncidentText }),
});
export type IncidentNoteAdded = z.infer<typeof IncidentNoteAdded>;

export const IncidentResolved = z.strictObject({
  type: z.literal('IncidentResolved'),
  data: z.strictObject({ incidentId: IncidentId, resolution: IncidentText }),
});
export type IncidentResolved = z.infer<typeof IncidentResolved>;

export const IncidentReopened = z.strictObject({
  type: z.literal('IncidentReopened'),
  data: z.strictObject({ incidentId: IncidentId, reason: IncidentText }),
});
export type IncidentReopened = z.infer<typeof IncidentReopened>;

export const IncidentEvent = z.discriminatedUnion('type', [
  IncidentReported,
  IncidentAcknowledged,
  IncidentAssigned,
  IncidentNoteAdded,
  IncidentResolved,
  IncidentReopened,
]);
export type IncidentEvent = z.infer<typeof IncidentEvent>;
export const incidentEventTypes = IncidentEvent.options.map((option) => option.shape.type.value);
