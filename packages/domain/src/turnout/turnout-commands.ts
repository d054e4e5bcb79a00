// What a polling area's turnout stream can be asked to do: register it from the reference data,
// follow its voter list, open, report turnout and close. One zod schema each; types come from them.
import { z } from 'zod';
import {
  ElectionDate,
  FieldTime,
  MAX_VOTERS,
  PollingAreaId,
  VoterCount,
} from './turnout-values.js';

/** Sent once per area by the reference-data set-up: the list size and the day the area votes. */
export const RegisterPollingArea = z.strictObject({
  type: z.literal('RegisterPollingArea'),
  data: z.strictObject({
    pollingAreaId: PollingAreaId,
    votersOnList: VoterCount,
    electionDate: ElectionDate,
  }),
});
export type RegisterPollingArea = z.infer<typeof RegisterPollingArea>;

/**
 * Why the list changed after registration: a voter with a certificate to vote elsewhere is added
 * where they vote and struck from home; the commune may strike a voter it cannot reach.
 */
export const VoterListChange = z.enum(['transferred_in', 'transferred_out', 'struck_off']);
export type VoterListChange = z.infer<typeof VoterListChange>;

/** Sent by the voter-cards service after it decides a transfer or a strike. */
export const AdjustVoterList = z.strictObject({
  type: z.literal('AdjustVoterList'),
  data: z.strictObject({
    pollingAreaId: PollingAreaId,
    change: VoterListChange,
    count: z.int().min(1).max(MAX_VOTERS),
  }),
});
export type AdjustVoterList = z.infer<typeof AdjustVoterList>;

/** `POST /polling-areas/{pollingAreaId}/open {at}` */
export const OpenPollingArea = z.strictObject({
  type: z.literal('OpenPollingArea'),
  data: z.strictObject({ pollingAreaId: PollingAreaId, at: FieldTime }),
});
export type OpenPollingArea = z.infer<typeof OpenPollingArea>;

/** `POST /polling-areas/{pollingAreaId}/turnout-reports {asOf, votersVoted}` */
export const ReportTurnout = z.strictObject({
  type: z.literal('ReportTurnout'),
  data: z.strictObject({ pollingAreaId: PollingAreaId, asOf: FieldTime, votersVoted: VoterCount }),
});
export type ReportTurnout = z.infer<typeof ReportTurnout>;

/** `POST /polling-areas/{pollingAreaId}/close {at, votersVoted}`: the final figure comes with it. */
export const ClosePollingArea = z.strictObject({
  type: z.literal('ClosePollingArea'),
  data: z.strictObject({ pollingAreaId: PollingAreaId, at: FieldTime, votersVoted: VoterCount }),
});
export type ClosePollingArea = z.infer<typeof ClosePollingArea>;

export const TurnoutCommand = z.discriminatedUnion('type', [
  RegisterPollingArea,
  AdjustVoterList,
  OpenPollingArea,
  ReportTurnout,
  ClosePollingArea,
]);
export type TurnoutCommand = z.infer<typeof TurnoutCommand>;
