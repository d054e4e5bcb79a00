// Given a recorded log, when the detector folds it, then these anomalies (or none): every rule of
// design/domain.md "Anomalies worth flagging" fires on a crafted log and stays silent on a clean one.
import { describe, expect, it } from 'vitest';
import { NewEvent } from '../event-envelope.js';
import { AnomalyDetected } from './anomaly-events.js';
import { anomalyEnvelope, detect, initialDetectorState } from './anomaly-detector.js';
import { AnomalyThresholds, defaultAnomalyThresholds } from './anomaly-thresholds.js';
import { cleanMinute, LogBuilder, runDetector } from './anomaly-log.test-support.js';

const communeAreas = [
  'PA-10507-001',
  'PA-10507-002',
  'PA-10507-003',
  'PA-10507-004',
  'PA-10507-005',
];
const list = 1000;
/** The day of a well-run area: ~99% by the close, reports before every round. */
const reportsByRound: readonly [string, string, number][] = [
  ['08:45', '09:00', 250],
  ['10:45', '11:00', 600],
  ['13:45', '14:00', 850],
  ['15:45', '16:00', 950],
];

/** A clean election day in one commune, with check-ins at the first area only. */
function cleanDay(log = new LogBuilder()): LogBuilder {
  for (const area of communeAreas) {
    log.register(area, list);
    log.open(area, '07:00');
  }
  let checkedIn = 0;
  for (const [time, round, voted] of reportsByRound) {
    const first = communeAreas[0] ?? '';
    log.checkIns(first, voted - checkedIn, time);
    checkedIn = voted;
    for (const area of communeAreas) log.report(area, time, voted);
    log.roundClosed(round);
  }
  for (const area of communeAreas) log.close(area, '19:00', 990);
  log.roundClosed('19:00');
  communeAreas.forEach((area, i) => {
    const invalid = 15 + i * 3; // 1.5% … 2.7%
    const valid = 990 - invalid;
    const votes = {
      c1: Math.round(valid * 0.8),
      c2: Math.round(valid * 0.6),
      c3: Math.round(valid * 0.5),
    };
    for (const level of ['na', 'city', 'commune'] as const)
      log.minute(area, level, cleanMinute(list, 990, invalid, votes));
  });
  log.minutesDeadline();
  return log;
}

const kinds = (log: LogBuilder) => runDetector(log.events).map((a) => a.data.kind);

describe('the anomaly detector', () => {
  it('stays silent on a clean election day', () => {
    const log = cleanDay();
    expect(log.events.length).toBeGreaterThan(1000);
    expect(runDetector(log.events)).toEqual([]);
  });

  it('raises every anomaly with a schema-valid event, a deterministic id and its trigger first', () => {
    const log = new LogBuilder();
    log.register('PA-10507-001', 100);
    log.open('PA-10507-001');
    const trigger = log.report('PA-10507-001', '10:00', 120);
    const first = runDetector(log.events);
    const second = runDetector(log.events);
    expect(first).toEqual(second);
    const anomaly = first[0];
    expect(anomaly).toBeDefined();
    if (anomaly === undefined) return;
    expect(AnomalyDetected.safeParse(anomaly).success).toBe(true);
    expect(anomaly.data.evidence[0]).toBe(trigger.eventId);
    expect(anomaly.data.atPosition).toBe(trigger.position);
    const envelope = anomalyEnvelope(anomaly, trigger);
    expect(NewEvent.safeParse(envelope).success).toBe(true);
    expect(envelope).toEqual(anomalyEnvelope(anomaly, trigger));
    expect(envelope.streamId).toBe(`anomaly-${anomaly.data.anomalyId}`);
  });

  it('skips an event delivered again (position at or below the last folded)', () => {
    const log = new LogBuilder();
    log.register('PA-10507-001', 100);
    const trigger = log.report('PA-10507-001', '10:00', 120);
    const state = initialDetectorState();
    const context = { thresholds: defaultAnomalyThresholds };
    for (const event of log.events) detect(state, event, context);
    expect(detect(state, trigger, context).anomalies).toEqual([]);
  });

  describe('(a) minute arithmetic fails', () => {
    it('flags a minute whose valid + invalid differs from ballots received, naming the codes', () => {
      const log = new LogBuilder();
      log.register('PA-10507-001', list);
      const bad = { ...cleanMinute(list, 900, 10, { c1: 500, c2: 400 }), validBallots: 800 };
      const event = log.minute('PA-10507-001', 'na', bad);
      const [anomaly, ...rest] = runDetector(log.events);
      expect(rest).toEqual([]);
      expect(anomaly?.data).toMatchObject({
        kind: 'minute_inconsistent',
        severity: 'high',
        subject: { pollingAreaId: 'PA-10507-001', communeId: '10507', level: 'na' },
        evidence: [event.eventId],
      });
      expect(anomaly?.data.facts['codes']).toEqual(['MINUTE.VALID_PLUS_INVALID_MISMATCH']);
    });

    it('flags a minute the service refused and recorded, with the refusal as evidence', () => {
      const log = new LogBuilder();
      log.register('PA-10507-001', list);
      const bad = { ...cleanMinute(list, 900, 10, { c1: 500, c2: 400 }), validBallots: 800 };
      const refusal = log.refusedMinute('PA-10507-001', 'city', bad, [
        { code: 'MINUTE.VALID_PLUS_INVALID_MISMATCH', message: 'valid 800 + invalid 10 ≠ 900' },
      ]);
      const [anomaly, ...rest] = runDetector(log.events);
      expect(rest).toEqual([]);
      expect(anomaly?.data).toMatchObject({
        kind: 'minute_inconsistent',
        subject: { pollingAreaId: 'PA-10507-001', level: 'city' },
        evidence: [refusal.eventId],
        facts: { codes: ['MINUTE.VALID_PLUS_INVALID_MISMATCH'], refused: true },
      });
    });

    it('uses the unit from reference data when the host supplies it (votes above valid × seats)', () => {
      const log = new LogBuilder();
      const minute = cleanMinute(list, 900, 10, { c1: 800, c2: 800 });
      log.minute('PA-10507-001', 'na', minute);
      expect(runDetector(log.events)).toEqual([]);
      const withUnit = runDetector(log.events, {
        thresholds: defaultAnomalyThresholds,
        reference: { unitOf: () => ({ seats: 1, candidateIds: ['c1', 'c2'] }) },
      });
      expect(withUnit[0]?.data.facts['codes']).toEqual(['MINUTE.VOTES_ABOVE_VALID_TIMES_SEATS']);
    });
  });

  describe('(b) turnout above the list, or lower than an earlier figure', () => {
    it('flags a report above the list', () => {
      const log = new LogBuilder();
      const registered = log.register('PA-10507-001', 100);
      log.open('PA-10507-001');
      log.report('PA-10507-001', '16:00', 101);
      const [anomaly] = runDetector(log.events);
      expect(anomaly?.data.kind).toBe('turnout_above_list');
      expect(anomaly?.data.evidence).toContain(registered.eventId);
    });

    it('flags a list adjusted below a figure already reported', () => {
      const log = new LogBuilder();
      log.register('PA-10507-001', 100);
      const report = log.report('PA-10507-001', '16:00', 100);
      const adjusted = log.adjustList('PA-10507-001', 99);
      const [anomaly] = runDetector(log.events);
      expect(anomaly?.data.kind).toBe('turnout_above_list');
      expect(anomaly?.data.evidence).toEqual([adjusted.eventId, report.eventId]);
    });

    it('flags a figure lower than the one before', () => {
      const log = new LogBuilder();
      log.register('PA-10507-001', list);
      const earlier = log.report('PA-10507-001', '11:00', 600);
      const later = log.report('PA-10507-001', '14:00', 590);
      const [anomaly] = runDetector(log.events);
      expect(anomaly?.data).toMatchObject({
        kind: 'turnout_decreased',
        evidence: [later.eventId, earlier.eventId],
        facts: { votersVoted: 590, previousVotersVoted: 600 },
      });
    });
  });

  describe('(b) refused figures: the service refuses them and records the attempt', () => {
    it('flags a decreasing figure that was refused, with the standing figure as evidence', () => {
      const log = new LogBuilder();
      log.register('PA-10507-001', list);
      log.open('PA-10507-001');
      const earlier = log.report('PA-10507-001', '11:00', 600);
      const attempt = log.refusedFigure('PA-10507-001', '14:00', 590, 'DECREASED', list, [
        '11:00',
        600,
      ]);
      const [anomaly, ...rest] = runDetector(log.events);
      expect(rest).toEqual([]);
      expect(anomaly?.data).toMatchObject({
        kind: 'turnout_decreased',
        severity: 'medium',
        evidence: [attempt.eventId, earlier.eventId],
        facts: { votersVoted: 590, previousVotersVoted: 600, refused: true },
      });
    });

    it('flags a refused figure above the list, with the list as evidence', () => {
      const log = new LogBuilder();
      const registered = log.register('PA-10507-001', 100);
      log.open('PA-10507-001');
      const attempt = log.refusedFigure('PA-10507-001', '16:00', 130, 'ABOVE_LIST', 100, null);
      const [anomaly] = runDetector(log.events);
      expect(anomaly?.data).toMatchObject({
        kind: 'turnout_above_list',
        severity: 'high',
        evidence: [attempt.eventId, registered.eventId],
      });
    });
  });

  describe('(c) implausible jump, very high very early', () => {
    it('flags a rise of 40 points in 30 minutes', () => {
      const log = new LogBuilder();
      log.register('PA-10507-001', list);
      log.report('PA-10507-001', '10:00', 500);
      log.report('PA-10507-001', '10:30', 900);
      expect(kinds(log)).toEqual(['turnout_jump']);
    });

    it('stays silent on the same rise over four hours, and on any rise at a tiny area', () => {
      const log = new LogBuilder();
      log.register('PA-10507-001', list);
      log.report('PA-10507-001', '10:00', 500);
      log.report('PA-10507-001', '14:00', 900);
      log.register('PA-10507-002', 20);
      log.report('PA-10507-002', '10:00', 2);
      log.report('PA-10507-002', '10:30', 18);
      expect(kinds(log)).toEqual([]);
    });

    it('flags 100% at 08:00 but not 100% at 15:00 (Vietnamese turnout is ~99%)', () => {
      const log = new LogBuilder();
      log.register('PA-10507-001', list);
      log.open('PA-10507-001', '06:00');
      log.report('PA-10507-001', '07:55', 1000);
      log.register('PA-10507-002', list);
      log.report('PA-10507-002', '15:00', 1000);
      const anomalies = runDetector(log.events);
      expect(anomalies.map((a) => [a.data.kind, a.data.subject.pollingAreaId])).toEqual([
        ['turnout_early_high', 'PA-10507-001'],
      ]);
      expect(anomalies[0]?.data.facts).toMatchObject({ ceilingBefore: '08:00', ceilingPct: 35 });
    });

    it('flags 70% at 08:50 against the 09:00 ceiling of 60%', () => {
      const log = new LogBuilder();
      log.register('PA-10507-001', list);
      log.report('PA-10507-001', '08:50', 700);
      expect(kinds(log)).toEqual(['turnout_early_high']);
    });
  });

  describe('(d) reported turnout disagreeing with check-ins', () => {
    it('flags a report 100 above the 400 check-ins recorded (tolerance 5% of 1,000)', () => {
      const log = new LogBuilder();
      log.register('PA-10507-001', list);
      const checkIns = log.checkIns('PA-10507-001', 400);
      const report = log.report('PA-10507-001', '11:00', 500);
      const [anomaly, ...rest] = runDetector(log.events);
      expect(rest).toEqual([]);
      expect(anomaly?.data).toMatchObject({
        kind: 'turnout_checkin_mismatch',
        facts: { votersVoted: 500, checkIns: 400, difference: 100, tolerance: 50 },
        evidence: [report.eventId, checkIns.at(-1)?.eventId],
      });
    });

    it('stays silent within the tolerance', () => {
      const log = new LogBuilder();
      log.register('PA-10507-001', list);
      log.checkIns('PA-10507-001', 460);
      log.report('PA-10507-001', '11:00', 500);
      expect(kinds(log)).toEqual([]);
    });
  });

  describe('a lasting condition is one anomaly, raised again only after it cleared', () => {
    it('raises a check-in mismatch once while it lasts, and again after a matching report', () => {
      const log = new LogBuilder();
      log.register('PA-10507-001', list);
      log.checkIns('PA-10507-001', 100);
      const first = log.report('PA-10507-001', '09:00', 300); // 200 off
      log.report('PA-10507-001', '09:30', 320); // still off: the same problem
      log.checkIns('PA-10507-001', 220);
      log.report('PA-10507-001', '10:00', 330); // within tolerance: cleared
      const again = log.report('PA-10507-001', '11:00', 600); // off again
      const anomalies = runDetector(log.events);
      expect(anomalies.map((a) => [a.data.kind, a.data.evidence[0]])).toEqual([
        ['turnout_checkin_mismatch', first.eventId],
        ['turnout_checkin_mismatch', again.eventId],
      ]);
    });

    it('raises very-high-early once per area, not on every morning report', () => {
      const log = new LogBuilder();
      log.register('PA-10507-001', list);
      log.report('PA-10507-001', '07:40', 500);
      log.report('PA-10507-001', '08:20', 700);
      log.report('PA-10507-001', '09:10', 900);
      expect(kinds(log)).toEqual(['turnout_early_high']);
    });
  });

  describe('(e) second check-in with a card, struck-off card', () => {
    it('flags a card used twice and a struck card, not a wrong-area attempt', () => {
      const log = new LogBuilder();
      const reused = log.refused('PA-10507-001', 'PA-10507-001-0042', 'CARD_ALREADY_USED');
      const struck = log.refused('PA-10507-001', 'PA-10507-001-0043', 'VOTER_STRUCK_OFF');
      log.refused('PA-10507-001', 'PA-10507-001-0044', 'WRONG_POLLING_AREA');
      const anomalies = runDetector(log.events);
      expect(
        anomalies.map((a) => [a.data.kind, a.data.subject.cardNumber, a.data.evidence]),
      ).toEqual([
        ['card_reused', 'PA-10507-001-0042', [reused.eventId]],
        ['struck_card_checkin', 'PA-10507-001-0043', [struck.eventId]],
      ]);
    });
  });

  describe('(f) missed reporting round, minutes not in by the deadline', () => {
    it('flags every opened area with no report since the previous round, once per round', () => {
      const log = new LogBuilder();
      for (const area of ['PA-10507-001', 'PA-10507-002', 'PA-10507-003']) log.register(area, list);
      log.open('PA-10507-001');
      log.open('PA-10507-002');
      // 003 never opened: not expected to report.
      log.report('PA-10507-001', '08:50', 200);
      const nine = log.roundClosed('09:00');
      log.report('PA-10507-002', '10:50', 500); // late for 09:00, in time for 11:00
      const eleven = log.roundClosed('11:00');
      const anomalies = runDetector(log.events);
      expect(
        anomalies.map((a) => [
          a.data.subject.pollingAreaId,
          a.data.subject.round,
          a.data.evidence[0],
        ]),
      ).toEqual([
        ['PA-10507-002', '09:00', nine.eventId],
        ['PA-10507-001', '11:00', eleven.eventId],
      ]);
      expect(new Set(anomalies.map((a) => a.data.kind))).toEqual(
        new Set(['reporting_round_missed']),
      );
    });

    it('does not expect reports from a closed area or one voting on another date', () => {
      const log = new LogBuilder();
      log.register('PA-10507-001', list);
      log.open('PA-10507-001');
      log.close('PA-10507-001', '19:00', 990);
      log.register('PA-99999-001', 300, '2026-03-14');
      log.open('PA-99999-001');
      log.roundClosed('19:00');
      log.roundClosed('21:00');
      expect(kinds(log)).toEqual([]);
    });

    it('flags an opened area without every level minute at the deadline, naming the levels', () => {
      const log = new LogBuilder();
      log.register('PA-10507-001', list);
      log.open('PA-10507-001');
      log.minute('PA-10507-001', 'na', cleanMinute(list, 900, 10, { c1: 500 }));
      const deadline = log.minutesDeadline();
      const [anomaly, ...rest] = runDetector(log.events);
      expect(rest).toEqual([]);
      expect(anomaly?.data).toMatchObject({
        kind: 'minutes_missing',
        facts: { missingLevels: ['city', 'commune'] },
        evidence: [deadline.eventId, expect.any(String)],
      });
    });
  });

  describe('(g) dominant candidate, invalid share far from the commune median', () => {
    it('flags a candidate with 96% of the valid ballots', () => {
      const log = new LogBuilder();
      log.minute('PA-10507-001', 'city', cleanMinute(list, 900, 10, { c1: 860, c2: 30 }));
      const [anomaly] = runDetector(log.events);
      expect(anomaly?.data).toMatchObject({
        kind: 'dominant_candidate',
        subject: { candidateId: 'c1', level: 'city' },
      });
    });

    it('stays silent at 95% exactly and at a small area', () => {
      const log = new LogBuilder();
      log.minute('PA-10507-001', 'city', cleanMinute(list, 110, 10, { c1: 95, c2: 5 }));
      log.minute('PA-10507-002', 'city', cleanMinute(40, 40, 0, { c1: 40 }));
      expect(kinds(log)).toEqual([]);
    });

    it('flags 15% invalid where the commune median is 2%, judged once enough minutes arrived', () => {
      const log = new LogBuilder();
      // The outlier arrives first: it is judged when the fifth minute of the commune arrives.
      const outlier = log.minute('PA-10507-001', 'na', cleanMinute(list, 1000, 150, { c1: 600 }));
      for (const [i, area] of ['PA-10507-002', 'PA-10507-003', 'PA-10507-004'].entries())
        log.minute(area, 'na', cleanMinute(list, 1000, 20 + i, { c1: 600 }));
      expect(kinds(log)).toEqual([]);
      const fifth = log.minute('PA-10507-005', 'na', cleanMinute(list, 1000, 18, { c1: 600 }));
      // Another commune's minutes are not its neighbours.
      log.minute('PA-10508-001', 'na', cleanMinute(list, 1000, 150, { c1: 600 }));
      const anomalies = runDetector(log.events);
      expect(anomalies).toHaveLength(1);
      expect(anomalies[0]?.data).toMatchObject({
        kind: 'invalid_share_outlier',
        subject: { pollingAreaId: 'PA-10507-001', communeId: '10507', level: 'na' },
        evidence: [fifth.eventId, outlier.eventId],
        facts: { invalidSharePct: 15, peers: 4 },
      });
      // A later arrival judges the outlier again: nothing new.
      log.minute('PA-10507-006', 'na', cleanMinute(list, 1000, 21, { c1: 600 }));
      expect(runDetector(log.events)).toHaveLength(1);
    });
  });

  it('takes its thresholds from configuration', () => {
    const log = new LogBuilder();
    log.register('PA-10507-001', list);
    log.report('PA-10507-001', '08:50', 700);
    const relaxed = AnomalyThresholds.parse({ earlyTurnoutCeilings: [] });
    expect(runDetector(log.events, { thresholds: relaxed })).toEqual([]);
    expect(() => AnomalyThresholds.parse({ dominantCandidatePct: 120 })).toThrow();
  });
});
