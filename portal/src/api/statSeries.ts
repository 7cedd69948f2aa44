import type { ApiClient } from '@hookline/ui';

// GET …/endpoint/{endpoint}/stats/series, typed by hand: the generated schema.d.ts predates it.

export interface StatBucket {
  start: string;
  success: number;
  fail: number;
  responses: { '2xx': number; '3xx': number; '4xx': number; '5xx': number; other: number };
  latencyHistogram: number[];
  latencyMs: { p50: number; p95: number; p99: number } | null;
}

export interface StatSeries {
  granularity: 'minute' | 'hour';
  since: string;
  until: string;
  latencyBoundsMs: number[];
  data: StatBucket[];
}

type SeriesRequest = (
  method: 'get',
  path: '/api/v1/app/{app}/endpoint/{endpoint}/stats/series',
  opts: { path: { app: string; endpoint: string }; query: { granularity: 'minute' | 'hour'; since: string } },
) => Promise<StatSeries>;

export function fetchStatSeries(client: ApiClient, app: string, endpoint: string, query: { granularity: 'minute' | 'hour'; since: string }): Promise<StatSeries> {
  return (client.request as unknown as SeriesRequest)('get', '/api/v1/app/{app}/endpoint/{endpoint}/stats/series', { path: { app, endpoint }, query });
}

/** The p95 (ms) of a histogram: the upper edge of the bucket that holds it (the last bucket's lower edge); null when empty. */
export function p95(histogram: readonly number[], bounds: readonly number[]): number | null {
  const total = histogram.reduce((s, n) => s + n, 0);
  if (total === 0) return null;
  const rank = Math.ceil(0.95 * total);
  let seen = 0;
  for (let i = 0; i < histogram.length; i++) {
    seen += histogram[i]!;
    if (seen >= rank) return bounds[Math.min(i, bounds.length - 1)]!;
  }
  return bounds[bounds.length - 1]!;
}

export interface DayTotal {
  label: string;
  success: number;
  fail: number;
  /** p95 latency of the day's attempts (ms), null without any. */
  p95: number | null;
}

/** Sums hour buckets into the `days` local days ending today, oldest first. */
const browserDay = (d: Date) => d.toLocaleDateString(undefined, { month: 'short', day: 'numeric' });

/** `dayLabel`: how a day is named under its bar (the portal passes its language's). */
export function dailyTotals(series: StatSeries, days: number, now: Date, dayLabel: (day: Date) => string = browserDay): DayTotal[] {
  const start = new Date(now);
  start.setHours(0, 0, 0, 0);
  const dayStarts = Array.from({ length: days }, (_, i) => {
    const d = new Date(start);
    d.setDate(d.getDate() - (days - 1 - i));
    return d;
  });
  const width = series.latencyBoundsMs.length + 1;
  const sums = dayStarts.map(() => ({ success: 0, fail: 0, histogram: new Array<number>(width).fill(0) }));
  for (const b of series.data) {
    const t = new Date(b.start).getTime();
    let i = dayStarts.length - 1;
    while (i >= 0 && dayStarts[i]!.getTime() > t) i--;
    if (i < 0) continue;
    const sum = sums[i]!;
    sum.success += b.success;
    sum.fail += b.fail;
    b.latencyHistogram.forEach((n, j) => (sum.histogram[j] = (sum.histogram[j] ?? 0) + n));
  }
  return dayStarts.map((d, i) => ({
    label: dayLabel(d),
    success: sums[i]!.success,
    fail: sums[i]!.fail,
    p95: p95(sums[i]!.histogram, series.latencyBoundsMs),
  }));
}
