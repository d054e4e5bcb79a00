import { describe, expect, it } from 'vitest';
import { anomaliesProjection } from './anomalies-projection.js';
import { eventLog, run } from './projection-fixtures.test-support.js';

const id = '0193a7c0-0000-7000-8000-00000000aaaa';
const evidence = '0193a7c0-0000-7000-8000-00000000bbbb';

describe('anomalies projection', () => {
  it('records a detected anomaly with its evidence, then the operator’s decision', () => {
    const { events, add } = eventLog();
    add(`anomaly-${id}`, 'AnomalyDetected', {
      anomalyId: id,
      kind: 'turnout_above_list',
      severity: 'high',
      subject: { pollingAreaId: 'PA-10001-002' },
      evidence: [evidence],
      summary: 'turnout 510 above the list of 500',
      facts: { votersVoted: 510, votersOnList: 500 },
      atPosition: 7,
    });
    expect(run(anomaliesProjection, events).get('anomaly', id)).toEqual({
      anomaly_id: id,
      kind: 'turnout_above_list',
      severity: 'high',
      status: 'open',
      polling_area_id: 'PA-10001-002',
      commune_id: '10001',
      summary: 'turnout 510 above the list of 500',
      subject: { pollingAreaId: 'PA-10001-002' },
      facts: { votersVoted: 510, votersOnList: 500 },
      evidence: [evidence],
      at_position: 7,
      detected_at: events[0]?.recordedAt,
      updated_at: events[0]?.recordedAt,
      note: null,
      position: 1,
    });
    add(`anomaly-${id}`, 'AnomalyDismissed', { anomalyId: id, reason: 'list was extended' });
    expect(run(anomaliesProjection, events).get('anomaly', id)).toMatchObject({
      status: 'dismissed',
      note: 'list was extended',
      position: 2,
    });
  });
});
