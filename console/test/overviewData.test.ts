import { describe, expect, it } from 'vitest';
import { chartBars, percent, perMinute } from '../src/pages/overview/overviewData.ts';

const bucket = (start: string, success: number, fail: number) => ({
  start,
  success,
  fail,
  responses: { '2xx': success, '3xx': 0, '4xx': 0, '5xx': fail, other: 0 },
  latencyHistogram: [],
  latencyMs: null,
});

/** `n` hour buckets from midnight UTC, each with `i` successes and 1 failure. */
const hours = (n: number) => Array.from({ length: n }, (_, i) => bucket(new Date(Date.UTC(2026, 11, 6, i)).toISOString(), i, 1));

describe('the overview chart', () => {
  it('sums a day of hour buckets into bars of 3 hours ending at the newest, the oldest partial bar kept', () => {
    const bars = chartBars({ window: 'day', data: hours(25) });
    expect(bars).toHaveLength(9);
    // 25 buckets: the first bar is the oldest bucket alone, then 8 bars of 3.
    expect(bars[0]).toMatchObject({ success: 0, fail: 1 });
    expect(bars[1]).toMatchObject({ success: 1 + 2 + 3, fail: 3 });
    expect(bars.at(-1)).toMatchObject({ success: 22 + 23 + 24, fail: 3 });
    // Nothing is lost or counted twice.
    expect(bars.reduce((n, b) => n + b.success, 0)).toBe((24 * 25) / 2);
    expect(bars.reduce((n, b) => n + b.fail, 0)).toBe(25);
  });

  it('gives a week one bar a day, labelled by weekday', () => {
    const bars = chartBars({ window: 'week', data: hours(168) });
    expect(bars).toHaveLength(7);
    expect(new Set(bars.map((b) => b.label)).size).toBe(7);
    expect(bars.every((b) => b.fail === 24)).toBe(true);
  });
});

describe('the overview figures', () => {
  it('floors the success rate to a tenth of a percent, so nearly all is not shown as all', () => {
    expect(percent(null)).toBe('–');
    expect(percent(1)).toBe('100%');
    expect(percent(0.9995)).toBe('99.9%');
    expect(percent(0.29)).toBe('29%');
    expect(percent(0.4)).toBe('40%');
    expect(percent(0)).toBe('0%');
  });

  it('shows a quiet rate per minute to two significant digits rather than as zero', () => {
    expect(perMinute(2, 'day')).toBe((2 / 1440).toLocaleString(undefined, { maximumSignificantDigits: 2 }));
    expect(Number(perMinute(2, 'day'))).toBeGreaterThan(0);
    expect(perMinute(0, 'hour')).toBe('0');
    expect(perMinute(90, 'hour')).toBe((1.5).toLocaleString());
  });
});
