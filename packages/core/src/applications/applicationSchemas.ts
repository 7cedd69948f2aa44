import { z } from 'zod';
import { metadataSchema, throttleRateSchema, uidSchema } from '../schemas/common.ts';

export const applicationInSchema = z.object({
  name: z.string().min(1).max(256),
  uid: uidSchema.nullish(),
  throttleRate: throttleRateSchema.nullish(),
  metadata: metadataSchema.optional(),
}).meta({ id: 'ApplicationIn' });
export type ApplicationIn = z.output<typeof applicationInSchema>;

export const applicationOutSchema = z.object({
  id: z.string(),
  uid: z.string().nullable(),
  name: z.string(),
  throttleRate: z.number().int().nullable(),
  metadata: metadataSchema,
  createdAt: z.date(),
  updatedAt: z.date(),
}).meta({ id: 'ApplicationOut' });
export type ApplicationOut = z.output<typeof applicationOutSchema>;
