import { z } from 'zod';
import { percentilesSchema, statBucketSchema } from './statisticsSchemas.ts';

// The console overview of a tenant (Hookline extension): delivery series and totals from the
// pre-aggregated statistics, the backlog from the delivery counters, and the endpoints that need
// attention.

export const OVERVIEW_WINDOWS = ['hour', 'day', 'week'] as const;
export type OverviewWindow = (typeof OVERVIEW_WINDOWS)[number];

export const statsOverviewQuerySchema = z.object({
  window: z.enum(OVERVIEW_WINDOWS).default('day').describe('The last hour (minute buckets), day or week (hour buckets), ending now'),
});
export type StatsOverviewQuery = z.output<typeof statsOverviewQuerySchema>;

const endpointRefShape = {
  id: z.string(),
  uid: z.string().nullable(),
  url: z.string(),
  appId: z.string(),
  appUid: z.string().nullable(),
  appName: z.string(),
};

export const failingEndpointSchema = z
  .object({
    ...endpointRefShape,
    failingSince: z.date().describe('Since when every attempt to it has failed'),
    lastAttempt: z
      .object({
        id: z.string(),
        msgId: z.string(),
        timestamp: z.date(),
        responseStatusCode: z.number().int().describe('0: no response (timeout, network error)'),
        response: z.string().describe('The start of the response body (at most 500 characters)'),
      })
      .nullable()
      .describe('Its latest attempt, a failure: the last error'),
  })
  .meta({ id: 'OverviewFailingEndpoint' });
export type FailingEndpointOut = z.output<typeof failingEndpointSchema>;

export const autoDisabledEndpointSchema = z
  .object({
    ...endpointRefShape,
    failingSince: z.date(),
    disabledAt: z.date(),
    reason: z.enum(['gone', 'failing']).nullable().describe('`gone`: the receiver answered 410; `failing`: it failed for HOOKLINE_AUTO_DISABLE_AFTER_SECONDS'),
  })
  .meta({ id: 'OverviewAutoDisabledEndpoint' });
export type AutoDisabledEndpointOut = z.output<typeof autoDisabledEndpointSchema>;

export const statsOverviewSchema = z
  .object({
    window: z.enum(OVERVIEW_WINDOWS),
    granularity: z.enum(['minute', 'hour']),
    since: z.date(),
    until: z.date(),
    latencyBoundsMs: z.array(z.number().int()),
    data: z.array(statBucketSchema).describe('Attempts per bucket over the window, oldest first (empty buckets with zero counts)'),
    totals: z
      .object({
        success: z.number().int(),
        fail: z.number().int(),
        successRate: z.number().nullable().describe('success / (success + fail); null without attempts'),
        latencyMs: percentilesSchema.nullable().describe('Over the whole window; null without attempts'),
      })
      .describe('The attempts of the window'),
    backlog: z
      .object({
        pending: z.number().int().describe('Deliveries waiting for an attempt to an endpoint that works'),
        retrying: z.number().int().describe('Deliveries waiting for an attempt to an endpoint failing now (on the retry schedule, one at a time)'),
      })
      .describe('Deliveries still to be made now, of enabled endpoints'),
    failingEndpoints: z.object({ total: z.number().int(), data: z.array(failingEndpointSchema).describe('Longest failing first, at most 20') }),
    autoDisabledEndpoints: z.object({ total: z.number().int(), data: z.array(autoDisabledEndpointSchema).describe('Newest first, at most 20') }),
  })
  .meta({ id: 'StatsOverview' });
export type StatsOverview = z.output<typeof statsOverviewSchema>;
