// The anomalies service against real servers: crafted events appended through the ledger raise the
// expected anomalies (with the crafted events as evidence), a clean log raises none, the schedule
// records rounds once, re-running the detector over the same log appends nothing, and operators
// acknowledge and dismiss over NATS with the decider's codes.
import { anomalySubjects } from '@hpe/service-kit';
import type { AnomalyDetected, RecordedEvent } from '@hpe/domain';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AnomalyDetectorRunner } from './detector/anomaly-detector-runner.js';
import { startAnomaliesHarness, type AnomaliesHarness } from './anomalies-service.test-support.js';
import { connectNats, closeNats } from '@hpe/messaging';
import { defaultAnomalyThresholds } from '@hpe/domain';
import { ScheduleEmitter } from './schedule/schedule-emitter.js';
import { ScheduleConfig } from '@hpe/domain';

interface Reply {
  ok: boolean;
  value?: { eventIds: string[]; position: number };
  error?: { code: string; message: string };
}

const at = (time: string): string => `2026-03-15T${time}:00+07:00`;
const sender = { actor: { id: 'ops', role: 'ops' }, correlationId: 'test-ops' };
const silentLog = { debug() {}, info() {}, warn() {}, error() {} };

let h: AnomaliesHarness;
/** Every anomaly the detector appended so far, from the log. */
const anomaliesIn = (events: readonly RecordedEvent[]): AnomalyDetected['data'][] =>
  events.filter((e) => e.type === 'AnomalyDetected').map((e) => e.data as AnomalyDetected['data']);

async function allAnomalies(): Promise<AnomalyDetected['data'][]> {
  return anomaliesIn(await h.eventsAfter(0));
}

beforeAll(async () => {
  h = await startAnomaliesHarness();
}, 180_000);
afterAll(async () => {
  await h?.stop();
}, 60_000);

const registered = (pollingAreaId: string, votersOnList: number) => ({
  type: 'PollingAreaRegistered',
  data: { pollingAreaId, votersOnList, electionDate: '2026-03-15' },
});
const opened = (pollingAreaId: string, time = '07:00') => ({
  type: 'PollingAreaOpened',
  data: { pollingAreaId, at: at(time) },
});
const reported = (pollingAreaId: string, time: string, votersVoted: number) => ({
  type: 'TurnoutReported',
  data: { pollingAreaId, asOf: at(time), votersVoted },
});

describe('the anomaly detector on a real ledger', () => {
  it('stays silent on a clean log', async () => {
    const before = await h.head();
    await h.append('turnout-PA-10507-010', [
      registered('PA-10507-010', 800),
      opened('PA-10507-010'),
      reported('PA-10507-010', '08:30', 180),
      reported('PA-10507-010', '10:30', 460),
    ]);
    const settled = await h.settle();
    expect(settled).toBe(before + 4);
    expect(await h.head()).toBe(settled);
    expect(await allAnomalies()).toEqual([]);
  });

  it('appends the expected anomalies with the crafted events as evidence', async () => {
    const before = await h.head();
    const [reg, open, early] = await h.append('turnout-PA-10507-011', [
      registered('PA-10507-011', 1000),
      opened('PA-10507-011', '06:00'),
      reported('PA-10507-011', '07:50', 900),
    ]);
    const [refused] = await h.append(`voter-${'b'.repeat(64)}`, [
      {
        type: 'CheckInRefused',
        data: {
          cardNumber: 'PA-10507-011-0042',
          reason: 'CARD_ALREADY_USED',
          pollingAreaId: 'PA-10507-011',
          attemptedAt: at('09:10'),
          listedPollingAreaId: 'PA-10507-011',
          firstCheckInAt: at('07:30'),
          firstCheckInPollingAreaId: 'PA-10507-011',
        },
      },
    ]);
    const [minute] = await h.append('tally-PA-10507-011-na', [
      {
        type: 'CountingMinuteSubmitted',
        data: {
          pollingAreaId: 'PA-10507-011',
          level: 'na',
          unitId: 'U-unknown',
          minute: {
            votersOnList: 1000,
            votersVoted: 990,
            ballotsIssued: 990,
            ballotsReceived: 990,
            validBallots: 900,
            invalidBallots: 20,
            votes: { c1: 600, c2: 500 },
            complaints: { received: 0, resolved: 0, forwarded: 0 },
          },
          by: 'test',
          version: 1,
          submittedAt: at('21:00'),
        },
      },
    ]);
    await h.settle();
    const raised = anomaliesIn(await h.eventsAfter(before));
    expect(raised.map((a) => [a.kind, a.evidence])).toEqual([
      ['turnout_early_high', [early, open]],
      ['card_reused', [refused]],
      ['minute_inconsistent', [minute]],
    ]);
    expect(raised[0]?.subject).toEqual({
      pollingAreaId: 'PA-10507-011',
      communeId: expect.any(String),
    });
    expect(reg).toBeDefined();
  });

  it('fires the missed-round rule on a recorded schedule event, recorded once by two emitters', async () => {
    await h.append('turnout-PA-10507-012', [
      registered('PA-10507-012', 500),
      opened('PA-10507-012'),
    ]);
    await h.settle();
    const before = await h.head();
    h.setScheduleNow(new Date(at('09:05')));
    await h.service.schedule?.tick();
    const second = new ScheduleEmitter({
      ledger: h.ledger,
      clock: () => new Date(at('09:05')),
      electionDates: ['2026-03-15'],
      config: ScheduleConfig.parse({}),
      log: silentLog,
      pollMs: 60_000,
    });
    expect(await second.tick()).toBe(1);
    const settled = await h.settle();
    const after = await h.eventsAfter(before);
    expect(after.filter((e) => e.type === 'ReportingRoundClosed')).toHaveLength(1);
    const missed = anomaliesIn(after);
    // 010 and 011 reported since the start; 012 opened and stayed silent.
    expect(missed.map((a) => [a.kind, a.subject.pollingAreaId, a.subject.round])).toEqual([
      ['reporting_round_missed', 'PA-10507-012', '09:00'],
    ]);
    const round = after.find((e) => e.type === 'ReportingRoundClosed');
    expect(missed[0]?.evidence[0]).toBe(round?.eventId);
    expect(settled).toBeGreaterThan(before);
  });

  describe('acknowledge and dismiss over NATS', () => {
    it('acknowledges, then dismisses; refusals keep their codes and append nothing', async () => {
      const [anomaly] = await allAnomalies();
      expect(anomaly).toBeDefined();
      const anomalyId = anomaly?.anomalyId ?? '';
      const ack = (await h.request(anomalySubjects.acknowledge, {
        anomalyId,
        note: 'team called',
        ...sender,
      })) as Reply;
      expect(ack.ok).toBe(true);
      const head = await h.head();
      const again = (await h.request(anomalySubjects.acknowledge, {
        anomalyId,
        note: 'again',
        ...sender,
      })) as Reply;
      expect(again.error?.code).toBe('ANOMALY.ALREADY_ACKNOWLEDGED');
      expect(await h.head()).toBe(head);
      const dismiss = (await h.request(anomalySubjects.dismiss, {
        anomalyId,
        reason: 'scanner double read',
        ...sender,
      })) as Reply;
      expect(dismiss.ok).toBe(true);
      const stream = await h.ledger.readStream(`anomaly-${anomalyId}`);
      expect(stream.ok && stream.value.events.map((e) => e.type)).toEqual([
        'AnomalyDetected',
        'AnomalyAcknowledged',
        'AnomalyDismissed',
      ]);
      const headAfter = await h.head();
      for (const [subject, body, code] of [
        [anomalySubjects.dismiss, { anomalyId, reason: 'twice' }, 'ANOMALY.ALREADY_DISMISSED'],
        [anomalySubjects.acknowledge, { anomalyId, note: 'late' }, 'ANOMALY.ALREADY_DISMISSED'],
        [
          anomalySubjects.acknowledge,
          { anomalyId: '0195a3c2-1111-7aaa-8bbb-123456789abc', note: 'x' },
          'ANOMALY.NOT_FOUND',
        ],
        [anomalySubjects.dismiss, { anomalyId, reason: '   ' }, 'VALIDATION_FAILED'],
        [anomalySubjects.dismiss, { anomalyId: 'not-a-uuid', reason: 'x' }, 'VALIDATION_FAILED'],
        [anomalySubjects.acknowledge, { anomalyId, note: 'x', extra: 1 }, 'VALIDATION_FAILED'],
      ] as const) {
        const reply = (await h.request(subject, { ...body, ...sender })) as Reply;
        expect(reply.error?.code, JSON.stringify(body)).toBe(code);
      }
      expect(await h.head()).toBe(headAfter);
    });
  });

  it('re-running the detector over the same log appends nothing', async () => {
    const head = await h.settle();
    const known = (await allAnomalies()).length;
    expect(known).toBeGreaterThanOrEqual(4);
    const nc = await connectNats({ servers: [h.nats.url], name: 'anomalies-rerun' });
    const rerun = new AnomalyDetectorRunner({
      nc,
      ledger: h.ledger,
      context: h.service.detector?.context ?? { thresholds: defaultAnomalyThresholds },
      log: silentLog,
    });
    try {
      await rerun.start();
      await rerun.waitForPosition(head);
      expect(rerun.stats()).toMatchObject({ appended: 0, duplicates: known, conflicts: 0 });
      expect(await h.head()).toBe(head);
    } finally {
      await rerun.stop();
      await closeNats(nc);
    }
  });

  it('fills a gap in what EVENTS delivered from the ledger, in position order', async () => {
    const head = await h.settle();
    const nc = await connectNats({ servers: [h.nats.url], name: 'anomalies-gap' });
    const runner = new AnomalyDetectorRunner({
      nc,
      ledger: h.ledger,
      context: h.service.detector?.context ?? { thresholds: defaultAnomalyThresholds },
      log: silentLog,
    });
    try {
      // Not started: the test hands it the head event alone, as if 1..head-1 had been lost.
      const [last] = await h.eventsAfter(head - 1);
      if (last === undefined) throw new Error('empty log');
      await runner.handle(last);
      expect(runner.stats()).toMatchObject({ position: head, eventsFolded: head, appended: 0 });
      expect(runner.stats().duplicates).toBeGreaterThan(0);
      expect(await h.head()).toBe(head);
    } finally {
      await closeNats(nc);
    }
  });
});
