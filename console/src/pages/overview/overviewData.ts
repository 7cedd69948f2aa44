import type { BarDatum, Schemas } from '@hookline/ui';

export type Overview = Schemas['StatsOverview'];
export type OverviewWindow = Overview['window'];

export const WINDOWS: readonly { value: OverviewWindow; label: string; minutes: number }[] = [
  { value: 'hour', label: 'Last hour', minutes: 60 },
  { value: 'day', label: 'Last day', minutes: 24 * 60 },
  { value: 'week', label: 'Last week', minutes: 7 * 24 * 60 },
];

// The API answers 60 minute buckets, or 24 or 168 hour buckets; a bar per bucket would leave no room
// for labels at 375 px, so bars sum whole groups of buckets: 10 minutes, 3 hours or a day.
const clock = (d: Date) => d.toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
const GROUP: Record<OverviewWindow, { buckets: number; label: (start: Date) => string; unit: string }> = {
  hour: { buckets: 10, label: clock, unit: '10 minutes' },
  day: { buckets: 3, label: clock, unit: '3 hours' },
  week: { buckets: 24, label: (d) => d.toLocaleDateString(undefined, { weekday: 'short', day: 'numeric' }), unit: 'day' },
};

/** What each bar of the window's chart counts ("attempts per 5 minutes"). */
export function barUnit(window: OverviewWindow): string {
  return GROUP[window].unit;
}

/** The window's buckets summed into bars, newest last; a partial group at the start is kept as its own bar. */
export function chartBars(overview: Pick<Overview, 'window' | 'data'>): BarDatum[] {
  const { buckets, label } = GROUP[overview.window];
  const bars: BarDatum[] = [];
  // Groups end at the newest bucket, so the last bar is always a whole group up to now.
  for (let end = overview.data.length; end > 0; end -= buckets) {
    const slice = overview.data.slice(Math.max(0, end - buckets), end);
    if (slice.length === 0) continue;
    bars.unshift({
      label: label(new Date(slice[0]!.start)),
      success: slice.reduce((n, b) => n + b.success, 0),
      fail: slice.reduce((n, b) => n + b.fail, 0),
    });
  }
  return bars;
}

/** Average attempts per minute over the window; two significant digits below one, so a quiet tenant's 0.0014 is not "0". */
export function perMinute(count: number, window: OverviewWindow): string {
  const rate = count / WINDOWS.find((w) => w.value === window)!.minutes;
  return rate < 1 ? rate.toLocaleString(undefined, { maximumSignificantDigits: 2 }) : rate.toLocaleString(undefined, { maximumFractionDigits: 1 });
}

/** `0.4` → "40%"; one decimal below 100 so 99.95% does not read as 100%. */
export function percent(rate: number | null): string {
  if (rate === null) return '–';
  // Floored (with a hair of slack for binary fractions: 0.29 * 1000 is 289.99…) so 99.95% reads 99.9%.
  return `${Math.floor(rate * 1000 + 1e-6) / 10}%`;
}

/** `rate` as good/warn/bad for the `.rate` classes. */
export function rateTone(rate: number | null): '' | 'good' | 'warn' | 'bad' {
  if (rate === null) return '';
  return rate >= 0.99 ? 'good' : rate >= 0.9 ? 'warn' : 'bad';
}

/** A latency estimate: the API gives the upper edge of the histogram bucket, so "≤ 20 ms". */
export function latency(ms: number | undefined): string {
  if (ms === undefined) return '–';
  return ms >= 1000 ? `≤ ${ms / 1000} s` : `≤ ${ms} ms`;
}
