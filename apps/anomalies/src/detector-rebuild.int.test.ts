// How long the detector takes to rebuild its fold from the start of a 100k-event log (what every
// restart does), and that the rebuild appends nothing: its anomalies are already in the log.
import { defaultAnomalyThresholds } from '@hpe/domain';
import { closeNats, connectNats } from '@hpe/messaging';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { AnomalyDetectorRunner } from './detector/anomaly-detector-runner.js';
import { startAnomaliesHarness, type AnomaliesHarness } from './anomalies-service.test-support.js';

const silentLog = { debug() {}, info() {}, warn() {}, error() {} };
const areas = 100;
const checkInsPerArea = 997;

let h: AnomaliesHarness;
beforeAll(async () => {
  h = await startAnomaliesHarness({ referenceSeed: false });
}, 180_000);
afterAll(async () => {
  await h?.stop();
}, 60_000);

it('rebuilds from a 100k-event log and appends nothing new', async () => {
  const appendStarted = performance.now();
  for (let a = 0; a < areas; a++) {
    const pollingAreaId = `PA-20${String(a).padStart(3, '0')}-001`;
    await h.append(`turnout-${pollingAreaId}`, [
      {
        type: 'PollingAreaRegistered',
        data: { pollingAreaId, votersOnList: 1000, electionDate: '2026-03-15' },
      },
      { type: 'PollingAreaOpened', data: { pollingAreaId, at: '2026-03-15T07:00:00+07:00' } },
    ]);
    const checkIns = Array.from({ length: checkInsPerArea }, (_, i) => ({
      type: 'VoterCheckedIn',
      data: {
        cardNumber: `${pollingAreaId}-${String(i).padStart(4, '0')}`,
        pollingAreaId,
        at: '2026-03-15T08:00:00+07:00',
        ballots: ['na', 'city', 'commune'],
      },
    }));
    await h.append(`voter-${a.toString(16).padStart(64, '0')}`, checkIns);
    // Every tenth area reports far more than its check-ins: 10 anomalies in the log.
    await h.append(`turnout-${pollingAreaId}`, [
      {
        type: 'TurnoutReported',
        data: {
          pollingAreaId,
          asOf: '2026-03-15T16:00:00+07:00',
          votersVoted: a % 10 === 0 ? 700 : checkInsPerArea,
        },
      },
    ]);
  }
  const appendSeconds = (performance.now() - appendStarted) / 1000;
  const head = await h.head();
  expect(head).toBeGreaterThanOrEqual(100_000);

  const liveStarted = performance.now();
  await h.service.detector?.waitForPosition(head, 300_000);
  const liveSeconds = (performance.now() - liveStarted) / 1000;
  expect(h.service.detector?.stats()).toMatchObject({ appended: areas / 10, conflicts: 0 });
  const withAnomalies = await h.head();

  const nc = await connectNats({ servers: [h.nats.url], name: 'anomalies-rebuild' });
  const rebuild = new AnomalyDetectorRunner({
    nc,
    ledger: h.ledger,
    context: h.service.detector?.context ?? { thresholds: defaultAnomalyThresholds },
    log: silentLog,
  });
  const rebuildStarted = performance.now();
  try {
    await rebuild.start();
    await rebuild.waitForPosition(withAnomalies, 300_000);
    const rebuildSeconds = (performance.now() - rebuildStarted) / 1000;
    expect(rebuild.stats()).toMatchObject({ appended: 0, duplicates: areas / 10, conflicts: 0 });
    expect(await h.head()).toBe(withAnomalies);
    console.log(
      `[anomalies] ${withAnomalies} events: appended in ${appendSeconds.toFixed(1)} s; ` +
        `live detector caught up ${liveSeconds.toFixed(1)} s after the last append; ` +
        `restart rebuild ${rebuildSeconds.toFixed(1)} s ` +
        `(${Math.round(withAnomalies / rebuildSeconds)} events/s)`,
    );
  } finally {
    await rebuild.stop();
    await closeNats(nc);
  }
}, 600_000);
