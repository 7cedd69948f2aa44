import { z } from 'zod';
import { featureFlagSchema } from '../eventTypes/eventTypeSchemas.ts';

// Svix's integration models (IntegrationIn, IntegrationUpdate, IntegrationOut, IntegrationKeyOut).

const integrationFields = {
  name: z.string().min(1).max(256),
  /** The feature flags the integration may see (Svix's); a set, stored without repeats. */
  featureFlags: z.array(featureFlagSchema).max(50).optional(),
};

export const integrationInSchema = z.object(integrationFields).meta({ id: 'IntegrationIn' });
export type IntegrationIn = z.output<typeof integrationInSchema>;

/** PUT: replaces the name and the flags (absent flags: none). */
export const integrationUpdateSchema = z.object(integrationFields).meta({ id: 'IntegrationUpdate' });
export type IntegrationUpdate = z.output<typeof integrationUpdateSchema>;

export const integrationOutSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    featureFlags: z.array(z.string()),
    createdAt: z.date(),
    updatedAt: z.date(),
  })
  .meta({ id: 'IntegrationOut' });
export type IntegrationOut = z.output<typeof integrationOutSchema>;

export const integrationKeyOutSchema = z.object({ key: z.string() }).meta({ id: 'IntegrationKeyOut' });
export type IntegrationKeyOut = z.output<typeof integrationKeyOutSchema>;

/** The `integ_id` path parameter: an id (integrations have no uid). */
export const integrationIdSchema = z.string().min(1).max(256);
