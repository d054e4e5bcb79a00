// `voters.check-in {cardNumber, pollingAreaId, at, actor, correlationId, …}`: the card shown at the
// polling area; a second attempt, a struck card or the wrong area is refused AND recorded.
import { CheckInVoter } from '@hpe/domain';
import { commandSenderShape } from '@hpe/service-kit';
import type { z } from 'zod';

export const CheckInPayload = CheckInVoter.shape.data.extend(commandSenderShape);
export type CheckInPayload = z.infer<typeof CheckInPayload>;

export function toCheckIn(p: CheckInPayload): CheckInVoter {
  const { actor: _actor, correlationId: _c, causationId: _cause, traceparent: _t, ...data } = p;
  return { type: 'CheckInVoter', data };
}
