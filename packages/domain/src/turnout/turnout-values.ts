// The values a turnout stream carries, each checked by one schema: the polling area's id, counts of
// voters, field times with their offset and the election date an area votes on.
import { z } from 'zod';
import { Count, FieldTime, MAX_COUNT, PollingAreaId } from '../ids.js';

export { PollingAreaId };

/** A count of voters at one polling area, bounded like every count. */
export const MAX_VOTERS = MAX_COUNT;
export const VoterCount = Count;

export { FieldTime };

/** The calendar day (in Vietnam) an area votes on: 2026-03-15, or 2026-03-14 at Bạch Long Vĩ. */
export const ElectionDate = z.iso.date();

export const electionDates = {
  /** 15 March 2026: every polling area of the city but one đặc khu. */
  regular: '2026-03-15',
  /** Đặc khu Bạch Long Vĩ votes one day early (an island: results must travel by sea). */
  bachLongVi: '2026-03-14',
} as const;
