import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  addDays,
  ageOn,
  formatIsoDate,
  fromDayNumber,
  parseIsoDate,
  toDayNumber,
} from './calendar.js';

describe('calendar dates', () => {
  it('agrees with Date.UTC on day numbers (property, 1900–2100)', () => {
    fc.assert(
      fc.property(fc.integer({ min: -25_567, max: 47_482 }), (dayNumber) => {
        const viaDate = new Date(dayNumber * 86_400_000).toISOString().slice(0, 10);
        expect(formatIsoDate(fromDayNumber(dayNumber))).toBe(viaDate);
        const parsed = parseIsoDate(viaDate);
        expect(parsed && toDayNumber(parsed)).toBe(dayNumber);
      }),
    );
  });

  it('rejects dates that are not on the calendar', () => {
    for (const bad of [
      '2026-02-29',
      '2024-02-30',
      '2026-13-01',
      '2026-00-10',
      '2026-3-15',
      '15/03/2026',
    ]) {
      expect(parseIsoDate(bad)).toBeUndefined();
    }
    expect(parseIsoDate('2024-02-29')).toEqual({ year: 2024, month: 2, day: 29 });
  });

  it('moves across months: cards for 15 March go out 5–12 March, for 14 March 4–11 March', () => {
    expect([addDays('2026-03-15', -10), addDays('2026-03-15', -3)]).toEqual([
      '2026-03-05',
      '2026-03-12',
    ]);
    expect([addDays('2026-03-14', -10), addDays('2026-03-14', -3)]).toEqual([
      '2026-03-04',
      '2026-03-11',
    ]);
    expect(addDays('2024-03-01', -1)).toBe('2024-02-29');
  });

  it('counts a birthday on the day itself as reached', () => {
    const on = { year: 2026, month: 3, day: 15 };
    expect(ageOn({ year: 2005, month: 3, day: 15 }, on)).toBe(21);
    expect(ageOn({ year: 2005, month: 3, day: 16 }, on)).toBe(20);
    expect(ageOn({ year: 2004, month: 2, day: 29 }, { year: 2025, month: 2, day: 28 })).toBe(20);
  });
});
