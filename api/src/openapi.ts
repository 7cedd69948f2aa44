import { z } from 'zod';
import { rolesFor } from '@hookline/core';
import type { RouteDefinition } from './http/route.ts';
import { CSRF_HEADER, SESSION_COOKIE } from './http/sessionCookie.ts';

type JsonSchema = Record<string, unknown>;

const errorSchema = z.object({ code: z.string(), detail: z.string() }).meta({ id: 'HttpError' });
const validationErrorSchema = z
  .object({
    detail: z.array(z.object({ loc: z.array(z.union([z.string(), z.number()])), msg: z.string(), type: z.string() })),
  })
  .meta({ id: 'HTTPValidationError' });

/**
 * JSON Schema for a zod schema. Dates are sent as RFC 3339 strings; schemas with an `id` in their
 * metadata become shared components.
 */
function toSchema(schema: z.ZodType, io: 'input' | 'output', components: Record<string, JsonSchema>): JsonSchema {
  const json = z.toJSONSchema(schema, {
    io,
    target: 'draft-2020-12',
    unrepresentable: 'any',
    reused: 'inline',
    override: ({ zodSchema, jsonSchema }) => {
      if (zodSchema._zod.def.type === 'date') {
        jsonSchema.type = 'string';
        jsonSchema.format = 'date-time';
      }
    },
  }) as JsonSchema & { $defs?: Record<string, JsonSchema>; $schema?: string; id?: string };
  const { $defs, $schema: _ignored, ...rest } = json;
  for (const [name, def] of Object.entries($defs ?? {})) components[name] ??= rewriteRefs(def);
  const id = (z.globalRegistry.get(schema) as { id?: string } | undefined)?.id;
  const body = rewriteRefs(rest);
  if (!id) return body;
  // Inputs and outputs of one schema can differ (defaults, transforms), so inputs get their own name.
  const name = io === 'input' && id.endsWith('Out') ? `${id}Input` : id;
  delete body.id;
  components[name] ??= body;
  return { $ref: `#/components/schemas/${name}` };
}

function rewriteRefs<T>(value: T): T {
  return JSON.parse(JSON.stringify(value).replaceAll('"#/$defs/', '"#/components/schemas/')) as T;
}

/** OpenAPI query/path parameters from an object schema. */
function parameters(schema: z.ZodType | undefined, where: 'query' | 'path', components: Record<string, JsonSchema>): JsonSchema[] {
  if (!schema) return [];
  const ref = toSchema(schema, 'input', components);
  // A schema with a registered id comes back as a $ref: its properties are in the component.
  const json = typeof ref.$ref === 'string' ? (components[ref.$ref.slice('#/components/schemas/'.length)] ?? ref) : ref;
  const props = (json.properties ?? {}) as Record<string, JsonSchema>;
  const required = new Set((json.required ?? []) as string[]);
  return Object.entries(props).map(([name, s]) => ({ name, in: where, required: where === 'path' || required.has(name), schema: s }));
}

const toOpenApiPath = (path: string) => path.replace(/:(\w+)/g, '{$1}');

/** The OpenAPI 3.1 document of every route, generated from the route table's own schemas. */
export function buildOpenApiDocument(routes: readonly RouteDefinition[], info: { version: string }): JsonSchema {
  const components: Record<string, JsonSchema> = {};
  const errorRef = toSchema(errorSchema, 'output', components);
  const validationRef = toSchema(validationErrorSchema, 'output', components);
  const paths: Record<string, Record<string, JsonSchema>> = {};
  for (const route of routes) {
    const responses: Record<string, JsonSchema> = {
      [route.response.status]: route.response.schema
        ? {
            description: route.response.description ?? 'OK',
            content: { [route.response.contentType ?? 'application/json']: { schema: toSchema(route.response.schema, 'output', components) } },
          }
        : { description: route.response.description ?? 'No content' },
    };
    if (route.auth !== 'none') responses['401'] = { description: 'Unauthorized', content: { 'application/json': { schema: errorRef } } };
    if (route.auth === 'tenant' || route.auth === 'person' || route.csrf) {
      const description = 'Forbidden: the role (x-hookline-roles) or portal capability does not allow it, or a cross-site (CSRF) request';
      responses['403'] = { description, content: { 'application/json': { schema: errorRef } } };
    }
    if (route.csrf || route.auth === 'person') {
      responses['429'] = {
        description: 'Too many failed password checks for this account or from this address',
        headers: { 'Retry-After': { description: 'Seconds to wait before retrying', schema: { type: 'integer', minimum: 1 } } },
        content: { 'application/json': { schema: errorRef } },
      };
    }
    if (route.params || route.body || route.query) {
      responses['422'] = { description: 'Validation error', content: { 'application/json': { schema: validationRef } } };
    }
    if (route.params) responses['404'] = { description: 'Not found', content: { 'application/json': { schema: errorRef } } };
    if (route.auth === 'tenant') {
      responses['429'] = {
        description: "Over the tenant's API rate limit",
        headers: { 'Retry-After': { description: 'Seconds to wait before retrying', schema: { type: 'integer', minimum: 1 } } },
        content: { 'application/json': { schema: errorRef } },
      };
    }
    const operation: JsonSchema = {
      operationId: route.operationId,
      summary: route.summary,
      tags: [route.tag],
      parameters: [...parameters(route.params, 'path', components), ...parameters(route.query, 'query', components)],
      responses,
      ...securityOf(route),
      // Which roles a person's session needs (API keys hold the tenant's full power): the router's own declaration.
      ...(route.access ? { 'x-hookline-roles': [...rolesFor(route.access)] } : {}),
    };
    if (route.body) {
      operation.requestBody = { required: true, content: { 'application/json': { schema: toSchema(route.body, 'input', components) } } };
    }
    (paths[toOpenApiPath(route.path)] ??= {})[route.method] = operation;
  }
  return {
    openapi: '3.1.0',
    info: { title: 'Hookline API', version: info.version, description: 'Svix-compatible webhooks API.' },
    paths,
    components: {
      schemas: components,
      securitySchemes: {
        apiKey: { type: 'http', scheme: 'bearer', description: 'A tenant API key' },
        adminToken: { type: 'http', scheme: 'bearer', description: 'The operator token (HOOKLINE_ADMIN_TOKEN)' },
        session: {
          type: 'apiKey',
          in: 'cookie',
          name: SESSION_COOKIE,
          description: `A console session (POST /console/v1/auth/sign-in); mutations also need a same-origin Origin and the ${CSRF_HEADER} header`,
        },
      },
    },
    security: [{ apiKey: [] }],
  };
}

function securityOf(route: RouteDefinition): { security?: Array<Record<string, never[]>> } {
  if (route.auth === 'none') return { security: [] };
  if (route.auth === 'admin') return { security: [{ adminToken: [] }] };
  if (route.auth === 'person') return { security: [{ session: [] }] };
  return { security: [{ apiKey: [] }, { session: [] }] };
}
