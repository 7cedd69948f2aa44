import { deliveryStatsRepo, type Database, type StatBucket, type StatScope } from '@hookline/db';
import { getApplication } from '../applications/applications.ts';
import { getEndpoint } from '../endpoints/endpoints.ts';
import { BadRequestError } from '../errors.ts';
import type { StatBucketOut, StatSeries, StatSeriesQuery } from './statisticsSchemas.ts';

const MINUTE_MS = 60_000;
const HOUR_MS = 3_600_000;
/** The longest range per granularity: minute rows are kept 48 hours; 90 days of hours is 2,160 buckets. */
const MAX_RANGE_MS = { minute: 48 * HOUR_MS, hour: 90 * 24 * HOUR_MS } as const;
const DEFAULT_RANGE_MS = { minute: HOUR_MS, hour: 24 * HOUR_MS } as const;
const { LATENCY_BOUNDS_MS } = deliveryStatsRepo;

/** The series of a tenant, or of its application `app` (id or uid), or of that application's endpoint `endpoint`; 404 for another tenant's. */
export async function getStatSeriesOf(db: Database, tenantId: string, of: { app?: string; endpoint?: string }, query: StatSeriesQuery): Promise<StatSeries> {
  if (of.app === undefined) return getStatSeries(db, { tenantId }, query);
  const app = await getApplication(db, tenantId, of.app);
  if (of.endpoint === undefined) return getStatSeries(db, { tenantId, appId: app.id }, query);
  const ep = await getEndpoint(db, tenantId, app.id, of.endpoint);
  return getStatSeries(db, { tenantId, appId: app.id, endpointId: ep.id }, query);
}

/**
 * The attempts of a tenant, an application or an endpoint per minute or hour, from the
 * pre-aggregated rows the attempt inserts keep (never from history): every bucket of the range,
 * with counts by outcome and response class and latency percentiles from the histogram. The scope's
 * application and endpoint must have been resolved in its tenant (getStatSeriesOf).
 */
export async function getStatSeries(db: Database, scope: StatScope, query: StatSeriesQuery, now = new Date()): Promise<StatSeries> {
  const { granularity } = query;
  const width = granularity === 'minute' ? MINUTE_MS : HOUR_MS;
  const until = query.until ?? now;
  const requestedSince = query.since ?? new Date(until.getTime() - DEFAULT_RANGE_MS[granularity]);
  if (requestedSince >= until) throw new BadRequestError("'since' must be before 'until'", 'invalid_range');
  if (until.getTime() - requestedSince.getTime() > MAX_RANGE_MS[granularity]) {
    throw new BadRequestError(`A ${granularity} series spans at most ${MAX_RANGE_MS[granularity] / HOUR_MS} hours`, 'invalid_range');
  }
  const since = new Date(Math.floor(requestedSince.getTime() / width) * width);
  const rows = await deliveryStatsRepo.statSeries(db, scope, granularity === 'minute' ? 1 : 60, since, until);
  const byStart = new Map(rows.map((r) => [r.bucket.getTime(), r]));
  const data: StatBucketOut[] = [];
  for (let t = since.getTime(); t < until.getTime(); t += width) data.push(bucketOut(new Date(t), byStart.get(t)));
  return { granularity, since, until, latencyBoundsMs: [...LATENCY_BOUNDS_MS], data };
}

function bucketOut(start: Date, row: StatBucket | undefined): StatBucketOut {
  const latency = row?.latency ?? new Array<number>(LATENCY_BOUNDS_MS.length + 1).fill(0);
  return {
    start,
    success: row?.success ?? 0,
    fail: row?.fail ?? 0,
    responses: {
      '2xx': row?.status2xx ?? 0,
      '3xx': row?.status3xx ?? 0,
      '4xx': row?.status4xx ?? 0,
      '5xx': row?.status5xx ?? 0,
      other: row?.statusOther ?? 0,
    },
    latencyHistogram: latency,
    latencyMs: percentiles(latency),
  };
}

/** p50/p95/p99 of a histogram as the upper edge of the bucket that holds each (the last bucket has none: its lower edge). */
export function percentiles(histogram: readonly number[]): { p50: number; p95: number; p99: number } | null {
  const total = histogram.reduce((s, n) => s + n, 0);
  if (total === 0) return null;
  const at = (p: number): number => {
    const rank = Math.ceil(p * total);
    let seen = 0;
    for (let i = 0; i < histogram.length; i++) {
      seen += histogram[i]!;
      if (seen >= rank) return LATENCY_BOUNDS_MS[Math.min(i, LATENCY_BOUNDS_MS.length - 1)]!;
    }
    return LATENCY_BOUNDS_MS[LATENCY_BOUNDS_MS.length - 1]!;
  };
  return { p50: at(0.5), p95: at(0.95), p99: at(0.99) };
}
