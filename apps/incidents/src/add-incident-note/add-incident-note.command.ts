// `incidents.note {incidentId, text, actor, correlationId, causationId?, traceparent?}`: the domain's
// AddIncidentNote data plus who sent it; nothing else is accepted.
import { AddIncidentNote } from '@hpe/domain';
import { commandSenderShape } from '@hpe/service-kit';

export const AddIncidentNotePayload = AddIncidentNote.shape.data.extend(commandSenderShape);
export type AddIncidentNotePayload = ReturnType<typeof AddIncidentNotePayload.parse>;

export function toAddIncidentNote({ incidentId, text }: AddIncidentNotePayload): AddIncidentNote {
  return { type: 'AddIncidentNote', data: { incidentId, text } };
}
