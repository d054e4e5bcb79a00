// The HTTP bodies of acknowledge and dismiss: the domain's command data without the anomaly id,
// which comes from the path. Strict, so an extra field is refused rather than dropped.
import { AcknowledgeAnomaly, DismissAnomaly } from '@hpe/domain';

export const AcknowledgeAnomalyBody = AcknowledgeAnomaly.shape.data.omit({ anomalyId: true });
export const DismissAnomalyBody = DismissAnomaly.shape.data.omit({ anomalyId: true });
