// Given / when / then for the anomaly decider: detected → acknowledged → dismissed, and every
// illegal step refused with its code.
import { describe, it } from 'vitest';
import { deciderSpec } from '../decider-spec.test-support.js';
import { anomalyDecider } from './anomaly-decider.js';
import type { AnomalyCommand, AnomalyEvent } from './anomaly-events.js';

const anomalyId = '0195a3c2-1111-7aaa-8bbb-123456789abc';
const spec = deciderSpec(anomalyDecider, { now: new Date('2026-03-15T12:00:00+07:00') });

const detected: AnomalyEvent = {
  type: 'AnomalyDetected',
  data: {
    anomalyId,
    kind: 'card_reused',
    severity: 'high',
    subject: { pollingAreaId: 'PA-10507-001', cardNumber: 'PA-10507-001-0042' },
    evidence: ['0195a3c2-2222-7aaa-8bbb-123456789abc'],
    summary: 'card presented twice',
    facts: {},
    atPosition: 42,
  },
};
const acknowledge: AnomalyCommand = {
  type: 'AcknowledgeAnomaly',
  data: { anomalyId, note: 'police informed' },
};
const dismiss: AnomalyCommand = {
  type: 'DismissAnomaly',
  data: { anomalyId, reason: 'scanner double read' },
};
const acknowledged: AnomalyEvent = { type: 'AnomalyAcknowledged', data: acknowledge.data };
const dismissed: AnomalyEvent = { type: 'AnomalyDismissed', data: dismiss.data };

describe('the anomaly decider', () => {
  it('acknowledges an open anomaly with the note', () => {
    spec.given([detected]).when(acknowledge).then([acknowledged]);
  });
  it('dismisses an open anomaly with the reason', () => {
    spec.given([detected]).when(dismiss).then([dismissed]);
  });
  it('dismisses an acknowledged anomaly', () => {
    spec.given([detected, acknowledged]).when(dismiss).then([dismissed]);
  });
  it('refuses an unknown anomaly', () => {
    spec.given([]).when(acknowledge).thenRejected('ANOMALY.NOT_FOUND', { anomalyId });
    spec.given([]).when(dismiss).thenRejected('ANOMALY.NOT_FOUND');
  });
  it('refuses to acknowledge twice', () => {
    spec
      .given([detected, acknowledged])
      .when(acknowledge)
      .thenRejected('ANOMALY.ALREADY_ACKNOWLEDGED');
  });
  it('refuses to dismiss twice, or to acknowledge after a dismissal', () => {
    spec.given([detected, dismissed]).when(dismiss).thenRejected('ANOMALY.ALREADY_DISMISSED');
    spec.given([detected, dismissed]).when(acknowledge).thenRejected('ANOMALY.ALREADY_DISMISSED');
  });
});
