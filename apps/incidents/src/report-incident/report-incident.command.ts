// `incidents.report {incidentId, pollingAreaId, category, severity, description, occurredAt, actor,
// correlationId, causationId?, traceparent?}`: the domain's ReportIncident data without the commune
// (this service looks it up) plus who sent it; nothing else is accepted.
import { ReportIncident } from '@hpe/domain';
import { commandSenderShape } from '@hpe/service-kit';

export const ReportIncidentPayload = ReportIncident.shape.data
  .omit({ communeId: true })
  .extend(commandSenderShape);
export type ReportIncidentPayload = ReturnType<typeof ReportIncidentPayload.parse>;

export function toReportIncident(
  { incidentId, pollingAreaId, category, severity, description, occurredAt }: ReportIncidentPayload,
  communeId: string,
): ReportIncident {
  return {
    type: 'ReportIncident',
    data: { incidentId, pollingAreaId, communeId, category, severity, description, occurredAt },
  };
}
