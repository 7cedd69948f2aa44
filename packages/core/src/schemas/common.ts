import { z } from 'zod';
import type { IdPrefix } from '../ids.ts';

// Field rules shared by every resource. Request schemas define the types core works with and, with
// the response schemas, the OpenAPI document: one source for validation, types and docs.

/** Svix's rule for uids and event type names. */
export const uidSchema = z
  .string()
  .min(1)
  .max(256)
  .regex(/^[a-zA-Z0-9\-_.]+$/, 'may contain only letters, digits and - _ .');
export const eventTypeNameSchema = z
  .string()
  .min(1)
  .max(256)
  .regex(/^[a-zA-Z0-9\-_.]+$/, 'may contain only letters, digits and - _ .');
export const channelSchema = z
  .string()
  .min(1)
  .max(128)
  .regex(/^[-_a-zA-Z0-9:#|.]+$/, 'may contain only letters, digits and - _ : # | .');
export const metadataSchema = z.record(z.string(), z.string());
export const throttleRateSchema = z.number().int().min(0).max(65535);

/** Path parameters: an id or a uid. */
export const idOrUidSchema = z.string().min(1).max(256);

export const queryBoolean = z.enum(['true', 'false']).transform((v) => v === 'true');

export const orderingSchema = z.enum(['ascending', 'descending']);

export const listQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(250).default(50),
  iterator: z.string().min(1).max(300).optional(),
  order: orderingSchema.optional(),
});

/**
 * The iterator of a list keyed by ids of `prefix`: the id of an item, after `-` for the page
 * before it. Anything else is a 422, as in Svix (its iterators are typed ids), rather than a
 * first page that looks like an answer.
 */
export const idIteratorSchema = (prefix: IdPrefix) =>
  z
    .string()
    .regex(new RegExp(`^-?${prefix}_[0-9A-Za-z]{27}$`), `must be an iterator this list returned: ${prefix}_ and 27 letters or digits, after - for the page before`);

/** listQuerySchema for a list keyed by ids of `prefix` (see idIteratorSchema). */
export const listQueryOf = (prefix: IdPrefix) => listQuerySchema.extend({ iterator: idIteratorSchema(prefix).optional() });

/**
 * `event_types` as the svix client sends arrays (`event_types=a,b`), repeated
 * (`event_types=a&event_types=b`), or both. Event type names cannot contain commas.
 */
export const queryEventTypes = z
  .union([z.string(), z.array(z.string())])
  .transform((v) => (Array.isArray(v) ? v : [v]).flatMap((s) => s.split(',')).filter((s) => s !== ''))
  .pipe(z.array(eventTypeNameSchema).max(100));

export const queryDateTime = z.iso.datetime({ offset: true }).transform((s) => new Date(s));

/** The `{data, iterator, prevIterator, done}` envelope of every list. */
export const listResponse = <T extends z.ZodType>(item: T) =>
  z.object({
    data: z.array(item),
    iterator: z.string().nullable(),
    prevIterator: z.string().nullable(),
    done: z.boolean(),
  });
