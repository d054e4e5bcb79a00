// Refusals that are recorded: maps CheckInRefused and DuplicateRegistrationRefused to the coded
// error the service answers with (422) after appending them. Other events are not refusals.
import { assertNever } from '../assert.js';
import { codedError, type CodedError } from '../result.js';
import type { CheckInRefused, DuplicateRegistrationRefused, VoterEvent } from './voter-schemas.js';

export type VoterRefusalCode =
  | 'CARD.ALREADY_USED'
  | 'CARD.STRUCK_OFF'
  | 'CARD.WRONG_POLLING_AREA'
  | 'VOTER.DUPLICATE_REGISTRATION';

function checkInRejection({ data }: CheckInRefused): CodedError<VoterRefusalCode> {
  switch (data.reason) {
    case 'CARD_ALREADY_USED':
      return codedError('CARD.ALREADY_USED', 'this card has already been used to vote', {
        cardNumber: data.cardNumber,
        firstCheckInAt: data.firstCheckInAt,
        firstCheckInPollingAreaId: data.firstCheckInPollingAreaId,
      });
    case 'VOTER_STRUCK_OFF':
      return codedError('CARD.STRUCK_OFF', 'the holder of this card is struck off the list', {
        cardNumber: data.cardNumber,
      });
    case 'WRONG_POLLING_AREA':
      return codedError('CARD.WRONG_POLLING_AREA', 'this card belongs to another polling area', {
        cardNumber: data.cardNumber,
        pollingAreaId: data.pollingAreaId,
        listedPollingAreaId: data.listedPollingAreaId,
      });
    default:
      return assertNever(data.reason, 'check-in refusal reason');
  }
}

function duplicateRejection({ data }: DuplicateRegistrationRefused): CodedError<VoterRefusalCode> {
  return codedError('VOTER.DUPLICATE_REGISTRATION', 'the citizen is already on a voter list', {
    ...data,
  });
}

/** The rejection a recorded refusal stands for, or undefined when the event is not a refusal. */
export function rejectionFor(event: VoterEvent): CodedError<VoterRefusalCode> | undefined {
  switch (event.type) {
    case 'CheckInRefused':
      return checkInRejection(event);
    case 'DuplicateRegistrationRefused':
      return duplicateRejection(event);
    case 'VoterRegistered':
    case 'VoterCardDelivered':
    case 'VoterMarkedUnreachable':
    case 'VoterStruckOff':
    case 'VoterTransferred':
    case 'VoterCheckedIn':
      return undefined;
    default:
      return assertNever(event, 'voter event');
  }
}

/** What the service answers after appending a decision: the first refusal among its events. */
export function rejectionOf(
  events: readonly VoterEvent[],
): CodedError<VoterRefusalCode> | undefined {
  for (const event of events) {
    const rejection = rejectionFor(event);
    if (rejection !== undefined) return rejection;
  }
  return undefined;
}
