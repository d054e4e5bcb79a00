// `turnout.close {pollingAreaId, at, votersVoted, actor, correlationId, causationId?,
// traceparent?}`: the domain's ClosePollingArea data plus who sent it; nothing else is accepted.
import { ClosePollingArea } from '@hpe/domain';
import { commandSenderShape } from '@hpe/service-kit';

export const ClosePollingAreaPayload = ClosePollingArea.shape.data.extend(commandSenderShape);
export type ClosePollingAreaPayload = ReturnType<typeof ClosePollingAreaPayload.parse>;

export function toClosePollingArea({
  pollingAreaId,
  at,
  votersVoted,
}: ClosePollingAreaPayload): ClosePollingArea {
  return { type: 'ClosePollingArea', data: { pollingAreaId, at, votersVoted } };
}
