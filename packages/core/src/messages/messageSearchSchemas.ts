import { z } from 'zod';
import { queryMessageStatus } from '../attempts/attemptSchemas.ts';
import { channelSchema, idOrUidSchema, listQueryOf, queryBoolean, queryDateTime, queryEventTypes, uidSchema } from '../schemas/common.ts';
import { messageOutSchema, tagSchema } from './messageSchemas.ts';

/** Longest `payload_contains` accepted: a search names a few fields, not a document. */
export const MAX_PAYLOAD_QUERY_LENGTH = 4096;

/** `payload_contains`: the JSON text of an object, parsed here so that malformed JSON is a 422 on the parameter itself. */
const queryJsonObject = z
  .string()
  .max(MAX_PAYLOAD_QUERY_LENGTH)
  .transform((text, ctx) => {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      ctx.addIssue({ code: 'custom', message: 'must be JSON text, e.g. {"invoiceId":"in_42"}' });
      return z.NEVER;
    }
  })
  .pipe(z.record(z.string(), z.unknown(), { error: 'must be a JSON object, e.g. {"invoiceId":"in_42"}' }))
  .meta({ type: 'string', description: 'JSON object the payload must contain (jsonb `@>`), e.g. {"invoiceId":"in_42"}' });

/** `GET /api/v1/messages`: the tenant's messages across its applications, newest first by default. */
export const messageSearchQuerySchema = listQueryOf('msg').extend({
  msg_id: z.string().min(1).max(64).optional().describe('Only this message (its id)'),
  event_id: uidSchema.optional().describe('Only the messages published with this eventId (one per application), in any application unless `app` is given'),
  app: idOrUidSchema.optional().describe('Only this application (id or uid)'),
  event_types: queryEventTypes.optional(),
  channel: channelSchema.optional(),
  tag: tagSchema.optional(),
  status: queryMessageStatus.optional().describe('Only messages with a delivery (to any endpoint) in this status: 0 success, 1 pending, 2 fail, 3 sending, 4 canceled'),
  before: queryDateTime.optional(),
  after: queryDateTime.optional(),
  payload_contains: queryJsonObject.optional(),
  with_content: queryBoolean.optional().describe('Include payloads (default true)'),
});
export type MessageSearchQuery = z.output<typeof messageSearchQuerySchema>;

/** What the search filters on, in core's terms (the route maps the query's names). */
export interface MessageSearchFilter {
  msgId?: string | undefined;
  eventId?: string | undefined;
  /** An application's id or uid. */
  app?: string | undefined;
  eventTypes?: string[] | undefined;
  channel?: string | undefined;
  tag?: string | undefined;
  status?: number | undefined;
  before?: Date | undefined;
  after?: Date | undefined;
  payloadContains?: Record<string, unknown> | undefined;
  withContent: boolean;
}

const deliveryCountsSchema = z
  .object({ success: z.number().int(), pending: z.number().int(), fail: z.number().int(), sending: z.number().int(), canceled: z.number().int() })
  .describe("How many of the message's deliveries (one per endpoint it went to) are in each status");

/** A message found by the search: Svix's MessageOut, with its application and where its deliveries stand. */
export const messageSearchOutSchema = messageOutSchema
  .extend({
    application: z.object({ id: z.string(), uid: z.string().nullable(), name: z.string() }),
    deliveries: deliveryCountsSchema,
  })
  .meta({ id: 'MessageSearchOut' });
export type MessageSearchOut = z.output<typeof messageSearchOutSchema>;
