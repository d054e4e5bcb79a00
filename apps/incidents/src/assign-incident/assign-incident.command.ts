// `incidents.assign {incidentId, unit, actor, correlationId, causationId?, traceparent?}`: the domain's
// AssignIncident data plus who sent it; nothing else is accepted.
import { AssignIncident } from '@hpe/domain';
import { commandSenderShape } from '@hpe/service-kit';

export const AssignIncidentPayload = AssignIncident.shape.data.extend(commandSenderShape);
export type AssignIncidentPayload = ReturnType<typeof AssignIncidentPayload.parse>;

export function toAssignIncident({ incidentId, unit }: AssignIncidentPayload): AssignIncident {
  return { type: 'AssignIncident', data: { incidentId, unit } };
}
