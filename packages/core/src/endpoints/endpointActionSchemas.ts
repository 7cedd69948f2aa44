import { z } from 'zod';
import { eventTypeNameSchema, queryDateTime } from '../schemas/common.ts';

// Requests that act on an endpoint rather than change its settings: recover, send-example, stats.

const dateTime = z.iso.datetime({ offset: true }).transform((s) => new Date(s));

export const recoverInSchema = z
  .object({
    since: dateTime,
    until: dateTime.nullish(),
  })
  .meta({ id: 'RecoverIn' });
export type RecoverIn = z.output<typeof recoverInSchema>;

const backgroundTaskStatusSchema = z.enum(['running', 'finished', 'failed']);

export const recoverOutSchema = z
  .object({
    /** The background task's id (`qtask_…`). */
    id: z.string(),
    status: backgroundTaskStatusSchema,
    task: z.literal('endpoint.recover'),
    updatedAt: z.date(),
  })
  .meta({ id: 'RecoverOut' });
export type RecoverOut = z.output<typeof recoverOutSchema>;

export const eventExampleInSchema = z
  .object({
    eventType: eventTypeNameSchema,
    /** Which of the schema's `examples` to send (default: the first). */
    exampleIndex: z.number().int().min(0).max(1000).optional(),
  })
  .meta({ id: 'EventExampleIn' });
export type EventExampleIn = z.output<typeof eventExampleInSchema>;

export const endpointStatsQuerySchema = z.object({
  since: queryDateTime.optional(),
  until: queryDateTime.optional(),
});
export type EndpointStatsQuery = z.output<typeof endpointStatsQuerySchema>;

export const endpointStatsSchema = z
  .object({
    success: z.number().int(),
    pending: z.number().int(),
    sending: z.number().int(),
    fail: z.number().int(),
    canceled: z.number().int(),
  })
  .meta({ id: 'EndpointStats' });
export type EndpointStats = z.output<typeof endpointStatsSchema>;
