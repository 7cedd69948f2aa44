import { z } from 'zod';
import { metadataSchema, throttleRateSchema, uidSchema } from './common.ts';

export const applicationInSchema = z.object({
  name: z.string().min(1).max(256),
  uid: uidSchema.nullish(),
  throttleRate: throttleRateSchema.nullish(),
  metadata: metadataSchema.optional(),
});
