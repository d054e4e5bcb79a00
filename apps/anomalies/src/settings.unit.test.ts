// The anomalies service's settings: thresholds and schedule from JSON with the domain's defaults,
// and a clear error naming the variable when one is wrong.
import { ConfigError } from '@hpe/config';
import { defaultAnomalyThresholds } from '@hpe/domain';
import { describe, expect, it } from 'vitest';
import { defaultAnomaliesHttpPort, loadAnomaliesSettings } from './settings.js';

describe('anomalies settings', () => {
  it('run the embedded stack with the domain defaults', () => {
    const settings = loadAnomaliesSettings({});
    expect(settings.HTTP_PORT).toBe(defaultAnomaliesHttpPort);
    expect(settings.ANOMALY_THRESHOLDS).toEqual(defaultAnomalyThresholds);
    expect(settings.ANOMALY_SCHEDULE.reportingRounds).toEqual([
      '09:00',
      '11:00',
      '14:00',
      '16:00',
      '19:00',
    ]);
    expect(settings.ANOMALY_ELECTION_DATES).toEqual(['2026-03-14', '2026-03-15']);
    expect(settings.ANOMALY_DETECTOR_ENABLED).toBe(true);
  });

  it('take thresholds and rounds from JSON, keeping the defaults of what is left out', () => {
    const settings = loadAnomaliesSettings({
      ANOMALY_THRESHOLDS: '{"dominantCandidatePct": 97}',
      ANOMALY_SCHEDULE: '{"reportingRounds": ["10:00", "15:00"]}',
      ANOMALY_SCHEDULE_ENABLED: 'false',
    });
    expect(settings.ANOMALY_THRESHOLDS.dominantCandidatePct).toBe(97);
    expect(settings.ANOMALY_THRESHOLDS.minJumpPctPoints).toBe(25);
    expect(settings.ANOMALY_SCHEDULE).toEqual({
      reportingRounds: ['10:00', '15:00'],
      minutesDeadline: '23:00',
    });
    expect(settings.ANOMALY_SCHEDULE_ENABLED).toBe(false);
  });

  it.each([
    ['ANOMALY_THRESHOLDS', '{not json'],
    ['ANOMALY_THRESHOLDS', '{"dominantCandidatePct": 150}'],
    ['ANOMALY_THRESHOLDS', '{"unknownThreshold": 1}'],
    ['ANOMALY_SCHEDULE', '{"reportingRounds": ["14:00", "09:00"]}'],
    ['ANOMALY_ELECTION_DATES', '15/03/2026'],
    ['ANOMALY_DETECTOR_ENABLED', 'yes'],
  ])('refuse %s=%s, naming the variable', (variable, value) => {
    expect(() => loadAnomaliesSettings({ [variable]: value })).toThrow(ConfigError);
    try {
      loadAnomaliesSettings({ [variable]: value });
    } catch (error) {
      expect(error instanceof ConfigError && error.problems.map((p) => p.variable)).toContain(
        variable,
      );
    }
  });
});
