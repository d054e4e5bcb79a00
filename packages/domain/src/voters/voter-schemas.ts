// The voter list's commands and events (stream voter-<voterKey>): one zod schema each, the types
// inferred from them. No citizen ID appears here — only the service's HMAC of it, the voterKey.
import { z } from 'zod';
import { Level } from '../levels.js';

/** HMAC-SHA-256 of the citizen ID, computed by the voter-cards service with its secret key. */
export const VoterKey = z.string().regex(/^[0-9a-f]{64}$/, 'must be 64 lower-case hex digits');
export type VoterKey = z.infer<typeof VoterKey>;

// Same shapes as the reference data (PA-10507-001, PA-10507-001-0042); kept local so the pure
// domain does not depend on the generator package.
export const VoterPollingAreaId = z
  .string()
  .regex(/^PA-\d{5}-\d{3}$/, 'expected a polling area id like PA-10507-001');
export const VoterCardNumber = z
  .string()
  .regex(/^PA-\d{5}-\d{3}-\d{4,6}$/, 'expected a card number like PA-10507-001-0042');

const Instant = z.iso.datetime({ offset: true });

/** Letters (any script, with their marks), spaces, apostrophes, hyphens and dots; no controls. */
export const VoterFullName = z
  .string()
  .min(1)
  .max(120)
  .regex(/^\p{L}[\p{L}\p{M}' .-]*$/u, 'letters, spaces, apostrophes, hyphens and dots only');

export const VoterBirthYear = z.int().min(1900).max(2100);
export const VoterGender = z.enum(['male', 'female']);

/** Local calendar dates (Vietnam time) between which the commune hands out cards, inclusive. */
export const CardDistributionWindow = z
  .strictObject({ from: z.iso.date(), to: z.iso.date() })
  .refine((w) => w.from <= w.to, { message: 'from must not be after to' });
export type CardDistributionWindow = z.infer<typeof CardDistributionWindow>;

const Reason = z.string().max(500).regex(/\S/, 'must not be blank');

/** The ballots a check-in hands out: all three at home, na + city for a voter voting elsewhere. */
export const VoterBallots = z.array(Level).min(1).max(3);

// ---- commands ----

/** One row of the NDJSON import, after the service has replaced the citizen ID by its HMAC. */
export const RegisterVoter = z.strictObject({
  type: z.literal('RegisterVoter'),
  data: z.strictObject({
    voterKey: VoterKey,
    pollingAreaId: VoterPollingAreaId,
    fullName: VoterFullName,
    birthYear: VoterBirthYear,
    gender: VoterGender.optional(),
    /** Registration issues the card: its number is printed in the card's QR code. */
    cardNumber: VoterCardNumber,
    cardDistribution: CardDistributionWindow,
  }),
});
export type RegisterVoter = z.infer<typeof RegisterVoter>;

export const DeliverVoterCard = z.strictObject({
  type: z.literal('DeliverVoterCard'),
  data: z.strictObject({ cardNumber: VoterCardNumber, at: Instant }),
});
export type DeliverVoterCard = z.infer<typeof DeliverVoterCard>;

export const MarkVoterUnreachable = z.strictObject({
  type: z.literal('MarkVoterUnreachable'),
  data: z.strictObject({ cardNumber: VoterCardNumber, at: Instant, note: Reason }),
});
export type MarkVoterUnreachable = z.infer<typeof MarkVoterUnreachable>;

export const StrikeVoter = z.strictObject({
  type: z.literal('StrikeVoter'),
  data: z.strictObject({ reason: Reason }),
});
export type StrikeVoter = z.infer<typeof StrikeVoter>;

/** Vote elsewhere: the voter holds a certificate and is moved to the list where they will be. */
export const TransferVoter = z.strictObject({
  type: z.literal('TransferVoter'),
  data: z.strictObject({
    toPollingAreaId: VoterPollingAreaId,
    certificateNumber: z
      .string()
      .min(1)
      .max(50)
      .regex(/^[A-Za-z0-9/-]+$/)
      .optional(),
  }),
});
export type TransferVoter = z.infer<typeof TransferVoter>;

export const CheckInVoter = z.strictObject({
  type: z.literal('CheckInVoter'),
  data: z.strictObject({
    cardNumber: VoterCardNumber,
    pollingAreaId: VoterPollingAreaId,
    at: Instant,
  }),
});
export type CheckInVoter = z.infer<typeof CheckInVoter>;

export const VoterCommand = z.discriminatedUnion('type', [
  RegisterVoter,
  DeliverVoterCard,
  MarkVoterUnreachable,
  StrikeVoter,
  TransferVoter,
  CheckInVoter,
]);
export type VoterCommand = z.infer<typeof VoterCommand>;

// ---- events ----

export const VoterRegistered = z.strictObject({
  type: z.literal('VoterRegistered'),
  data: RegisterVoter.shape.data,
});
export type VoterRegistered = z.infer<typeof VoterRegistered>;

export const VoterCardDelivered = z.strictObject({
  type: z.literal('VoterCardDelivered'),
  data: DeliverVoterCard.shape.data,
});
export type VoterCardDelivered = z.infer<typeof VoterCardDelivered>;

export const VoterMarkedUnreachable = z.strictObject({
  type: z.literal('VoterMarkedUnreachable'),
  data: MarkVoterUnreachable.shape.data,
});
export type VoterMarkedUnreachable = z.infer<typeof VoterMarkedUnreachable>;

export const VoterStruckOff = z.strictObject({
  type: z.literal('VoterStruckOff'),
  data: z.strictObject({
    /** The list the voter is struck from (the destination's, after a transfer). */
    pollingAreaId: VoterPollingAreaId,
    cardNumber: VoterCardNumber,
    reason: Reason,
  }),
});
export type VoterStruckOff = z.infer<typeof VoterStruckOff>;

export const VoterTransferred = z.strictObject({
  type: z.literal('VoterTransferred'),
  data: z.strictObject({
    cardNumber: VoterCardNumber,
    fromPollingAreaId: VoterPollingAreaId,
    toPollingAreaId: VoterPollingAreaId,
    certificateNumber: TransferVoter.shape.data.shape.certificateNumber,
    /** Recorded, not re-derived, so a replay keeps the ballots the law gave on the day. */
    ballots: VoterBallots,
  }),
});
export type VoterTransferred = z.infer<typeof VoterTransferred>;

export const VoterCheckedIn = z.strictObject({
  type: z.literal('VoterCheckedIn'),
  data: z.strictObject({
    cardNumber: VoterCardNumber,
    pollingAreaId: VoterPollingAreaId,
    at: Instant,
    ballots: VoterBallots,
  }),
});
export type VoterCheckedIn = z.infer<typeof VoterCheckedIn>;

export const checkInRefusalReasons = [
  'CARD_ALREADY_USED',
  'VOTER_STRUCK_OFF',
  'WRONG_POLLING_AREA',
] as const;
export const CheckInRefusalReason = z.enum(checkInRefusalReasons);
export type CheckInRefusalReason = z.infer<typeof CheckInRefusalReason>;

/** Recorded although the check-in fails: police and auditors want to see every attempt. */
export const CheckInRefused = z.strictObject({
  type: z.literal('CheckInRefused'),
  data: z.strictObject({
    cardNumber: VoterCardNumber,
    reason: CheckInRefusalReason,
    pollingAreaId: VoterPollingAreaId,
    attemptedAt: Instant,
    /** The list the card belongs to at the time of the attempt. */
    listedPollingAreaId: VoterPollingAreaId,
    firstCheckInAt: Instant.optional(),
    firstCheckInPollingAreaId: VoterPollingAreaId.optional(),
  }),
});
export type CheckInRefused = z.infer<typeof CheckInRefused>;

/** Recorded although the registration fails: the same citizen was put on a second list. */
export const DuplicateRegistrationRefused = z.strictObject({
  type: z.literal('DuplicateRegistrationRefused'),
  data: z.strictObject({
    attemptedPollingAreaId: VoterPollingAreaId,
    attemptedCardNumber: VoterCardNumber,
    registeredPollingAreaId: VoterPollingAreaId,
    registeredCardNumber: VoterCardNumber,
  }),
});
export type DuplicateRegistrationRefused = z.infer<typeof DuplicateRegistrationRefused>;

export const VoterEvent = z.discriminatedUnion('type', [
  VoterRegistered,
  VoterCardDelivered,
  VoterMarkedUnreachable,
  VoterStruckOff,
  VoterTransferred,
  VoterCheckedIn,
  CheckInRefused,
  DuplicateRegistrationRefused,
]);
export type VoterEvent = z.infer<typeof VoterEvent>;
