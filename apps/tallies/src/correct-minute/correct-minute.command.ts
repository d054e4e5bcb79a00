// `tallies.correct-minute {pollingAreaId, level, minute, reason, actor, correlationId, causationId?,
// traceparent?}`: the domain's CorrectCountingMinute data the caller knows plus who sent it.
import { CorrectCountingMinute } from '@hpe/domain';
import { commandSenderShape } from '@hpe/service-kit';
import type { MinuteRequest } from '../shared/tally-commands.js';

export const CorrectMinutePayload = CorrectCountingMinute.shape.data
  .pick({ pollingAreaId: true, level: true, minute: true, reason: true })
  .extend(commandSenderShape);
export type CorrectMinutePayload = ReturnType<typeof CorrectMinutePayload.parse>;

export function toCorrectRequest(
  payload: CorrectMinutePayload,
  at: string,
): MinuteRequest & { readonly reason: string } {
  const { pollingAreaId, level, minute, reason, actor } = payload;
  return { pollingAreaId, level, minute, reason, at, by: actor.id };
}
