// `voters.vote-elsewhere {voterKey, toPollingAreaId, certificateNumber?, actor, correlationId, …}`:
// struck from the home list, added where the voter will be, for the na and city ballots.
import { TransferVoter, VoterKey } from '@hpe/domain';
import { commandSenderShape } from '@hpe/service-kit';
import type { z } from 'zod';

export const VoteElsewherePayload = TransferVoter.shape.data.extend({
  voterKey: VoterKey,
  ...commandSenderShape,
});
export type VoteElsewherePayload = z.infer<typeof VoteElsewherePayload>;

export function toVoteElsewhere(p: VoteElsewherePayload): TransferVoter {
  const {
    actor: _actor,
    correlationId: _c,
    causationId: _cause,
    traceparent: _t,
    voterKey: _key,
    ...data
  } = p;
  return { type: 'TransferVoter', data };
}
