// `voters.card-delivered {cardNumber, at, actor, correlationId, …}`: the card reached its voter.
import { DeliverVoterCard } from '@hpe/domain';
import { commandSenderShape } from '@hpe/service-kit';
import type { z } from 'zod';

export const DeliverCardPayload = DeliverVoterCard.shape.data.extend(commandSenderShape);
export type DeliverCardPayload = z.infer<typeof DeliverCardPayload>;

export function toDeliverCard(p: DeliverCardPayload): DeliverVoterCard {
  const { actor: _actor, correlationId: _c, causationId: _cause, traceparent: _t, ...data } = p;
  return { type: 'DeliverVoterCard', data };
}
