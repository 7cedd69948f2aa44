import { z } from 'zod';
import { queryDateTime } from '../schemas/common.ts';

export const tenantInSchema = z.object({ name: z.string().min(1).max(256) }).meta({ id: 'TenantIn' });
/** Delays in seconds between attempts, after the first (as HOOKLINE_RETRY_SCHEDULE). */
export const retryScheduleSchema = z
  .array(
    z
      .number()
      .int()
      .min(0)
      .max(30 * 86400),
  )
  .min(1)
  .max(50);

export const tenantOutSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    retrySchedule: retryScheduleSchema.nullable().describe("The tenant's own retry schedule; null: the deployment's"),
    createdAt: z.date(),
  })
  .meta({ id: 'TenantOut' });

export const tenantPatchSchema = z
  .object({
    name: z.string().min(1).max(256).optional(),
    retrySchedule: retryScheduleSchema.nullable().optional(),
  })
  .meta({ id: 'TenantPatch' });
export type TenantPatch = z.output<typeof tenantPatchSchema>;
export type TenantOut = z.output<typeof tenantOutSchema>;

export const apiKeyInSchema = z
  .object({
    name: z.string().min(1).max(256).optional(),
    expiresAt: queryDateTime.refine((at) => at.getTime() > Date.now(), 'must be in the future').optional(),
  })
  .meta({ id: 'ApiKeyIn' });

export const apiKeyOutSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    prefix: z.string(),
    createdAt: z.date(),
    lastUsedAt: z.date().nullable(),
    expiresAt: z.date().nullable(),
    revokedAt: z.date().nullable(),
  })
  .meta({ id: 'ApiKeyOut' });
export type ApiKeyOut = z.output<typeof apiKeyOutSchema>;

export const apiKeyCreatedOutSchema = apiKeyOutSchema.extend({ key: z.string() }).meta({ id: 'ApiKeyCreatedOut' });

export const apiKeyRotateInSchema = z
  .object({
    /** How long the old key keeps working, in seconds (default 24 h, at most 30 days). */
    gracePeriodSeconds: z
      .number()
      .int()
      .min(0)
      .max(30 * 86400)
      .default(86400),
  })
  .meta({ id: 'ApiKeyRotateIn' });
