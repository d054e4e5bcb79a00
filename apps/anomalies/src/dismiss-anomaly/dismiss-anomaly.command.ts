// `anomalies.dismiss {anomalyId, reason, actor, correlationId, causationId?, traceparent?}`: the
// domain's DismissAnomaly data plus who sent it; nothing else is accepted.
import { DismissAnomaly } from '@hpe/domain';
import { commandSenderShape } from '@hpe/service-kit';

export const DismissAnomalyPayload = DismissAnomaly.shape.data.extend(commandSenderShape);
export type DismissAnomalyPayload = ReturnType<typeof DismissAnomalyPayload.parse>;

export function toDismissAnomaly({ anomalyId, reason }: DismissAnomalyPayload): DismissAnomaly {
  return { type: 'DismissAnomaly', data: { anomalyId, reason } };
}
