import { z } from 'zod';
import { channelSchema, eventTypeNameSchema, metadataSchema, throttleRateSchema, uidSchema } from '../schemas/common.ts';
import { payloadFilterSchema } from '../delivery/payloadFilter.ts';
import { signatureHeaderNamesSchema } from '../delivery/signatureHeaderNames.ts';
import { endpointDeliverySettingsSchema } from '../delivery/endpointDeliverySettings.ts';
import { headerMapSchema, headerValueSchema, settableHeaderNameSchema } from './headerRules.ts';

const urlSchema = z.string().min(1).max(65_536).url();
// An empty list is refused, not read as "every event type": Svix refuses it, and a filter that
// silently subscribes to everything is a trap.
const eventTypeFilterSchema = z.array(eventTypeNameSchema).min(1, 'must name at least one event type, or be null for every event type').max(1000).nullish();
/** A symmetric `whsec_` (or bare base64) secret, or an ed25519 `whsk_` secret key (checked in full by the domain). */
export const secretSchema = z.string().regex(/^(?:(?:whsec_)?[a-zA-Z0-9+/=]{32,100}|whsk_[a-zA-Z0-9+/=]{32,100})$/, 'must be whsec_ or whsk_ followed by base64');
/** Asks for a generated key of this scheme when no `secret` is given (Svix's names: HMAC-SHA256 `v1`, ed25519 `v1a`). */
export const signatureTypeSchema = z.enum(['hmac256', 'ed25519']);

/** Svix's endpoint uid: a uid that cannot be mistaken for an endpoint id. */
export const endpointUidSchema = uidSchema.refine((uid) => !uid.startsWith('ep_'), {
  message: 'Uids are not allowed to have the same prefix as the ID (ep_)',
});

export const endpointHeadersSchema = headerMapSchema(headerValueSchema);

/** PUT (upsert): every field is set; one left out returns to its default. */
export const endpointUpdateSchema = z
  .object({
    url: urlSchema,
    description: z.string().max(4096).optional(),
    uid: endpointUidSchema.nullish(),
    disabled: z.boolean().optional(),
    eventTypes: eventTypeFilterSchema.describe('Event types this endpoint receives; null or left out: every one. Never empty (422), as in Svix'),
    filterTypes: eventTypeFilterSchema.describe("Svix's older name of eventTypes, taken as it (giving both with different values is a 422)"),
    channels: z
      .array(channelSchema)
      .min(1, 'must have 1 to 10 channels, or be null for every channel')
      .max(10)
      .nullish()
      .describe('Channels this endpoint receives; null or left out: every one. Never empty (422), as in Svix'),
    throttleRate: throttleRateSchema.nullish(),
    metadata: metadataSchema.optional(),
    filter: payloadFilterSchema.nullish(),
    signatureHeaderNames: signatureHeaderNamesSchema
      .nullish()
      .describe("Hookline extension: this endpoint's signature header names; null: its tenant's setting. Left out: unchanged (even on PUT), the tenant's on create"),
    // Hookline's own too, so like signatureHeaderNames a PUT that leaves them out keeps them.
    ...endpointDeliverySettingsSchema,
  })
  .meta({ id: 'EndpointUpdate' });
export type EndpointUpdateIn = z.output<typeof endpointUpdateSchema>;

export const endpointInSchema = endpointUpdateSchema
  .extend({
    headers: endpointHeadersSchema.nullish(),
    secret: secretSchema.nullish(),
    signatureType: signatureTypeSchema
      .nullish()
      .describe('Scheme of the generated key when `secret` is not given: hmac256 (default, whsec_) or ed25519 (whsk_; the secret endpoint shows its whpk_ public key)'),
  })
  .meta({ id: 'EndpointIn' });
export type EndpointIn = z.output<typeof endpointInSchema>;

/**
 * PATCH: an absent field stays as it is; `null` clears the nullable ones (uid, eventTypes,
 * channels, throttleRate, filter, and Hookline's signatureHeaderNames, retrySchedule, timeoutMs,
 * maxAttempts). The others cannot be null, as in Svix.
 */
export const endpointPatchSchema = endpointUpdateSchema
  .extend({
    url: urlSchema.optional(),
  })
  .meta({ id: 'EndpointPatch' });
export type EndpointPatchIn = z.output<typeof endpointPatchSchema>;

export const endpointOutSchema = z
  .object({
    id: z.string(),
    uid: z.string().nullable(),
    url: z.string(),
    description: z.string(),
    disabled: z.boolean(),
    eventTypes: z.array(z.string()).nullable(),
    channels: z.array(z.string()).nullable(),
    throttleRate: z.number().int().nullable(),
    metadata: metadataSchema,
    filter: payloadFilterSchema.nullable(),
    signatureHeaderNames: signatureHeaderNamesSchema.nullable().describe("Hookline extension: this endpoint's own signature header names; null: its tenant's"),
    retrySchedule: z.array(z.number()).nullable().describe("Hookline extension: this endpoint's own retry delays in seconds; null: its tenant's"),
    timeoutMs: z.number().nullable().describe("Hookline extension: this endpoint's own attempt timeout; null: the installation's"),
    maxAttempts: z.number().nullable().describe("Hookline extension: this endpoint's own attempt limit; null: the retry schedule's length plus one"),
    createdAt: z.date(),
    updatedAt: z.date(),
  })
  .meta({ id: 'EndpointOut' });
export type EndpointOut = z.output<typeof endpointOutSchema>;

export const endpointSecretOutSchema = z.object({ key: z.string() }).meta({ id: 'EndpointSecretOut' });

/** Svix allows 0 (the old key stops at once) to 7 days; the default is 24 hours. */
export const MAX_GRACE_PERIOD_SECONDS = 7 * 86_400;
export const DEFAULT_GRACE_PERIOD_SECONDS = 86_400;

export const endpointSecretRotateInSchema = z
  .object({
    key: secretSchema.nullish(),
    gracePeriodSeconds: z.number().int().min(0).max(MAX_GRACE_PERIOD_SECONDS).nullish(),
  })
  .meta({ id: 'EndpointSecretRotateIn' });
export type EndpointSecretRotateIn = z.output<typeof endpointSecretRotateInSchema>;

export const endpointHeadersInSchema = z.object({ headers: endpointHeadersSchema }).meta({ id: 'EndpointHeadersIn' });
export type EndpointHeadersIn = z.output<typeof endpointHeadersInSchema>;

/**
 * A header set to `null` is removed (Svix's server), and so is every name in `deleteHeaders`
 * (what the newer Svix clients send).
 */
export const endpointHeadersPatchInSchema = z
  .object({
    headers: headerMapSchema(headerValueSchema.nullable()),
    deleteHeaders: z.array(settableHeaderNameSchema).max(1000).optional(),
  })
  .meta({ id: 'EndpointHeadersPatchIn' });
export type EndpointHeadersPatchIn = z.output<typeof endpointHeadersPatchInSchema>;

export const endpointHeadersOutSchema = z
  .object({
    headers: z.record(z.string(), z.string()),
    /** Names of the headers whose values are not shown (they hold credentials). */
    sensitive: z.array(z.string()),
  })
  .meta({ id: 'EndpointHeadersOut' });
export type EndpointHeadersOut = z.output<typeof endpointHeadersOutSchema>;
