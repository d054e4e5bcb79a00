// What happened to an anomaly, in the stream `anomaly-<anomalyId>`: detected by the detector (with
// the ids of the events that are its evidence), then acknowledged or dismissed by an operator.
import { z } from 'zod';
import {
  AnomalyFacts,
  AnomalyId,
  AnomalyKind,
  AnomalySeverity,
  AnomalySubject,
  AnomalyText,
} from './anomaly-values.js';

export const AnomalyDetected = z.strictObject({
  type: z.literal('AnomalyDetected'),
  data: z.strictObject({
    anomalyId: AnomalyId,
    kind: AnomalyKind,
    severity: AnomalySeverity,
    subject: AnomalySubject,
    /** Event ids, the triggering event first. */
    evidence: z.array(AnomalyId).min(1).max(20),
    summary: z.string().min(1).max(500),
    facts: AnomalyFacts,
    /** The log position of the triggering event: where a replay raises it again. */
    atPosition: z.int().min(1),
  }),
});
export type AnomalyDetected = z.infer<typeof AnomalyDetected>;

export const AnomalyAcknowledged = z.strictObject({
  type: z.literal('AnomalyAcknowledged'),
  data: z.strictObject({ anomalyId: AnomalyId, note: AnomalyText }),
});
export type AnomalyAcknowledged = z.infer<typeof AnomalyAcknowledged>;

export const AnomalyDismissed = z.strictObject({
  type: z.literal('AnomalyDismissed'),
  data: z.strictObject({ anomalyId: AnomalyId, reason: AnomalyText }),
});
export type AnomalyDismissed = z.infer<typeof AnomalyDismissed>;

export const AnomalyEvent = z.discriminatedUnion('type', [
  AnomalyDetected,
  AnomalyAcknowledged,
  AnomalyDismissed,
]);
export type AnomalyEvent = z.infer<typeof AnomalyEvent>;
export const anomalyEventTypes = AnomalyEvent.options.map((option) => option.shape.type.value);

// ---- commands (api.md `POST /anomalies/{anomalyId}/acknowledge {note}` · `/dismiss {reason}`) ----

export const AcknowledgeAnomaly = z.strictObject({
  type: z.literal('AcknowledgeAnomaly'),
  data: z.strictObject({ anomalyId: AnomalyId, note: AnomalyText }),
});
export type AcknowledgeAnomaly = z.infer<typeof AcknowledgeAnomaly>;

export const DismissAnomaly = z.strictObject({
  type: z.literal('DismissAnomaly'),
  data: z.strictObject({ anomalyId: AnomalyId, reason: AnomalyText }),
});
export type DismissAnomaly = z.infer<typeof DismissAnomaly>;

export const AnomalyCommand = z.discriminatedUnion('type', [AcknowledgeAnomaly, DismissAnomaly]);
export type AnomalyCommand = z.infer<typeof AnomalyCommand>;

/** The stream an anomaly lives in. */
export const anomalyStreamId = (anomalyId: string): string => `anomaly-${anomalyId}`;
