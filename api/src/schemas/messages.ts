import { z } from 'zod';
import { channelSchema, eventTypeNameSchema, listQuerySchema, queryBoolean, queryList, uidSchema } from './common.ts';

export const messageInSchema = z.object({
  eventType: eventTypeNameSchema,
  eventId: uidSchema.nullish(),
  // Svix requires a JSON object (not an array or a scalar).
  payload: z.record(z.string(), z.unknown()),
  channels: z.array(channelSchema).max(10).nullish(),
  payloadRetentionPeriod: z.number().int().min(1).max(3650).nullish(),
});

export const messageListQuerySchema = listQuerySchema.extend({
  event_types: queryList(eventTypeNameSchema).optional(),
  channel: channelSchema.optional(),
  before: z.iso.datetime({ offset: true }).transform((s) => new Date(s)).optional(),
  after: z.iso.datetime({ offset: true }).transform((s) => new Date(s)).optional(),
  with_content: queryBoolean.optional(),
});

export const attemptListQuerySchema = listQuerySchema.extend({
  status: z.coerce.number().int().min(0).max(3).optional(),
});
