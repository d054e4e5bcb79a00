// `voters.card-unreachable {cardNumber, at, note, actor, correlationId, …}`: a failed visit.
import { MarkVoterUnreachable } from '@hpe/domain';
import { commandSenderShape } from '@hpe/service-kit';
import type { z } from 'zod';

export const MarkUnreachablePayload = MarkVoterUnreachable.shape.data.extend(commandSenderShape);
export type MarkUnreachablePayload = z.infer<typeof MarkUnreachablePayload>;

export function toMarkUnreachable(p: MarkUnreachablePayload): MarkVoterUnreachable {
  const { actor: _actor, correlationId: _c, causationId: _cause, traceparent: _t, ...data } = p;
  return { type: 'MarkVoterUnreachable', data };
}
