// The HTTP bodies of the voter and card commands: the domain's command data without the ids taken
// from the path (card number, voterKey). Strict, so an extra field is refused rather than dropped.
import {
  CheckInVoter,
  DeliverVoterCard,
  MarkVoterUnreachable,
  StrikeVoter,
  TransferVoter,
} from '@hpe/domain';

export const CheckInBody = CheckInVoter.shape.data;
export const CardDeliveredBody = DeliverVoterCard.shape.data.omit({ cardNumber: true });
export const CardUnreachableBody = MarkVoterUnreachable.shape.data.omit({ cardNumber: true });
export const StrikeVoterBody = StrikeVoter.shape.data;
export const VoteElsewhereBody = TransferVoter.shape.data;
