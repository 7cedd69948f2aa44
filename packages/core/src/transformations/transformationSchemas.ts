import { z } from 'zod';
import { eventTypeNameSchema } from '../schemas/common.ts';

/** The longest code an endpoint may hold, in UTF-8 bytes (Svix's limit too). */
export const MAX_TRANSFORMATION_CODE_BYTES = 64 * 1024;

const codeSchema = z.string().refine((s) => Buffer.byteLength(s) <= MAX_TRANSFORMATION_CODE_BYTES, `must be at most ${MAX_TRANSFORMATION_CODE_BYTES} bytes (UTF-8)`);
/** Svix's transformation variables: a small map of strings, stored and returned. */
const variablesSchema = z.record(z.string().min(1).max(256), z.string().max(4096)).refine((v) => Object.keys(v).length <= 100, 'at most 100 variables');

/** Svix's EndpointTransformationPatch (and the older EndpointTransformationIn, which lacks `variables`). */
export const endpointTransformationPatchSchema = z
  .object({
    code: codeSchema.nullish(),
    enabled: z.boolean().optional(),
    variables: variablesSchema.nullish(),
  })
  .meta({ id: 'EndpointTransformationPatch' });
export type EndpointTransformationPatch = z.output<typeof endpointTransformationPatchSchema>;

export const endpointTransformationOutSchema = z
  .object({
    code: z.string().nullable(),
    enabled: z.boolean(),
    variables: z.record(z.string(), z.string()).nullable(),
    updatedAt: z.date().nullable(),
  })
  .meta({ id: 'EndpointTransformationOut' });
export type EndpointTransformationOut = z.output<typeof endpointTransformationOutSchema>;

/**
 * Svix's EndpointTransformationSimulateIn; Hookline also takes it without `payload` (then the
 * event type's schema example, like send-example) and with `exampleIndex`.
 */
export const endpointTransformationSimulateInSchema = z
  .object({
    code: codeSchema,
    eventType: eventTypeNameSchema,
    payload: z.unknown().optional(),
    channels: z.array(z.string()).max(10).nullish(),
    exampleIndex: z.number().int().min(0).max(1000).optional(),
  })
  .meta({ id: 'EndpointTransformationSimulateIn' });
export type EndpointTransformationSimulateIn = z.output<typeof endpointTransformationSimulateInSchema>;

/** Svix's EndpointTransformationSimulateOut (`payload` is the body as text), plus Hookline's `canceled`. */
export const endpointTransformationSimulateOutSchema = z
  .object({
    method: z.enum(['POST', 'PUT']).nullable(),
    url: z.string(),
    payload: z.string(),
    /** The handler set `cancel`: this message would not be sent to the endpoint. */
    canceled: z.boolean(),
  })
  .meta({ id: 'EndpointTransformationSimulateOut' });
export type EndpointTransformationSimulateOut = z.output<typeof endpointTransformationSimulateOutSchema>;

export const transformationTemplateOutSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    description: z.string(),
    /** What the receiving service expects; the URL to set on the endpoint. */
    instructions: z.string(),
    code: z.string(),
  })
  .meta({ id: 'TransformationTemplateOut' });
export const listTransformationTemplatesOutSchema = z
  .object({ data: z.array(transformationTemplateOutSchema), iterator: z.null(), prevIterator: z.null(), done: z.literal(true) })
  .meta({ id: 'ListResponseTransformationTemplateOut' });
