// `anomalies.acknowledge {anomalyId, note, actor, correlationId, causationId?, traceparent?}`: the
// domain's AcknowledgeAnomaly data plus who sent it; nothing else is accepted.
import { AcknowledgeAnomaly } from '@hpe/domain';
import { commandSenderShape } from '@hpe/service-kit';

export const AcknowledgeAnomalyPayload = AcknowledgeAnomaly.shape.data.extend(commandSenderShape);
export type AcknowledgeAnomalyPayload = ReturnType<typeof AcknowledgeAnomalyPayload.parse>;

export function toAcknowledgeAnomaly({
  anomalyId,
  note,
}: AcknowledgeAnomalyPayload): AcknowledgeAnomaly {
  return { type: 'AcknowledgeAnomaly', data: { anomalyId, note } };
}
