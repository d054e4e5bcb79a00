// `incidents.resolve {incidentId, resolution, actor, correlationId, causationId?, traceparent?}`: the domain's
// ResolveIncident data plus who sent it; nothing else is accepted.
import { ResolveIncident } from '@hpe/domain';
import { commandSenderShape } from '@hpe/service-kit';

export const ResolveIncidentPayload = ResolveIncident.shape.data.extend(commandSenderShape);
export type ResolveIncidentPayload = ReturnType<typeof ResolveIncidentPayload.parse>;

export function toResolveIncident({
  incidentId,
  resolution,
}: ResolveIncidentPayload): ResolveIncident {
  return { type: 'ResolveIncident', data: { incidentId, resolution } };
}
