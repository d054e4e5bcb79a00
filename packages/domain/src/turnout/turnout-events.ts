// What happened at a polling area, in the stream `turnout-<pollingAreaId>`: the facts the read
// models, the anomaly detector and the auditors replay. One zod schema each.
import { z } from 'zod';
import { VoterListChange } from './turnout-commands.js';
import { ElectionDate, FieldTime, PollingAreaId, VoterCount } from './turnout-values.js';

export const PollingAreaRegistered = z.strictObject({
  type: z.literal('PollingAreaRegistered'),
  data: z.strictObject({
    pollingAreaId: PollingAreaId,
    votersOnList: VoterCount,
    electionDate: ElectionDate,
  }),
});
export type PollingAreaRegistered = z.infer<typeof PollingAreaRegistered>;

/** `votersOnList` is the list after the change, so a reader never has to sum the history. */
export const VoterListAdjusted = z.strictObject({
  type: z.literal('VoterListAdjusted'),
  data: z.strictObject({
    pollingAreaId: PollingAreaId,
    change: VoterListChange,
    count: z.int().min(1),
    votersOnList: VoterCount,
  }),
});
export type VoterListAdjusted = z.infer<typeof VoterListAdjusted>;

export const PollingAreaOpened = z.strictObject({
  type: z.literal('PollingAreaOpened'),
  data: z.strictObject({ pollingAreaId: PollingAreaId, at: FieldTime }),
});
export type PollingAreaOpened = z.infer<typeof PollingAreaOpened>;

export const TurnoutReported = z.strictObject({
  type: z.literal('TurnoutReported'),
  data: z.strictObject({ pollingAreaId: PollingAreaId, asOf: FieldTime, votersVoted: VoterCount }),
});
export type TurnoutReported = z.infer<typeof TurnoutReported>;

/** Carries the area's final turnout figure. */
export const PollingAreaClosed = z.strictObject({
  type: z.literal('PollingAreaClosed'),
  data: z.strictObject({ pollingAreaId: PollingAreaId, at: FieldTime, votersVoted: VoterCount }),
});
export type PollingAreaClosed = z.infer<typeof PollingAreaClosed>;

/**
 * A figure the area sent that the rules refuse — lower than one already in, or above the list — is
 * answered with its code AND recorded, as a reused card is: a shrinking or overflowing count is
 * exactly what the operations centre and auditors must see (domain.md, "Anomalies worth flagging").
 * It changes nothing in the area's state.
 */
export const TurnoutFigureRefused = z.strictObject({
  type: z.literal('TurnoutFigureRefused'),
  data: z.strictObject({
    pollingAreaId: PollingAreaId,
    /** The figure's time: a report's `asOf`, a close's `at`. */
    asOf: FieldTime,
    votersVoted: VoterCount,
    reason: z.enum(['DECREASED', 'ABOVE_LIST']),
    /** The command that carried it. */
    sentWith: z.enum(['ReportTurnout', 'ClosePollingArea']),
    votersOnList: VoterCount,
    /** The latest accepted figure, if any. */
    previous: z.strictObject({ asOf: FieldTime, votersVoted: VoterCount }).nullable(),
  }),
});
export type TurnoutFigureRefused = z.infer<typeof TurnoutFigureRefused>;

export const TurnoutEvent = z.discriminatedUnion('type', [
  PollingAreaRegistered,
  VoterListAdjusted,
  PollingAreaOpened,
  TurnoutReported,
  PollingAreaClosed,
  TurnoutFigureRefused,
]);
export type TurnoutEvent = z.infer<typeof TurnoutEvent>;
export const turnoutEventTypes = TurnoutEvent.options.map((option) => option.shape.type.value);
