import { z } from 'zod';
import { channelSchema, eventTypeNameSchema, listQuerySchema, queryBoolean, queryDateTime, queryList, uidSchema } from '../schemas/common.ts';

export const messageInSchema = z.object({
  eventType: eventTypeNameSchema,
  eventId: uidSchema.nullish(),
  // Svix requires a JSON object (not an array or a scalar).
  payload: z.record(z.string(), z.unknown()),
  channels: z.array(channelSchema).max(10).nullish(),
  payloadRetentionPeriod: z.number().int().min(1).max(3650).nullish(),
}).meta({ id: 'MessageIn' });
export type MessageIn = z.output<typeof messageInSchema>;

export const messageOutSchema = z.object({
  id: z.string(),
  eventType: z.string(),
  eventId: z.string().nullable(),
  payload: z.unknown(),
  channels: z.array(z.string()).nullable(),
  timestamp: z.date(),
}).meta({ id: 'MessageOut' });
export type MessageOut = z.output<typeof messageOutSchema>;

export const messageListQuerySchema = listQuerySchema.extend({
  event_types: queryList(eventTypeNameSchema).optional(),
  channel: channelSchema.optional(),
  before: queryDateTime.optional(),
  after: queryDateTime.optional(),
  with_content: queryBoolean.optional(),
});
