// The HTTP bodies of the incident commands: the domain's command data without the incident id
// (minted by the gateway or taken from the path) and without the commune (the service looks it up).
// Strict, so an extra field is refused rather than dropped.
import {
  AcknowledgeIncident,
  AddIncidentNote,
  AssignIncident,
  IncidentId,
  ReopenIncident,
  ReportIncident,
  ResolveIncident,
} from '@hpe/domain';
import { z } from 'zod';

export const ReportIncidentBody = ReportIncident.shape.data.omit({
  incidentId: true,
  communeId: true,
});
/** `{}`; a request without any body is taken as `{}` (there is nothing to say). */
export const AcknowledgeIncidentBody = z.preprocess(
  (body) => body ?? {},
  AcknowledgeIncident.shape.data.omit({ incidentId: true }),
);
export const AssignIncidentBody = AssignIncident.shape.data.omit({ incidentId: true });
export const AddIncidentNoteBody = AddIncidentNote.shape.data.omit({ incidentId: true });
export const ResolveIncidentBody = ResolveIncident.shape.data.omit({ incidentId: true });
export const ReopenIncidentBody = ReopenIncident.shape.data.omit({ incidentId: true });

/** The most incidents one bulk acknowledge may name: one board page. */
export const MAX_BULK_INCIDENTS = 100;

/** `POST /incidents/acknowledge {incidentIds}` (extension): 1 to 100 distinct ids. */
export const BulkAcknowledgeBody = z.strictObject({
  incidentIds: z
    .array(IncidentId)
    .min(1)
    .max(MAX_BULK_INCIDENTS)
    .refine((ids) => new Set(ids).size === ids.length, 'incident ids must not repeat'),
});
export type BulkAcknowledgeBody = z.infer<typeof BulkAcknowledgeBody>;

/** What a new incident's report answers: its id (minted here) besides the usual command answer. */
export const ReportIncidentAnswer = z.strictObject({
  incidentId: IncidentId,
  eventIds: z.array(z.uuid()),
  position: z.int(),
});

/** What the bulk acknowledge answers: one outcome per id, in the order asked. */
export const BulkAcknowledgeAnswerSchema = z.strictObject({
  acknowledged: z.int(),
  refused: z.int(),
  results: z.array(
    z.object({
      incidentId: IncidentId,
      status: z.int().describe('201 acknowledged; else the status the single command would get'),
      eventIds: z.array(z.uuid()).optional(),
      position: z.int().optional(),
      code: z.string().optional(),
      detail: z.string().optional(),
      details: z.record(z.string(), z.unknown()).optional(),
    }),
  ),
});
