// `incidents.acknowledge {incidentId, actor, correlationId, causationId?, traceparent?}`: the domain's
// AcknowledgeIncident data plus who sent it; nothing else is accepted.
import { AcknowledgeIncident } from '@hpe/domain';
import { commandSenderShape } from '@hpe/service-kit';

export const AcknowledgeIncidentPayload = AcknowledgeIncident.shape.data.extend(commandSenderShape);
export type AcknowledgeIncidentPayload = ReturnType<typeof AcknowledgeIncidentPayload.parse>;

export function toAcknowledgeIncident({
  incidentId,
}: AcknowledgeIncidentPayload): AcknowledgeIncident {
  return { type: 'AcknowledgeIncident', data: { incidentId } };
}
