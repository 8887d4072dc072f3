import { describe, expect, it } from 'vitest';
import { LatencyHistogram } from './latency-histogram.js';

describe('LatencyHistogram', () => {
  it('reads percentiles to within 9% and never above the maximum', () => {
    const h = new LatencyHistogram();
    for (let ms = 1; ms <= 1000; ms++) h.record(ms);
    expect(h.count).toBe(1000);
    expect(h.maxMs).toBe(1000);
    for (const [p, exact] of [
      [0.5, 500],
      [0.95, 950],
      [0.99, 990],
    ] as const) {
      const read = h.percentile(p);
      expect(read).toBeGreaterThanOrEqual(exact);
      expect(read).toBeLessThanOrEqual(exact * 1.091);
    }
    expect(h.percentile(1)).toBe(1000);
  });

  it('keeps its size whatever it records, and counts the extremes', () => {
    const h = new LatencyHistogram();
    h.record(0);
    h.record(0.001);
    h.record(10_000_000);
    expect(h.count).toBe(3);
    expect(h.percentile(0.5)).toBeLessThanOrEqual(0.01);
    expect(h.percentile(0.99)).toBe(10_000_000);
    expect(new LatencyHistogram().percentile(0.5)).toBe(0);
  });
});
