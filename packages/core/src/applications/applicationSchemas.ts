import { z } from 'zod';
import { listQueryOf, metadataSchema, queryBoolean, throttleRateSchema, uidSchema } from '../schemas/common.ts';

/**
 * Svix's rule: a uid may not start with the id prefix of its resource (`app_`), so that a path
 * segment is never ambiguous between an id and a uid.
 */
export const applicationUidSchema = uidSchema.refine((uid) => !uid.startsWith('app_'), 'must not start with "app_", the prefix of application ids');

/** Svix refuses 0: a rate limit, when set, is at least one message per second. */
const appThrottleRateSchema = throttleRateSchema.min(1);

export const applicationInSchema = z
  .object({
    name: z.string().min(1).max(256),
    uid: applicationUidSchema.nullish(),
    throttleRate: appThrottleRateSchema.nullish(),
    metadata: metadataSchema.optional(),
  })
  .meta({ id: 'ApplicationIn' });
export type ApplicationIn = z.output<typeof applicationInSchema>;

/** A partial update: absent fields stay as they are, `null` clears uid and throttleRate. */
export const applicationPatchSchema = z
  .object({
    name: z.string().min(1).max(256).optional(),
    uid: applicationUidSchema.nullish(),
    throttleRate: appThrottleRateSchema.nullish(),
    metadata: metadataSchema.optional(),
  })
  .meta({ id: 'ApplicationPatch' });
export type ApplicationPatch = z.output<typeof applicationPatchSchema>;

export const applicationOutSchema = z
  .object({
    id: z.string(),
    uid: z.string().nullable(),
    name: z.string(),
    throttleRate: z.number().int().nullable(),
    metadata: metadataSchema,
    createdAt: z.date(),
    updatedAt: z.date(),
  })
  .meta({ id: 'ApplicationOut' });
export type ApplicationOut = z.output<typeof applicationOutSchema>;

export const applicationCreateQuerySchema = z.object({
  /** With a uid that exists: answer 200 with that application instead of 409 (the SDKs' getOrCreate). */
  get_if_exists: queryBoolean.optional(),
});

/** Svix's list parameters, plus Hookline's `search` and `include=stats` for the console. */
export const applicationListQuerySchema = listQueryOf('app').extend({
  search: z.string().min(1).max(256).optional().describe('Only applications whose name or uid contains this, whatever its case (Hookline extension)'),
  include: z.enum(['stats']).optional().describe("`stats`: each application's endpoints and health (Hookline extension)"),
});
export type ApplicationListQuery = z.output<typeof applicationListQuerySchema>;

export const APPLICATION_HEALTH = ['noEndpoints', 'healthy', 'degraded', 'failing', 'disabled'] as const;

export const applicationStatsSchema = z
  .object({
    endpoints: z.number().int(),
    failingEndpoints: z.number().int().describe('Enabled endpoints whose every attempt fails now'),
    disabledEndpoints: z.number().int(),
    health: z
      .enum(APPLICATION_HEALTH)
      .describe('`noEndpoints`; `disabled`: every endpoint disabled; `failing`: every enabled one failing; `degraded`: some; `healthy`: none'),
    last24h: z
      .object({ success: z.number().int(), fail: z.number().int(), successRate: z.number().nullable() })
      .describe('Attempts to its endpoints in the hour buckets of the last 24 hours (successRate null without any)'),
  })
  .meta({ id: 'ApplicationStats' });
export type ApplicationStats = z.output<typeof applicationStatsSchema>;

/** An application as listed: Svix's ApplicationOut, plus `stats` when the list was asked for them. */
export const applicationListItemSchema = applicationOutSchema
  .extend({ stats: applicationStatsSchema.optional().describe('Only with `include=stats` (Hookline extension)') })
  .meta({ id: 'ApplicationListItem' });
export type ApplicationListItem = z.output<typeof applicationListItemSchema>;
