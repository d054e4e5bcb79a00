import { describe, expect, it } from 'vitest';
import { commandClock, type DrillClock } from './drill-clock.js';

const drillAt = (iso: string | undefined): DrillClock =>
  ({ now: () => (iso === undefined ? undefined : new Date(iso)) }) as unknown as DrillClock;

describe('commandClock', () => {
  it('is the calendar in wall mode, whatever the drill says', () => {
    const before = Date.now();
    const now = commandClock('wall', drillAt('2026-03-15T09:00:00+07:00'))().getTime();
    expect(now).toBeGreaterThanOrEqual(before);
  });

  it("follows the drill's time once it ticks", () => {
    expect(commandClock('drill', drillAt('2026-03-15T09:00:00+07:00'))().toISOString()).toBe(
      '2026-03-15T02:00:00.000Z',
    );
  });

  it('is the calendar in a drill before the first tick', () => {
    const before = Date.now();
    expect(commandClock('drill', drillAt(undefined))().getTime()).toBeGreaterThanOrEqual(before);
  });
});
