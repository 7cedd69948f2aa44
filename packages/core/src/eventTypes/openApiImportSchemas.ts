import { z } from 'zod';

/** Svix's EventTypeImportOpenApiIn: exactly one of `spec` (parsed) and `specRaw` (YAML or JSON text). */
export const eventTypeImportOpenApiInSchema = z
  .object({
    dryRun: z.boolean().optional(),
    replaceAll: z.boolean().optional(),
    spec: z.record(z.string(), z.unknown()).nullish(),
    specRaw: z.string().max(5_000_000).nullish(),
  })
  .meta({ id: 'EventTypeImportOpenApiIn' });
export type EventTypeImportOpenApiIn = z.output<typeof eventTypeImportOpenApiInSchema>;

export const eventTypeFromOpenApiSchema = z
  .object({
    name: z.string(),
    description: z.string(),
    schemas: z.record(z.string(), z.unknown()).nullable(),
    deprecated: z.boolean(),
    groupName: z.string().nullable(),
    featureFlags: z.array(z.string()).nullable(),
  })
  .meta({ id: 'EventTypeFromOpenApi' });
export type EventTypeFromOpenApi = z.output<typeof eventTypeFromOpenApiSchema>;

/**
 * Svix's EventTypeImportOpenApiOut. `to_modify` is snake_case on the wire, as Svix's clients read
 * it: on a dry run, the event types the import would create or change; `modified`, the names an
 * import created, changed or (with `replaceAll`) archived.
 */
export const eventTypeImportOpenApiOutSchema = z
  .object({
    data: z.object({
      modified: z.array(z.string()),
      to_modify: z.array(eventTypeFromOpenApiSchema).nullable(),
    }),
  })
  .meta({ id: 'EventTypeImportOpenApiOut' });
export type EventTypeImportOpenApiOut = z.output<typeof eventTypeImportOpenApiOutSchema>;
