import { describe, expect, it } from 'vitest';
import { dailyTotals, p95, type StatSeries } from '../src/api/statSeries.ts';

const BOUNDS = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10_000, 20_000, 50_000];
const hist = (at: Record<number, number>) => Array.from({ length: BOUNDS.length + 1 }, (_, i) => at[i] ?? 0);

describe("the portal's statistics chart", () => {
  it('p95 is the upper edge of the bucket holding the 95th percentile', () => {
    expect(p95(hist({}), BOUNDS)).toBeNull();
    // 94 attempts under 10 ms ([5, 10) is bucket 3), 6 in [200, 500): the 95th is in the slow bucket.
    expect(p95(hist({ 3: 94, 8: 6 }), BOUNDS)).toBe(500);
    expect(p95(hist({ 3: 95, 8: 5 }), BOUNDS)).toBe(10);
    expect(p95(hist({ 15: 1 }), BOUNDS)).toBe(50_000);
  });

  it('sums hour buckets into local days, oldest first, with each day its p95', () => {
    const now = new Date(2026, 11, 6, 15, 30);
    const at = (daysBack: number, hour: number) => new Date(2026, 11, 6 - daysBack, hour).toISOString();
    const bucket = (start: string, success: number, fail: number, h: number[]) => ({
      start,
      success,
      fail,
      responses: { '2xx': success, '3xx': 0, '4xx': 0, '5xx': fail, other: 0 },
      latencyHistogram: h,
      latencyMs: null,
    });
    const series: StatSeries = {
      granularity: 'hour',
      since: at(6, 0),
      until: now.toISOString(),
      latencyBoundsMs: BOUNDS,
      data: [
        bucket(at(8, 3), 50, 50, hist({ 2: 100 })),
        bucket(at(6, 0), 3, 1, hist({ 4: 4 })),
        bucket(at(0, 1), 2, 0, hist({ 3: 2 })),
        bucket(at(0, 14), 5, 2, hist({ 6: 7 })),
      ],
    };
    const days = dailyTotals(series, 7, now);
    expect(days).toHaveLength(7);
    // A bucket before the first day is left out.
    expect(days.map((d) => [d.success, d.fail])).toEqual([
      [3, 1],
      [0, 0],
      [0, 0],
      [0, 0],
      [0, 0],
      [0, 0],
      [7, 2],
    ]);
    expect(days.map((d) => d.p95)).toEqual([20, null, null, null, null, null, 100]);
  });
});
