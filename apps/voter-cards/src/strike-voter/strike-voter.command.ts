// `voters.strike {voterKey, reason, actor, correlationId, …}`: struck off the list (commune
// People's Committee), by voterKey.
import { StrikeVoter, VoterKey } from '@hpe/domain';
import { commandSenderShape } from '@hpe/service-kit';
import type { z } from 'zod';

export const StrikeVoterPayload = StrikeVoter.shape.data.extend({
  voterKey: VoterKey,
  ...commandSenderShape,
});
export type StrikeVoterPayload = z.infer<typeof StrikeVoterPayload>;

export function toStrikeVoter(p: StrikeVoterPayload): StrikeVoter {
  const {
    actor: _actor,
    correlationId: _c,
    causationId: _cause,
    traceparent: _t,
    voterKey: _key,
    ...data
  } = p;
  return { type: 'StrikeVoter', data };
}
