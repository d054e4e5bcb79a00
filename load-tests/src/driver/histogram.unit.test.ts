import { describe, expect, it } from 'vitest';
import { LatencyHistogram } from './histogram.ts';

describe('LatencyHistogram', () => {
  it('gives percentiles within 1 % and the exact max of 1..1000 ms', () => {
    const h = new LatencyHistogram();
    // Shuffled order, so the result cannot depend on insertion order.
    for (let i = 0; i < 1_000; i += 1) h.record(((i * 7919) % 1_000) + 1);
    const s = h.summary();
    expect(s.count).toBe(1_000);
    expect(s.min).toBe(1);
    expect(s.max).toBe(1_000);
    expect(s.mean).toBeCloseTo(500.5, 6);
    expect(s.p50 / 500).toBeGreaterThanOrEqual(0.99);
    expect(s.p50 / 500).toBeLessThanOrEqual(1.01);
    expect(s.p90 / 900).toBeGreaterThanOrEqual(0.99);
    expect(s.p90 / 900).toBeLessThanOrEqual(1.01);
    expect(s.p99 / 990).toBeGreaterThanOrEqual(0.99);
    expect(s.p99 / 990).toBeLessThanOrEqual(1.01);
  });

  it('sees a slow tail: 98 fast requests and 2 slow ones put p99 on the slow side', () => {
    const h = new LatencyHistogram();
    for (let i = 0; i < 98; i += 1) h.record(3);
    h.record(250);
    h.record(400);
    expect(h.percentile(0.5)).toBeCloseTo(3, 1);
    expect(h.percentile(0.98)).toBeCloseTo(3, 1);
    expect(h.percentile(0.99)).toBeGreaterThan(247);
    expect(h.percentile(0.99)).toBeLessThan(253);
    expect(h.percentile(1)).toBe(400);
  });

  it('is empty-safe and draws its ranges', () => {
    const h = new LatencyHistogram();
    expect(h.summary()).toMatchObject({ count: 0, p99: 0, max: 0 });
    h.record(0.5);
    h.record(7);
    h.record(7);
    h.record(9_999);
    const ranges = h.ranges();
    expect(ranges.find((r) => r.label === '<= 1 ms')?.count).toBe(1);
    expect(ranges.find((r) => r.label === '<= 10 ms')?.count).toBe(2);
    expect(ranges.find((r) => r.label === '> 5000 ms')?.count).toBe(1);
    expect(ranges.reduce((a, r) => a + r.count, 0)).toBe(4);
    expect(h.ascii(10)).toContain('<= 10 ms | ########## 2');
  });
});
