// The schedule in a drill (HPE_CLOCK=drill, as the embedded stack runs it): reporting rounds close
// on the simulator's published time, not on the calendar — nothing before its first tick, even on a
// machine whose calendar is long past election day, then each round once its time is published.
import { publishDrillTime } from '@hpe/messaging';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startAnomaliesHarness, type AnomaliesHarness } from './anomalies-service.test-support.js';

let h: AnomaliesHarness;
beforeAll(async () => {
  h = await startAnomaliesHarness({ drill: true, referenceSeed: false });
}, 180_000);
afterAll(async () => {
  await h?.stop();
}, 60_000);

const scheduleEvents = async () =>
  (await h.eventsAfter(0)).filter((e) => e.streamId.startsWith('schedule-'));

it('records nothing before the first tick, then each round as the drill clock passes it', async () => {
  // The calendar is past 15 March 2026; a wall clock would have closed every round by now.
  await h.service.schedule?.tick();
  expect(await scheduleEvents()).toEqual([]);

  publishDrillTime(h.nc, new Date('2026-03-15T09:05:00+07:00'));
  await expect.poll(async () => (await scheduleEvents()).length, { timeout: 5_000 }).toBe(1);
  // An older tick does not move the clock back.
  publishDrillTime(h.nc, new Date('2026-03-15T08:00:00+07:00'));
  publishDrillTime(h.nc, new Date('2026-03-15T11:30:00+07:00'));
  await expect.poll(async () => (await scheduleEvents()).length, { timeout: 5_000 }).toBe(2);
  // A malformed tick is ignored.
  h.nc.publish('hpe.drill.clock', 'not json');
  h.nc.publish('hpe.drill.clock', JSON.stringify({ now: 'tomorrow' }));
  await h.service.schedule?.tick();
  const events = await scheduleEvents();
  expect(events.map((e) => [e.type, (e.data as { round?: string }).round])).toEqual([
    ['ReportingRoundClosed', '09:00'],
    ['ReportingRoundClosed', '11:00'],
  ]);
});
