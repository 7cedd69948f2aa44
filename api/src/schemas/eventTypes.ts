import { z } from 'zod';
import { eventTypeNameSchema, listQuerySchema, queryBoolean } from './common.ts';

export const eventTypeInSchema = z.object({
  name: eventTypeNameSchema,
  description: z.string().max(4096),
  archived: z.boolean().optional(),
  deprecated: z.boolean().optional(),
  schemas: z.record(z.string(), z.unknown()).nullish(),
  featureFlag: z.string().min(1).max(256).nullish(),
  groupName: z.string().min(1).max(256).nullish(),
});

export const eventTypeListQuerySchema = listQuerySchema.extend({
  include_archived: queryBoolean.optional(),
  with_content: queryBoolean.optional(),
});
