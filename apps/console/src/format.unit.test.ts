// Numbers and times as each language writes them, in the city's time zone.
import { describe, expect, it } from 'vitest';
import {
  formatAge,
  formatDateTime,
  formatNumber,
  formatPct,
  formatTime,
  shortHash,
} from './format.js';

describe('format', () => {
  it('groups numbers as vi-VN and en-US do', () => {
    expect(formatNumber(3_189_339, 'vi')).toBe('3.189.339');
    expect(formatNumber(3_189_339, 'en')).toBe('3,189,339');
    expect(formatPct(80.64, 'vi')).toBe('80,6 %');
    expect(formatPct(80.64, 'en')).toBe('80.6 %');
  });

  it('shows times in Hải Phòng time whatever the offset given', () => {
    expect(formatTime('2026-03-15T02:15:00Z', 'vi')).toBe('09:15');
    expect(formatDateTime('2026-03-15T08:00:01+07:00', 'vi')).toBe('15/03/2026 08:00:01');
    expect(formatDateTime('2026-03-15T08:00:01+07:00', 'en')).toBe('03/15/2026 08:00:01');
  });

  it('says how old a figure is in the largest whole unit', () => {
    expect(formatAge(5_000, 'vi')).toBe('5 giây trước');
    expect(formatAge(5_000, 'en')).toBe('5 seconds ago');
    expect(formatAge(125_000, 'en')).toBe('2 minutes ago');
    expect(formatAge(2 * 3_600_000, 'vi')).toBe('2 giờ trước');
  });

  it('shortens a hash but keeps both ends', () => {
    expect(shortHash('0123456789abcdef'.repeat(4))).toBe('01234567…cdef');
  });
});
