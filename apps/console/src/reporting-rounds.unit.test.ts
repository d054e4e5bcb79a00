// The console's rounds are the domain's schedule, and the round a screen chases follows the wall
// clock on the day and the data on any other day.
import { ScheduleConfig } from '@hpe/domain';
import { describe, expect, it } from 'vitest';
import { currentRound, reportingRounds } from './reporting-rounds.js';

const at = (time: string, date = '2026-03-15'): string => `${date}T${time}:00+07:00`;

describe('reporting rounds', () => {
  it('are the default schedule of the domain', () => {
    expect([...reportingRounds]).toEqual(ScheduleConfig.parse({}).reportingRounds);
  });

  it('have no current round before any figure or before the first round', () => {
    expect(currentRound(Date.parse(at('10:00')), undefined)).toBeNull();
    expect(currentRound(Date.parse(at('08:30')), at('08:15'))).toBeNull();
  });

  it('follow the wall clock on the day of the latest figure', () => {
    expect(currentRound(Date.parse(at('11:05')), at('10:45'))).toBe('11:00');
    expect(currentRound(Date.parse(at('20:00')), at('19:00'))).toBe('19:00');
  });

  it('follow the latest figure on any other day (a replay or a demo after the election)', () => {
    const december = Date.parse('2026-12-04T22:00:00+07:00');
    expect(currentRound(december, at('09:15'))).toBe('09:00');
    expect(currentRound(december, at('14:00'))).toBe('14:00');
    expect(currentRound(december, at('13:59'))).toBe('11:00');
  });

  it('reads Bạch Long Vĩ’s day, one day early, the same way', () => {
    expect(currentRound(Date.parse(at('16:30', '2026-03-14')), at('16:15', '2026-03-14'))).toBe(
      '16:00',
    );
  });
});
