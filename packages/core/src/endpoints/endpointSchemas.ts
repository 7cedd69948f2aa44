import { z } from 'zod';
import { channelSchema, eventTypeNameSchema, metadataSchema, throttleRateSchema, uidSchema } from '../schemas/common.ts';

const urlSchema = z.string().min(1).max(65_536).url();
export const secretSchema = z.string().regex(/^(whsec_)?[a-zA-Z0-9+/=]{32,100}$/, 'must be whsec_ followed by base64');
export const headerNameSchema = z.string().min(1).max(256).regex(/^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/, 'must be a valid header name');

export const endpointUpdateSchema = z.object({
  url: urlSchema,
  description: z.string().max(4096).optional(),
  uid: uidSchema.nullish(),
  disabled: z.boolean().optional(),
  eventTypes: z.array(eventTypeNameSchema).max(1000).nullish(),
  channels: z.array(channelSchema).max(10).nullish(),
  throttleRate: throttleRateSchema.nullish(),
  metadata: metadataSchema.optional(),
}).meta({ id: 'EndpointUpdate' });
export type EndpointUpdateIn = z.output<typeof endpointUpdateSchema>;

export const endpointInSchema = endpointUpdateSchema.extend({
  headers: z.record(headerNameSchema, z.string().max(4096)).nullish(),
  secret: secretSchema.nullish(),
}).meta({ id: 'EndpointIn' });
export type EndpointIn = z.output<typeof endpointInSchema>;

export const endpointOutSchema = z.object({
  id: z.string(),
  uid: z.string().nullable(),
  url: z.string(),
  description: z.string(),
  disabled: z.boolean(),
  eventTypes: z.array(z.string()).nullable(),
  channels: z.array(z.string()).nullable(),
  throttleRate: z.number().int().nullable(),
  metadata: metadataSchema,
  createdAt: z.date(),
  updatedAt: z.date(),
}).meta({ id: 'EndpointOut' });
export type EndpointOut = z.output<typeof endpointOutSchema>;

export const endpointSecretOutSchema = z.object({ key: z.string() }).meta({ id: 'EndpointSecretOut' });
