import { z } from 'zod';
import { queryDateTime } from '../schemas/common.ts';

export const tenantInSchema = z.object({ name: z.string().min(1).max(256) }).meta({ id: 'TenantIn' });
export const tenantOutSchema = z.object({ id: z.string(), name: z.string(), createdAt: z.date() }).meta({ id: 'TenantOut' });
export type TenantOut = z.output<typeof tenantOutSchema>;

export const apiKeyInSchema = z.object({
  name: z.string().min(1).max(256).optional(),
  expiresAt: queryDateTime.optional(),
}).meta({ id: 'ApiKeyIn' });

export const apiKeyOutSchema = z.object({
  id: z.string(),
  name: z.string(),
  prefix: z.string(),
  createdAt: z.date(),
  lastUsedAt: z.date().nullable(),
  expiresAt: z.date().nullable(),
  revokedAt: z.date().nullable(),
}).meta({ id: 'ApiKeyOut' });
export type ApiKeyOut = z.output<typeof apiKeyOutSchema>;

export const apiKeyCreatedOutSchema = apiKeyOutSchema.extend({ key: z.string() }).meta({ id: 'ApiKeyCreatedOut' });

export const apiKeyRotateInSchema = z.object({
  /** How long the old key keeps working, in seconds (default 24 h, at most 30 days). */
  gracePeriodSeconds: z.number().int().min(0).max(30 * 86400).default(86400),
}).meta({ id: 'ApiKeyRotateIn' });
