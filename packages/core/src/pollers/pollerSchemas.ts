import { z } from 'zod';
import { channelSchema, eventTypeNameSchema, listQuerySchema, queryDateTime, uidSchema } from '../schemas/common.ts';
import { messageOutSchema } from '../messages/messageSchemas.ts';

// Polling endpoints: Svix's shapes for reading (PollingEndpointOut, PollingEndpointMessageOut,
// PollingEndpointConsumerSeekIn/Out) and Hookline's own for managing pollers, which Svix does only
// in its portal.

/** A consumer names itself: Svix's uid characters, so it is safe in a path and a log line. */
export const consumerIdSchema = z
  .string()
  .min(1)
  .max(128)
  .regex(/^[a-zA-Z0-9\-_.]+$/, 'may contain only letters, digits and - _ . (at most 128)');

/** A position in the application's messages: the id of the last message seen, or a message id boundary. */
export const pollIteratorSchema = z.string().regex(/^msg_[0-9A-Za-z]{27}$/, 'is not an iterator a poll returned');

export const pollerInSchema = z
  .object({
    /** Another name for the poller in paths; it may not look like a poller id. */
    uid: uidSchema.refine((u) => !u.startsWith('poll_'), 'may not start with poll_, the prefix of poller ids').nullish(),
    description: z.string().max(1024).optional(),
    /** Only these event types; omitted or null: all. An empty list is refused (it would read as "all"). */
    eventTypes: z.array(eventTypeNameSchema).min(1).max(100).nullish(),
    /** Only messages in one of these channels; omitted or null: all. */
    channels: z.array(channelSchema).min(1).max(10).nullish(),
  })
  .meta({ id: 'PollerIn' });
export type PollerIn = z.output<typeof pollerInSchema>;

export const pollerOutSchema = z
  .object({
    id: z.string(),
    uid: z.string().nullable(),
    description: z.string(),
    eventTypes: z.array(z.string()).nullable(),
    channels: z.array(z.string()).nullable(),
    /** The poller's path, relative to the API's base URL: what a consumer polls. */
    path: z.string(),
    createdAt: z.date(),
  })
  .meta({ id: 'PollerOut' });
export type PollerOut = z.output<typeof pollerOutSchema>;

export const pollQuerySchema = z.object({
  limit: listQuerySchema.shape.limit,
  iterator: pollIteratorSchema.optional(),
  event_type: eventTypeNameSchema.optional(),
  channel: channelSchema.optional(),
  after: queryDateTime.optional(),
});
export type PollQuery = z.output<typeof pollQuerySchema>;

export const consumerPollQuerySchema = z.object({
  limit: listQuerySchema.shape.limit,
  iterator: pollIteratorSchema.optional(),
});
export type ConsumerPollQuery = z.output<typeof consumerPollQuerySchema>;

/** A message as a poll returns it: MessageOut's fields (its payload `{}` once expunged or expired), under Svix's name. */
export const pollingEndpointMessageOutSchema = messageOutSchema.meta({ id: 'PollingEndpointMessageOut' });
export type PollingEndpointMessageOut = z.output<typeof pollingEndpointMessageOutSchema>;

export const pollingEndpointOutSchema = z
  .object({
    data: z.array(pollingEndpointMessageOutSchema),
    /** Where the next poll goes on from; never null. */
    iterator: z.string(),
    /** True when the poll reached the newest messages (poll again later); false when more wait now. */
    done: z.boolean(),
  })
  .meta({ id: 'PollingEndpointOut' });
export type PollingEndpointOut = z.output<typeof pollingEndpointOutSchema>;

export const pollingEndpointConsumerSeekInSchema = z
  .object({ after: z.iso.datetime({ offset: true }).transform((s) => new Date(s)) })
  .meta({ id: 'PollingEndpointConsumerSeekIn' });
export type PollingEndpointConsumerSeekIn = z.output<typeof pollingEndpointConsumerSeekInSchema>;

export const pollingEndpointConsumerSeekOutSchema = z.object({ iterator: z.string() }).meta({ id: 'PollingEndpointConsumerSeekOut' });
export type PollingEndpointConsumerSeekOut = z.output<typeof pollingEndpointConsumerSeekOutSchema>;
