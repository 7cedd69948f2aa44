import { z } from 'zod';
import { endpointInSchema, endpointOutSchema, endpointUpdateSchema } from '../endpoints/endpointSchemas.ts';
import { OPERATIONAL_EVENT_TYPES } from './operationalEvents.ts';

// Svix's operational webhook endpoint shapes (svix 2.x: `eventTypes`, `throttleRate`): an
// endpoint's fields without channels or payload filters, subscribing to operational event types.

/** Operational event types to receive; null or empty: all of them. */
const operationalEventTypesSchema = z.array(z.enum(OPERATIONAL_EVENT_TYPES)).max(100);

const settings = { url: true, description: true, uid: true, disabled: true, throttleRate: true, metadata: true } as const;

/** PUT: every setting; one left out returns to its default (headers and secret are kept). */
export const operationalEndpointUpsertSchema = endpointUpdateSchema
  .pick(settings)
  .extend({ eventTypes: operationalEventTypesSchema.nullish() })
  .meta({ id: 'OperationalWebhookEndpointUpsertIn' });
export type OperationalEndpointUpsertIn = z.output<typeof operationalEndpointUpsertSchema>;

export const operationalEndpointInSchema = endpointInSchema
  .pick({ ...settings, secret: true, headers: true })
  .extend({ eventTypes: operationalEventTypesSchema.nullish() })
  .meta({ id: 'OperationalWebhookEndpointIn' });
export type OperationalEndpointIn = z.output<typeof operationalEndpointInSchema>;

export const operationalEndpointOutSchema = endpointOutSchema
  .pick({
    id: true,
    uid: true,
    url: true,
    description: true,
    disabled: true,
    eventTypes: true,
    throttleRate: true,
    metadata: true,
    createdAt: true,
    updatedAt: true,
  })
  .meta({ id: 'OperationalWebhookEndpointOut' });
export type OperationalEndpointOut = z.output<typeof operationalEndpointOutSchema>;
