import { z } from 'zod';
import { applicationInSchema } from '../applications/applicationSchemas.ts';
import { channelSchema, eventTypeNameSchema, listQueryOf, queryBoolean, queryDateTime, queryEventTypes, uidSchema } from '../schemas/common.ts';

/** A message's eventId is its uid, so Svix's uid rule applies: it must not look like a message id. */
const eventIdSchema = uidSchema.refine((id) => !id.startsWith('msg_'), 'must not start with "msg_", the prefix of message ids');

export const tagSchema = z
  .string()
  .min(1)
  .max(128)
  .regex(/^[a-zA-Z0-9\-_./\\#]+$/, 'may contain only letters, digits and - _ . / \\ #');

/**
 * Svix's `messageInRaw`: `rawPayload` is delivered byte for byte instead of `payload` (which must
 * then be `{}`). Hookline stores and delivers JSON only, so the text must be a JSON object and a
 * `content-type` header, if given, application/json; anything else is a 422, never a silent `{}`.
 */
const transformationsParamsSchema = z
  .object({
    rawPayload: z.string().optional().describe('The payload as the exact JSON text to deliver (not normalised); `payload` must then be {}'),
    headers: z.record(z.string(), z.string()).nullish().describe('Only content-type: application/json is accepted (Hookline delivers JSON)'),
  })
  .superRefine((params, ctx) => {
    if (params.rawPayload !== undefined && !isJsonObjectText(params.rawPayload)) {
      ctx.addIssue({ code: 'custom', path: ['rawPayload'], message: 'must be the text of a JSON object: Hookline stores and delivers JSON payloads only' });
    }
    for (const [name, value] of Object.entries(params.headers ?? {})) {
      if (name.toLowerCase() !== 'content-type' || !/^application\/json\s*(;.*)?$/i.test(value)) {
        ctx.addIssue({ code: 'custom', path: ['headers', name], message: 'only content-type: application/json is supported: Hookline delivers JSON payloads' });
      }
    }
  });

function isJsonObjectText(text: string): boolean {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value);
  } catch {
    return false;
  }
}

export const messageInSchema = z
  .object({
    eventType: eventTypeNameSchema,
    eventId: eventIdSchema.nullish(),
    // Svix requires a JSON object (not an array or a scalar).
    payload: z.record(z.string(), z.unknown()),
    channels: z.array(channelSchema).max(10).nullish(),
    tags: z.array(tagSchema).max(5).nullish(),
    /** Creates the application when the path's uid does not exist yet; ignored when it does. */
    application: applicationInSchema.nullish(),
    payloadRetentionPeriod: z.number().int().min(1).max(3650).nullish(),
    payloadRetentionHours: z
      .number()
      .int()
      .min(1)
      .max(3650 * 24)
      .nullish(),
    transformationsParams: transformationsParamsSchema.nullish(),
  })
  .refine((m) => m.payloadRetentionPeriod == null || m.payloadRetentionHours == null, {
    path: ['payloadRetentionHours'],
    message: 'payloadRetentionPeriod and payloadRetentionHours are mutually exclusive',
  })
  .refine((m) => m.transformationsParams?.rawPayload === undefined || Object.keys(m.payload).length === 0, {
    path: ['payload'],
    message: 'must be {} when transformationsParams.rawPayload is given (it is the payload)',
  })
  .meta({ id: 'MessageIn' });
export type MessageIn = z.output<typeof messageInSchema>;

export const messageOutSchema = z
  .object({
    id: z.string(),
    eventType: z.string(),
    eventId: z.string().nullable(),
    /** `{}` when asked `with_content=false`, and once the payload was expunged or expired. */
    payload: z.unknown(),
    channels: z.array(z.string()).nullable(),
    tags: z.array(z.string()).nullable(),
    timestamp: z.date(),
  })
  .meta({ id: 'MessageOut' });
export type MessageOut = z.output<typeof messageOutSchema>;

/** `with_content` on create and get: as in Svix, the payload is included unless it is `false`. */
export const messageContentQuerySchema = z.object({
  with_content: queryBoolean.optional(),
});

export const messageListQuerySchema = listQueryOf('msg').extend({
  event_types: queryEventTypes.optional(),
  channel: channelSchema.optional(),
  tag: tagSchema.optional(),
  before: queryDateTime.optional(),
  after: queryDateTime.optional(),
  with_content: queryBoolean.optional(),
});
