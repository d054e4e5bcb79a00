// `turnout.open {pollingAreaId, at, actor, correlationId, causationId?, traceparent?}`: the domain's
// OpenPollingArea data plus who sent it; nothing else is accepted.
import { OpenPollingArea } from '@hpe/domain';
import { commandSenderShape } from '@hpe/service-kit';

export const OpenPollingAreaPayload = OpenPollingArea.shape.data.extend(commandSenderShape);
export type OpenPollingAreaPayload = ReturnType<typeof OpenPollingAreaPayload.parse>;

export function toOpenPollingArea({ pollingAreaId, at }: OpenPollingAreaPayload): OpenPollingArea {
  return { type: 'OpenPollingArea', data: { pollingAreaId, at } };
}
