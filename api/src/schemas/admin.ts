import { z } from 'zod';

export const tenantInSchema = z.object({ name: z.string().min(1).max(256) });

export const apiKeyInSchema = z.object({
  name: z.string().min(1).max(256).optional(),
  expiresAt: z.iso.datetime({ offset: true }).transform((s) => new Date(s)).optional(),
});
