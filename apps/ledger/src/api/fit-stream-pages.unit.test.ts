import type { RecordedEvent } from '@hpe/domain';
import { describe, expect, it } from 'vitest';
import { fitStreamPages } from './fit-stream-pages.js';

function events(streamId: string, count: number, from = 0): RecordedEvent[] {
  return Array.from({ length: count }, (_, i) => ({
    position: i + 1,
    eventId: `0190a0b0-0000-7000-8000-${String(i).padStart(12, '0')}`,
    streamId,
    streamRevision: from + i,
    type: 'TestEvent',
    schemaVersion: 1,
    data: { blob: 'x'.repeat(200) },
    metadata: {},
    recordedAt: '2026-03-15T00:00:00.000Z',
    prevHash: '0'.repeat(64),
    hash: '1'.repeat(64),
  })) as unknown as RecordedEvent[];
}
const size = (e: RecordedEvent): number => Buffer.byteLength(JSON.stringify(e)) + 1;

describe('fitStreamPages', () => {
  it('keeps every page whole when they fit, with nextFrom only on a full page', () => {
    const found = [events('a', 3), events('b', 0), events('c', 2)];
    const pages = fitStreamPages(
      [
        { fromRevision: 0, limit: 10 },
        { fromRevision: 0, limit: 10 },
        { fromRevision: 0, limit: 2 },
      ],
      found,
      1_000_000,
    );
    expect(pages.map((p) => p.events.length)).toEqual([3, 0, 2]);
    expect(pages.map((p) => p.nextFrom)).toEqual([undefined, undefined, 2]);
  });

  it('cuts the page that does not fit and leaves the later ones empty, each saying where to go on', () => {
    const a = events('a', 5);
    const budget = 64 * 3 + a.slice(0, 3).reduce((n, e) => n + size(e), 0);
    const pages = fitStreamPages(
      [
        { fromRevision: 0, limit: 100 },
        { fromRevision: 4, limit: 100 },
      ],
      [a, events('b', 2, 4)],
      budget,
    );
    expect(pages[0]).toMatchObject({ nextFrom: 3 });
    expect(pages[0]?.events.map((e) => e.streamRevision)).toEqual([0, 1, 2]);
    expect(pages[1]).toEqual({ events: [], nextFrom: 4 });
  });

  it('never exceeds the budget', () => {
    const found = [events('a', 40), events('b', 40), events('c', 40)];
    const reads = found.map(() => ({ fromRevision: 0, limit: 1_000 }));
    for (const budget of [0, 100, 1_000, 5_000, 12_345]) {
      const pages = fitStreamPages(reads, found, budget);
      const used = pages.reduce((n, p) => n + 64 + p.events.reduce((m, e) => m + size(e), 0), 0);
      expect(used).toBeLessThanOrEqual(Math.max(budget, 64 * 3));
      for (const page of pages)
        expect(page.nextFrom).toBe(page.events.length < 40 ? page.events.length : undefined);
    }
  });
});
