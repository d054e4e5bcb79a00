// The three ballots every voter casts, and the schema that checks a level wherever one arrives.
import { z } from 'zod';

export const levels = ['na', 'city', 'commune'] as const;
export const Level = z.enum(levels);
export type Level = z.infer<typeof Level>;

export const levelNames: Record<Level, { readonly vi: string; readonly en: string }> = {
  na: { vi: 'Đại biểu Quốc hội khóa XVI', en: 'National Assembly (16th)' },
  city: { vi: 'Đại biểu HĐND thành phố', en: 'City People’s Council' },
  commune: { vi: 'Đại biểu HĐND cấp xã', en: 'Commune People’s Council' },
};
