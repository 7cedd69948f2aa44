import { z } from 'zod';
import { queryDateTime } from '../schemas/common.ts';

// The delivery statistics series (pre-aggregated attempts per minute or hour) of an endpoint, an
// application or a tenant.

export const statSeriesQuerySchema = z.object({
  since: queryDateTime.optional().describe('Start of the range (rounded down to a bucket); default: 1 hour (minute) or 24 hours (hour) before `until`'),
  until: queryDateTime.optional().describe('End of the range, exclusive; default: now'),
  granularity: z.enum(['minute', 'hour']).default('hour').describe('Bucket width; minute buckets are kept 48 hours, hour buckets as long as messages'),
});
export type StatSeriesQuery = z.output<typeof statSeriesQuerySchema>;

export const percentilesSchema = z
  .object({
    p50: z.number().int(),
    p95: z.number().int(),
    p99: z.number().int(),
  })
  .describe("Estimates from the histogram: the upper edge (ms) of the bucket holding the percentile (the last bucket's lower edge)");

export const statBucketSchema = z
  .object({
    start: z.date(),
    /** Attempts that succeeded (2xx) and failed. */
    success: z.number().int(),
    fail: z.number().int(),
    responses: z.object({
      '2xx': z.number().int(),
      '3xx': z.number().int(),
      '4xx': z.number().int(),
      '5xx': z.number().int(),
      other: z.number().int().describe('Timeouts and network errors (no response)'),
    }),
    latencyHistogram: z.array(z.number().int()).describe('Attempts per latency bucket; bucket i covers [latencyBoundsMs[i-1], latencyBoundsMs[i]) ms'),
    latencyMs: percentilesSchema.nullable().describe('null when the bucket holds no attempt'),
  })
  .meta({ id: 'StatBucket' });
export type StatBucketOut = z.output<typeof statBucketSchema>;

export const statSeriesSchema = z
  .object({
    granularity: z.enum(['minute', 'hour']),
    since: z.date(),
    until: z.date(),
    latencyBoundsMs: z.array(z.number().int()),
    /** Every bucket of the range, oldest first (empty ones with zero counts). */
    data: z.array(statBucketSchema),
  })
  .meta({ id: 'StatSeries' });
export type StatSeries = z.output<typeof statSeriesSchema>;
