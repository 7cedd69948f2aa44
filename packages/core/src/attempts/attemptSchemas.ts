import { z } from 'zod';
import { endpointOutSchema } from '../endpoints/endpointSchemas.ts';
import { messageOutSchema } from '../messages/messageSchemas.ts';
import { channelSchema, idOrUidSchema, listQueryOf, queryBoolean, queryDateTime, queryEventTypes } from '../schemas/common.ts';

/** Names of Svix's MessageStatus values, by value (see MESSAGE_STATUS). */
export const MESSAGE_STATUS_TEXT = ['success', 'pending', 'fail', 'sending', 'canceled'] as const;
export type MessageStatusText = (typeof MESSAGE_STATUS_TEXT)[number];

/** Svix's StatusCodeClass: 0 is "no response" (network errors, recorded as 0), 100…500 a class of codes. */
export const STATUS_CODE_CLASSES = [0, 100, 200, 300, 400, 500] as const;

const messageStatusSchema = z.number().int().min(0).max(4).describe('0 success, 1 pending, 2 fail, 3 sending, 4 canceled');
const messageStatusTextSchema = z.enum(MESSAGE_STATUS_TEXT);

export const queryMessageStatus = z.coerce.number().int().min(0).max(4).describe('0 success, 1 pending, 2 fail, 3 sending, 4 canceled');
const queryStatusCodeClass = z.coerce
  .number()
  .pipe(z.literal(STATUS_CODE_CLASSES))
  .meta({ type: 'integer', enum: [...STATUS_CODE_CLASSES], description: '0: no response; 100, 200, 300, 400, 500: that class of HTTP status codes' });

/** Svix's attempt lists are newest first only: no `order`. Attempts page by attempt id, attempted messages by message id, destinations by endpoint id. */
const attemptPageQuery = listQueryOf('atmpt').omit({ order: true });
const attemptedMessagesPageQuery = listQueryOf('msg').omit({ order: true });

const attemptFilterQuery = {
  status: queryMessageStatus.optional(),
  status_code_class: queryStatusCodeClass.optional(),
  event_types: queryEventTypes.optional(),
  channel: channelSchema.optional(),
  tag: z.string().min(1).max(128).optional(),
  before: queryDateTime.optional(),
  after: queryDateTime.optional(),
  with_content: queryBoolean.optional().describe('Include the response body of each attempt (default true)'),
  expanded_statuses: queryBoolean.optional().describe('Report canceled (4) as such rather than as success (0)'),
};

/** What the attempt lists filter on, in core's terms. */
export interface AttemptListFilter {
  status?: number | undefined;
  statusCodeClass?: number | undefined;
  eventTypes?: string[] | undefined;
  channel?: string | undefined;
  tag?: string | undefined;
  before?: Date | undefined;
  after?: Date | undefined;
  withContent: boolean;
  expandedStatuses: boolean;
}

type FilterQuery = z.output<z.ZodObject<typeof attemptFilterQuery>>;
const toFilter = (q: FilterQuery): AttemptListFilter => ({
  status: q.status,
  statusCodeClass: q.status_code_class,
  eventTypes: q.event_types,
  channel: q.channel,
  tag: q.tag,
  before: q.before,
  after: q.after,
  // Svix's server defaults: content shown, canceled reported as success for older clients.
  withContent: q.with_content ?? true,
  expandedStatuses: q.expanded_statuses ?? false,
});

export const attemptListByEndpointQuerySchema = attemptPageQuery
  .extend({
    ...attemptFilterQuery,
    with_msg: queryBoolean.optional().describe('Include the message (without its payload) in each attempt'),
  })
  .transform(({ limit, iterator, with_msg, ...q }) => ({
    page: { limit, iterator },
    filter: { ...toFilter(q), withMsg: with_msg ?? false },
  }));
export type AttemptListByEndpointQuery = z.output<typeof attemptListByEndpointQuerySchema>;

export const attemptListByMsgQuerySchema = attemptPageQuery
  .extend({
    ...attemptFilterQuery,
    endpoint_id: idOrUidSchema.optional().describe('Only attempts to this endpoint (id or uid)'),
  })
  .transform(({ limit, iterator, endpoint_id, ...q }) => ({
    page: { limit, iterator },
    filter: { ...toFilter(q), endpointId: endpoint_id },
  }));
export type AttemptListByMsgQuery = z.output<typeof attemptListByMsgQuerySchema>;

export const attemptedMessagesQuerySchema = attemptedMessagesPageQuery
  .extend({
    status: queryMessageStatus.optional(),
    event_types: attemptFilterQuery.event_types,
    channel: attemptFilterQuery.channel,
    tag: attemptFilterQuery.tag,
    before: attemptFilterQuery.before,
    after: attemptFilterQuery.after,
    with_content: queryBoolean.optional().describe('Include message payloads (default true)'),
    expanded_statuses: attemptFilterQuery.expanded_statuses,
  })
  .transform(({ limit, iterator, event_types, with_content, expanded_statuses, ...q }) => ({
    page: { limit, iterator },
    filter: { ...q, eventTypes: event_types, withContent: with_content ?? true, expandedStatuses: expanded_statuses ?? false },
  }));
export type AttemptedMessagesQuery = z.output<typeof attemptedMessagesQuerySchema>;

export const attemptedDestinationsQuerySchema = listQueryOf('ep').omit({ order: true });

export const expandedStatusesQuerySchema = z
  .object({ expanded_statuses: attemptFilterQuery.expanded_statuses })
  .transform((q) => ({ expandedStatuses: q.expanded_statuses ?? false }));

export const messageAttemptOutSchema = z
  .object({
    id: z.string(),
    msgId: z.string(),
    endpointId: z.string(),
    url: z.string(),
    response: z.string(),
    responseStatusCode: z.number().int(),
    responseDurationMs: z.number().int(),
    status: messageStatusSchema,
    statusText: messageStatusTextSchema,
    triggerType: z.number().int().describe('0 scheduled, 1 manual'),
    timestamp: z.date(),
    msg: messageOutSchema.optional().describe('The message, without its payload (with_msg=true)'),
  })
  .meta({ id: 'MessageAttemptOut' });
export type MessageAttemptOut = z.output<typeof messageAttemptOutSchema>;

/** One attempt as its detail shows it: Svix's fields, plus the exchange's headers (Hookline's own). */
export const messageAttemptDetailOutSchema = messageAttemptOutSchema
  .extend({
    requestHeaders: z
      .object({
        recorded: z.boolean().describe('false for an attempt made before Hookline recorded headers: rebuilt, without its signature'),
        headers: z.record(z.string(), z.string()).describe('name (lower case) → value, as sent'),
        redacted: z.array(z.string()).describe('headers sent whose values are not shown: credentials, and custom headers to a caller that may not read header values'),
      })
      .describe('The headers the request was sent with ({} when no request was made: the target was refused)'),
    responseHeaders: z.record(z.string(), z.string()).nullable().describe('The response headers (names in lower case); null without a response'),
  })
  .meta({ id: 'MessageAttemptDetailOut' });
export type MessageAttemptDetailOut = z.output<typeof messageAttemptDetailOutSchema>;

/** A message sent to one endpoint, with the state of that delivery (Svix's EndpointMessageOut). */
export const endpointMessageOutSchema = messageOutSchema
  .extend({
    status: messageStatusSchema,
    statusText: messageStatusTextSchema,
    nextAttempt: z.date().nullable(),
  })
  .meta({ id: 'EndpointMessageOut' });
export type EndpointMessageOut = z.output<typeof endpointMessageOutSchema>;

/** An endpoint a message was sent to, with the state of that delivery (Svix's MessageEndpointOut). */
export const messageEndpointOutSchema = endpointOutSchema
  .omit({ metadata: true, filter: true, signatureHeaderNames: true, retrySchedule: true, timeoutMs: true, maxAttempts: true })
  .extend({
    status: messageStatusSchema,
    statusText: messageStatusTextSchema,
    nextAttempt: z.date().nullable(),
  })
  .meta({ id: 'MessageEndpointOut' });
export type MessageEndpointOut = z.output<typeof messageEndpointOutSchema>;

/** Svix answers a resend with an empty object. */
export const emptyResponseSchema = z.object({}).meta({ id: 'EmptyResponse' });
