import { overviewRepo, type Database } from '@hookline/db';
import { WAITING_STATUSES } from '../attempts/messageStatus.ts';
import type { AutoDisabledEndpointOut, FailingEndpointOut, OverviewWindow, StatsOverview, StatsOverviewQuery } from './overviewSchemas.ts';
import { getStatSeries, percentiles } from './statSeries.ts';

const HOUR_MS = 3_600_000;
const WINDOWS: Record<OverviewWindow, { granularity: 'minute' | 'hour'; rangeMs: number }> = {
  hour: { granularity: 'minute', rangeMs: HOUR_MS },
  day: { granularity: 'hour', rangeMs: 24 * HOUR_MS },
  week: { granularity: 'hour', rangeMs: 7 * 24 * HOUR_MS },
};
/** Endpoints listed per kind; `total` counts them all. */
export const OVERVIEW_LIST_LIMIT = 20;
const RESPONSE_CHARS = 500;

/**
 * What the console's overview shows of a tenant, at a cost that grows with its endpoints and what
 * needs attention, never with its history: the attempts of the window per bucket and in total
 * (success rate, latency percentiles) from the statistics rows; the backlog from the delivery
 * counters; the endpoints failing now with their last error, and those the worker disabled.
 */
export async function getStatsOverview(db: Database, tenantId: string, query: StatsOverviewQuery, now = new Date()): Promise<StatsOverview> {
  const { granularity, rangeMs } = WINDOWS[query.window];
  const [series, backlog, failing, disabled] = await Promise.all([
    getStatSeries(db, { tenantId }, { granularity, since: new Date(now.getTime() - rangeMs), until: now }, now),
    overviewRepo.countBacklog(db, tenantId, WAITING_STATUSES),
    overviewRepo.listFailingEndpoints(db, tenantId, OVERVIEW_LIST_LIMIT, RESPONSE_CHARS),
    overviewRepo.listAutoDisabledEndpoints(db, tenantId, OVERVIEW_LIST_LIMIT),
  ]);
  const histogram = series.latencyBoundsMs.map(() => 0).concat(0);
  let success = 0;
  let fail = 0;
  for (const bucket of series.data) {
    success += bucket.success;
    fail += bucket.fail;
    bucket.latencyHistogram.forEach((n, i) => (histogram[i]! += n));
  }
  return {
    window: query.window,
    ...series,
    totals: { success, fail, successRate: success + fail === 0 ? null : success / (success + fail), latencyMs: percentiles(histogram) },
    backlog,
    failingEndpoints: {
      total: failing[0]?.total ?? 0,
      data: failing.map(({ total: _total, lastAttempt, failingSince, ...e }): FailingEndpointOut => ({
        ...e,
        failingSince: failingSince!,
        lastAttempt: lastAttempt && {
          id: lastAttempt.id,
          msgId: lastAttempt.msgId,
          timestamp: lastAttempt.at,
          responseStatusCode: lastAttempt.responseStatusCode,
          response: lastAttempt.response,
        },
      })),
    },
    autoDisabledEndpoints: {
      total: disabled[0]?.total ?? 0,
      data: disabled.map(({ total: _total, failingSince, reason, ...e }): AutoDisabledEndpointOut => ({
        ...e,
        failingSince: failingSince!,
        reason: reason === 'gone' || reason === 'failing' ? reason : null,
      })),
    },
  };
}
