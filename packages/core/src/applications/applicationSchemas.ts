import { z } from 'zod';
import { metadataSchema, queryBoolean, throttleRateSchema, uidSchema } from '../schemas/common.ts';

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
