// `tallies.submit-minute {pollingAreaId, level, minute, actor, correlationId, causationId?,
// traceparent?}`: the domain's SubmitCountingMinute data the caller knows (the unit, its seats and
// candidates are looked up here; the time is the service's) plus who sent it; nothing else.
import { SubmitCountingMinute } from '@hpe/domain';
import { commandSenderShape } from '@hpe/service-kit';
import type { MinuteRequest } from '../shared/tally-commands.js';

export const SubmitMinutePayload = SubmitCountingMinute.shape.data
  .pick({ pollingAreaId: true, level: true, minute: true })
  .extend(commandSenderShape);
export type SubmitMinutePayload = ReturnType<typeof SubmitMinutePayload.parse>;

export function toSubmitRequest(payload: SubmitMinutePayload, at: string): MinuteRequest {
  const { pollingAreaId, level, minute, actor } = payload;
  return { pollingAreaId, level, minute, at, by: actor.id };
}
