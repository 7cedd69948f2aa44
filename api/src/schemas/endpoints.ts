import { z } from 'zod';
import { channelSchema, eventTypeNameSchema, metadataSchema, throttleRateSchema, uidSchema } from './common.ts';

const urlSchema = z.string().min(1).max(65_536).url();
const secretSchema = z.string().regex(/^(whsec_)?[a-zA-Z0-9+/=]{32,100}$/, 'must be whsec_ followed by base64');

export const endpointUpdateSchema = z.object({
  url: urlSchema,
  description: z.string().max(4096).optional(),
  uid: uidSchema.nullish(),
  disabled: z.boolean().optional(),
  eventTypes: z.array(eventTypeNameSchema).max(1000).nullish(),
  channels: z.array(channelSchema).max(10).nullish(),
  throttleRate: throttleRateSchema.nullish(),
  metadata: metadataSchema.optional(),
});

export const endpointInSchema = endpointUpdateSchema.extend({
  headers: z.record(z.string().min(1).max(256).regex(/^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/, 'must be a valid header name'), z.string().max(4096)).nullish(),
  secret: secretSchema.nullish(),
});
