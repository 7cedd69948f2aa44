import { z } from 'zod';
import { eventTypeNameSchema, listQuerySchema, queryBoolean } from '../schemas/common.ts';
import { jsonSchemaProblems } from './jsonSchemaShape.ts';

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * `{"1": <JSON Schema>, "2": …}`: one JSON Schema per version of the event's payload. Each must be
 * an object that looks like a JSON Schema (see jsonSchemaShape); its `examples` feed the portal's
 * catalog and the endpoint's send-example.
 */
export const eventTypeSchemasSchema = z.record(z.string().min(1).max(64), z.unknown()).superRefine((versions, ctx) => {
  if (Object.keys(versions).length > 50) ctx.addIssue({ code: 'custom', message: 'at most 50 schema versions' });
  for (const [version, schema] of Object.entries(versions)) {
    if (!isObject(schema)) {
      ctx.addIssue({ code: 'custom', path: [version], message: 'must be a JSON Schema object' });
      continue;
    }
    for (const p of jsonSchemaProblems(schema)) ctx.addIssue({ code: 'custom', path: [version, ...p.path], message: p.message });
  }
});

/** Svix's feature flag names follow the uid rule. */
export const featureFlagSchema = z
  .string()
  .min(1)
  .max(256)
  .regex(/^[a-zA-Z0-9\-_.]+$/, 'may contain only letters, digits and - _ .');

/** The fields every write of an event type may carry (all but its name, which is its key). */
const eventTypeFields = {
  description: z.string().max(4096),
  archived: z.boolean().optional(),
  deprecated: z.boolean().optional(),
  schemas: eventTypeSchemasSchema.nullish(),
  /** Svix's older single flag; stored as a set of one. */
  featureFlag: featureFlagSchema.nullish(),
  featureFlags: z.array(featureFlagSchema).max(50).nullish(),
  groupName: z.string().min(1).max(256).nullish(),
};

export const eventTypeInSchema = z.object({ name: eventTypeNameSchema, ...eventTypeFields }).meta({ id: 'EventTypeIn' });
export type EventTypeIn = z.output<typeof eventTypeInSchema>;

/** PUT /event-type/{name}: the name comes from the path. */
export const eventTypeUpsertInSchema = z.object(eventTypeFields).meta({ id: 'EventTypeUpsertIn' });
export type EventTypeUpsertIn = z.output<typeof eventTypeUpsertInSchema>;

/** A partial update: absent fields stay as they are, `null` clears the nullable ones. */
export const eventTypePatchSchema = z
  .object({
    description: eventTypeFields.description.optional(),
    archived: z.boolean().optional(),
    deprecated: z.boolean().optional(),
    schemas: eventTypeFields.schemas,
    featureFlag: eventTypeFields.featureFlag,
    featureFlags: eventTypeFields.featureFlags,
    groupName: eventTypeFields.groupName,
  })
  .meta({ id: 'EventTypePatch' });
export type EventTypePatch = z.output<typeof eventTypePatchSchema>;

export const eventTypeOutSchema = z
  .object({
    name: z.string(),
    description: z.string(),
    archived: z.boolean(),
    deprecated: z.boolean(),
    /** Null in lists unless `with_content=true`. */
    schemas: z.record(z.string(), z.unknown()).nullable(),
    featureFlags: z.array(z.string()).nullable(),
    /** Deprecated in Svix in favour of featureFlags: the first of them. */
    featureFlag: z.string().nullable(),
    groupName: z.string().nullable(),
    createdAt: z.date(),
    updatedAt: z.date(),
  })
  .meta({ id: 'EventTypeOut' });
export type EventTypeOut = z.output<typeof eventTypeOutSchema>;

export const eventTypeListQuerySchema = listQuerySchema.extend({
  // Event types are listed by name: the iterator is one (after - for the page before).
  iterator: z
    .string()
    .regex(/^-?[a-zA-Z0-9\-_.]{1,256}$/, 'must be an iterator this list returned: an event type name, after - for the page before')
    .optional(),
  include_archived: queryBoolean.optional(),
  with_content: queryBoolean.optional(),
});

export const eventTypeDeleteQuerySchema = z.object({
  /** Remove the event type for good instead of archiving it. */
  expunge: queryBoolean.optional(),
});
