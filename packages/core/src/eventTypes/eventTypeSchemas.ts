import { z } from 'zod';
import { eventTypeNameSchema, listQuerySchema, queryBoolean } from '../schemas/common.ts';

export const eventTypeInSchema = z.object({
  name: eventTypeNameSchema,
  description: z.string().max(4096),
  archived: z.boolean().optional(),
  deprecated: z.boolean().optional(),
  schemas: z.record(z.string(), z.unknown()).nullish(),
  featureFlag: z.string().min(1).max(256).nullish(),
  groupName: z.string().min(1).max(256).nullish(),
}).meta({ id: 'EventTypeIn' });
export type EventTypeIn = z.output<typeof eventTypeInSchema>;

export const eventTypeOutSchema = z.object({
  name: z.string(),
  description: z.string(),
  archived: z.boolean(),
  deprecated: z.boolean(),
  schemas: z.record(z.string(), z.unknown()).nullable(),
  featureFlag: z.string().nullable(),
  groupName: z.string().nullable(),
  createdAt: z.date(),
  updatedAt: z.date(),
}).meta({ id: 'EventTypeOut' });
export type EventTypeOut = z.output<typeof eventTypeOutSchema>;

export const eventTypeListQuerySchema = listQuerySchema.extend({
  include_archived: queryBoolean.optional(),
  with_content: queryBoolean.optional(),
});
