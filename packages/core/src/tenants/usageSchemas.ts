import { z } from 'zod';
import { listQuerySchema } from '../schemas/common.ts';

// The operator's view of each tenant's usage (Hookline extension, /admin/v1).

export const tenantUsageQuerySchema = listQuerySchema.extend({
  days: z.coerce.number().int().min(1).max(90).default(30).describe('How many days, ending today (UTC), `messages.perDay` covers'),
});
export type TenantUsageQuery = z.output<typeof tenantUsageQuerySchema>;

export const tenantUsageSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    createdAt: z.date(),
    applications: z.number().int(),
    endpoints: z.number().int(),
    messages: z.object({
      total: z.number().int().describe('Messages of the days in `perDay`'),
      perDay: z.array(z.object({ day: z.string().describe('A UTC day, YYYY-MM-DD'), messages: z.number().int() })).describe('Every day of the window, oldest first'),
    }),
    storage: z
      .object({
        bytesEstimate: z.number().int().describe("The tenant's share of the history's bytes on disk"),
        share: z.number().describe("The tenant's share of the messages counted within the message retention (0 to 1)"),
      })
      .describe('An estimate: the size of every history partition split by the tenant’s share of the messages kept (see docs/operations.md)'),
  })
  .meta({ id: 'TenantUsage' });
export type TenantUsage = z.output<typeof tenantUsageSchema>;
