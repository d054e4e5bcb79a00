// `incidents.reopen {incidentId, reason, actor, correlationId, causationId?, traceparent?}`: the domain's
// ReopenIncident data plus who sent it; nothing else is accepted.
import { ReopenIncident } from '@hpe/domain';
import { commandSenderShape } from '@hpe/service-kit';

export const ReopenIncidentPayload = ReopenIncident.shape.data.extend(commandSenderShape);
export type ReopenIncidentPayload = ReturnType<typeof ReopenIncidentPayload.parse>;

export function toReopenIncident({ incidentId, reason }: ReopenIncidentPayload): ReopenIncident {
  return { type: 'ReopenIncident', data: { incidentId, reason } };
}
