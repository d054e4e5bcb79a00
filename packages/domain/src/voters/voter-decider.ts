// The voter list decider (stream voter-<voterKey>): registration with its card, card delivery,
// strike-off, vote elsewhere, and the check-in a card is good for exactly once.
//
// "Refused but recorded": a second check-in, a check-in with a struck-off card or at the wrong
// polling area, and a second registration of the same citizen are facts police and auditors must
// see. decide therefore returns ok([CheckInRefused | DuplicateRegistrationRefused]) for them; the
// service appends those events and then answers 422 with the code rejectionOf(events) gives
// (voter-refusals.ts). Every other failure is an ordinary err(...) and appends nothing.
import { assert, assertNever } from '../assert.js';
import type { Decider } from '../decider.js';
import type { Level } from '../levels.js';
import { codedError, err, ok, type CodedError, type Result } from '../result.js';
import type {
  CardDistributionWindow,
  CheckInRefusalReason,
  CheckInVoter,
  DeliverVoterCard,
  MarkVoterUnreachable,
  RegisterVoter,
  StrikeVoter,
  TransferVoter,
  VoterCommand,
  VoterEvent,
} from './voter-schemas.js';

export type VoterCode =
  | 'VOTER.NOT_REGISTERED'
  | 'VOTER.ALREADY_STRUCK_OFF'
  | 'VOTER.ALREADY_VOTED'
  | 'VOTER.STRIKE_REASON_REQUIRED'
  | 'VOTER.STRUCK_OFF'
  | 'VOTER.ALREADY_TRANSFERRED'
  | 'VOTER.TRANSFER_TO_SAME_AREA'
  | 'CARD.UNKNOWN'
  | 'CARD.OUTSIDE_DISTRIBUTION_WINDOW'
  | 'CARD.ALREADY_DELIVERED'
  | 'CARD.STRUCK_OFF';

/** The ballots at home, and for a voter with a certificate to vote elsewhere (domain brief). */
export const homeBallots: readonly Level[] = ['na', 'city', 'commune'];
export const elsewhereBallots: readonly Level[] = ['na', 'city'];

export interface VoterListing {
  readonly voterKey: string;
  readonly homePollingAreaId: string;
  readonly cardNumber: string;
  readonly fullName: string;
  readonly birthYear: number;
  readonly gender: 'male' | 'female' | undefined;
  readonly cardDistribution: CardDistributionWindow;
}

export interface VoterState {
  /** null until the voter is registered on a list. */
  readonly listing: VoterListing | null;
  readonly card: 'issued' | 'delivered' | 'unreachable';
  readonly struckOff: { readonly reason: string } | null;
  /** Set once the voter holds a certificate to vote elsewhere. */
  readonly transfer: {
    readonly toPollingAreaId: string;
    readonly ballots: readonly Level[];
  } | null;
  readonly checkIn: { readonly pollingAreaId: string; readonly at: string } | null;
}

export const initialVoterState = (): VoterState => ({
  listing: null,
  card: 'issued',
  struckOff: null,
  transfer: null,
  checkIn: null,
});

/** The list the voter is on now: the home list, or the destination's after a transfer. */
export function listedPollingAreaId(state: VoterState): string | undefined {
  return state.transfer?.toPollingAreaId ?? state.listing?.homePollingAreaId;
}

type Decision = Result<readonly VoterEvent[], CodedError<VoterCode>>;

const vietnamOffsetMs = 7 * 60 * 60 * 1000;

/** The calendar date in Vietnam (UTC+07:00, no DST) of an instant, whatever the machine's zone. */
export function vietnamDateOf(instant: string): string {
  const ms = Date.parse(instant);
  assert(Number.isFinite(ms), `not an instant: ${instant}`);
  return new Date(ms + vietnamOffsetMs).toISOString().slice(0, 10);
}

function registered(
  state: VoterState,
  cardNumber: string | undefined,
): Result<VoterListing, CodedError<VoterCode>> {
  const { listing } = state;
  // A card command reaches this stream through the service's card → voter read model; an empty
  // stream or another card number means that mapping was wrong, so the card is unknown here.
  if (listing === null)
    return err(
      cardNumber === undefined
        ? codedError('VOTER.NOT_REGISTERED', 'the voter is on no list')
        : codedError('CARD.UNKNOWN', 'no voter holds this card', { cardNumber }),
    );
  if (cardNumber !== undefined && cardNumber !== listing.cardNumber)
    return err(
      codedError('CARD.UNKNOWN', 'this card does not belong to the voter', { cardNumber }),
    );
  return ok(listing);
}

function decideRegister({ data }: RegisterVoter, state: VoterState): Decision {
  const { listing } = state;
  if (listing === null) return ok([{ type: 'VoterRegistered', data }]);
  const same =
    listing.homePollingAreaId === data.pollingAreaId &&
    listing.cardNumber === data.cardNumber &&
    listing.fullName === data.fullName &&
    listing.birthYear === data.birthYear;
  // The same row imported again (a retried batch) is not a second registration: nothing new.
  if (same) return ok([]);
  return ok([
    {
      type: 'DuplicateRegistrationRefused',
      data: {
        attemptedPollingAreaId: data.pollingAreaId,
        attemptedCardNumber: data.cardNumber,
        registeredPollingAreaId: listing.homePollingAreaId,
        registeredCardNumber: listing.cardNumber,
      },
    },
  ]);
}

function insideWindow(at: string, window: CardDistributionWindow): boolean {
  const date = vietnamDateOf(at);
  return window.from <= date && date <= window.to;
}

function decideDeliver({ data }: DeliverVoterCard, state: VoterState): Decision {
  const listing = registered(state, data.cardNumber);
  if (!listing.ok) return listing;
  if (state.struckOff !== null)
    return err(codedError('CARD.STRUCK_OFF', 'the voter has been struck off the list'));
  if (!insideWindow(data.at, listing.value.cardDistribution))
    return err(
      codedError('CARD.OUTSIDE_DISTRIBUTION_WINDOW', 'cards are handed out only in the window', {
        at: data.at,
        ...listing.value.cardDistribution,
      }),
    );
  // Delivery is a fact that is true once: saying it again records nothing new.
  if (state.card === 'delivered') return ok([]);
  return ok([{ type: 'VoterCardDelivered', data }]);
}

function decideUnreachable({ data }: MarkVoterUnreachable, state: VoterState): Decision {
  const listing = registered(state, data.cardNumber);
  if (!listing.ok) return listing;
  if (state.struckOff !== null)
    return err(codedError('CARD.STRUCK_OFF', 'the voter has been struck off the list'));
  if (!insideWindow(data.at, listing.value.cardDistribution))
    return err(
      codedError('CARD.OUTSIDE_DISTRIBUTION_WINDOW', 'cards are handed out only in the window', {
        at: data.at,
        ...listing.value.cardDistribution,
      }),
    );
  if (state.card === 'delivered')
    return err(codedError('CARD.ALREADY_DELIVERED', 'the card has already reached the voter'));
  // Each failed visit is its own fact (with its note), so a repeat is recorded again.
  return ok([{ type: 'VoterMarkedUnreachable', data }]);
}

function decideStrike({ data }: StrikeVoter, state: VoterState): Decision {
  const listing = registered(state, undefined);
  if (!listing.ok) return listing;
  if (data.reason.trim() === '')
    return err(codedError('VOTER.STRIKE_REASON_REQUIRED', 'a strike-off needs a reason'));
  if (state.checkIn !== null)
    return err(
      codedError('VOTER.ALREADY_VOTED', 'the voter has already voted', { ...state.checkIn }),
    );
  if (state.struckOff !== null)
    return err(codedError('VOTER.ALREADY_STRUCK_OFF', 'the voter is already struck off'));
  const pollingAreaId = listedPollingAreaId(state);
  assert(pollingAreaId !== undefined, 'a registered voter is on a list');
  return ok([
    {
      type: 'VoterStruckOff',
      data: { pollingAreaId, cardNumber: listing.value.cardNumber, reason: data.reason },
    },
  ]);
}

function decideTransfer({ data }: TransferVoter, state: VoterState): Decision {
  const listing = registered(state, undefined);
  if (!listing.ok) return listing;
  if (state.checkIn !== null)
    return err(
      codedError('VOTER.ALREADY_VOTED', 'the voter has already voted', { ...state.checkIn }),
    );
  if (state.struckOff !== null)
    return err(codedError('VOTER.STRUCK_OFF', 'a struck-off voter cannot vote elsewhere'));
  if (state.transfer !== null)
    return err(
      codedError('VOTER.ALREADY_TRANSFERRED', 'the voter already holds a certificate', {
        toPollingAreaId: state.transfer.toPollingAreaId,
      }),
    );
  const from = listing.value.homePollingAreaId;
  if (data.toPollingAreaId === from)
    return err(
      codedError('VOTER.TRANSFER_TO_SAME_AREA', 'the voter is already on that list', {
        pollingAreaId: from,
      }),
    );
  return ok([
    {
      type: 'VoterTransferred',
      data: {
        cardNumber: listing.value.cardNumber,
        fromPollingAreaId: from,
        toPollingAreaId: data.toPollingAreaId,
        ...(data.certificateNumber === undefined
          ? {}
          : { certificateNumber: data.certificateNumber }),
        ballots: [...elsewhereBallots],
      },
    },
  ]);
}

function decideCheckIn({ data }: CheckInVoter, state: VoterState): Decision {
  const listing = registered(state, data.cardNumber);
  if (!listing.ok) return listing;
  const listed = listedPollingAreaId(state);
  assert(listed !== undefined, 'a registered voter is on a list');
  const refuse = (
    reason: CheckInRefusalReason,
    first?: { readonly pollingAreaId: string; readonly at: string },
  ): Decision =>
    ok([
      {
        type: 'CheckInRefused',
        data: {
          cardNumber: data.cardNumber,
          reason,
          pollingAreaId: data.pollingAreaId,
          attemptedAt: data.at,
          listedPollingAreaId: listed,
          ...(first === undefined
            ? {}
            : { firstCheckInAt: first.at, firstCheckInPollingAreaId: first.pollingAreaId }),
        },
      },
    ]);
  // The most telling reason wins: a card already stamped, then a struck card, then the place.
  if (state.checkIn !== null) return refuse('CARD_ALREADY_USED', state.checkIn);
  if (state.struckOff !== null) return refuse('VOTER_STRUCK_OFF');
  if (data.pollingAreaId !== listed) return refuse('WRONG_POLLING_AREA');
  // An unreachable voter who turns up is still on the list: only a strike-off takes them off.
  return ok([
    {
      type: 'VoterCheckedIn',
      data: {
        cardNumber: data.cardNumber,
        pollingAreaId: data.pollingAreaId,
        at: data.at,
        ballots: [...(state.transfer?.ballots ?? homeBallots)],
      },
    },
  ]);
}

export function decideVoter(command: VoterCommand, state: VoterState): Decision {
  switch (command.type) {
    case 'RegisterVoter':
      return decideRegister(command, state);
    case 'DeliverVoterCard':
      return decideDeliver(command, state);
    case 'MarkVoterUnreachable':
      return decideUnreachable(command, state);
    case 'StrikeVoter':
      return decideStrike(command, state);
    case 'TransferVoter':
      return decideTransfer(command, state);
    case 'CheckInVoter':
      return decideCheckIn(command, state);
    default:
      return assertNever(command, 'voter command');
  }
}

export function evolveVoter(state: VoterState, event: VoterEvent): VoterState {
  switch (event.type) {
    case 'VoterRegistered': {
      assert(state.listing === null, 'a voter stream is registered once');
      const { data } = event;
      return {
        ...state,
        listing: {
          voterKey: data.voterKey,
          homePollingAreaId: data.pollingAreaId,
          cardNumber: data.cardNumber,
          fullName: data.fullName,
          birthYear: data.birthYear,
          gender: data.gender,
          cardDistribution: data.cardDistribution,
        },
      };
    }
    case 'VoterCardDelivered':
      return { ...state, card: 'delivered' };
    case 'VoterMarkedUnreachable':
      return { ...state, card: 'unreachable' };
    case 'VoterStruckOff':
      return { ...state, struckOff: { reason: event.data.reason } };
    case 'VoterTransferred':
      return {
        ...state,
        transfer: { toPollingAreaId: event.data.toPollingAreaId, ballots: event.data.ballots },
      };
    case 'VoterCheckedIn':
      return { ...state, checkIn: { pollingAreaId: event.data.pollingAreaId, at: event.data.at } };
    case 'CheckInRefused':
    case 'DuplicateRegistrationRefused':
      // Attempts are evidence, not changes: the voter's standing is what it was.
      return state;
    default:
      return assertNever(event, 'voter event');
  }
}

export const voterDecider: Decider<VoterCommand, VoterEvent, VoterState, VoterCode> = {
  initialState: initialVoterState,
  decide: (command, state) => decideVoter(command, state),
  evolve: evolveVoter,
};
