import { z } from 'zod';
import {
  createEventType,
  deleteEventType,
  eventTypeDeleteQuerySchema,
  eventTypeImportOpenApiInSchema,
  eventTypeImportOpenApiOutSchema,
  eventTypeInSchema,
  eventTypeListQuerySchema,
  eventTypeNameSchema,
  eventTypeOutSchema,
  eventTypePatchSchema,
  eventTypeUpsertInSchema,
  getEventType,
  importOpenApi,
  listEventTypes,
  listResponse,
  patchEventType,
  upsertEventType,
} from '@hookline/core';
import { auditOf } from '../http/auditOf.ts';
import { defineRoute } from '../http/route.ts';

const tag = 'Event Type';
const eventTypePath = z.object({ name: eventTypeNameSchema });

export const eventTypeRoutes = [
  defineRoute({
    method: 'post',
    path: '/api/v1/event-type/import/openapi',
    auth: 'tenant',
    access: 'write',
    tag,
    operationId: 'v1.event-type.import-openapi',
    summary: "Create or update event types from an OpenAPI 3.x document's webhooks (spec or specRaw, JSON or YAML); dryRun previews, replaceAll archives the rest",
    body: eventTypeImportOpenApiInSchema,
    response: { status: 200, schema: eventTypeImportOpenApiOutSchema },
    handler: async ({ deps, tenantId, actor, origin, body }) => ({
      status: 200,
      body: await importOpenApi(deps.db, tenantId, body, auditOf({ tenantId, actor, origin })),
    }),
  }),
  defineRoute({
    method: 'post',
    path: '/api/v1/event-type',
    auth: 'tenant',
    access: 'write',
    tag,
    operationId: 'v1.event-type.create',
    summary: 'Create an event type, or revive an archived one of that name',
    body: eventTypeInSchema,
    response: { status: 201, schema: eventTypeOutSchema },
    handler: async ({ deps, tenantId, actor, origin, body }) => ({
      status: 201,
      body: await createEventType(deps.db, tenantId, body, auditOf({ tenantId, actor, origin })),
    }),
  }),
  defineRoute({
    method: 'get',
    path: '/api/v1/event-type',
    auth: 'tenant',
    access: 'read',
    tag,
    operationId: 'v1.event-type.list',
    summary: 'List event types',
    query: eventTypeListQuerySchema,
    response: { status: 200, schema: listResponse(eventTypeOutSchema) },
    handler: async ({ deps, tenantId, query, portal }) => {
      const { include_archived, with_content, ...page } = query;
      const options = { includeArchived: include_archived, withContent: with_content, featureFlags: portal?.featureFlags, maxBytes: deps.config.maxPageBytes };
      return { status: 200, body: await listEventTypes(deps.db, tenantId, { ...page, ...options }) };
    },
  }),
  defineRoute({
    method: 'get',
    path: '/api/v1/event-type/:name',
    auth: 'tenant',
    access: 'read',
    tag,
    operationId: 'v1.event-type.get',
    summary: 'Get an event type (archived ones too)',
    params: eventTypePath,
    response: { status: 200, schema: eventTypeOutSchema },
    handler: async ({ deps, tenantId, params, portal }) => ({ status: 200, body: await getEventType(deps.db, tenantId, params.name, portal?.featureFlags) }),
  }),
  defineRoute({
    method: 'put',
    path: '/api/v1/event-type/:name',
    auth: 'tenant',
    access: 'write',
    tag,
    operationId: 'v1.event-type.update',
    summary: 'Create or replace an event type',
    params: eventTypePath,
    body: eventTypeUpsertInSchema,
    response: { status: 200, schema: eventTypeOutSchema, description: 'Updated (201 when it did not exist and was created)' },
    handler: async ({ deps, tenantId, actor, origin, params, body }) => {
      const { eventType, created } = await upsertEventType(deps.db, tenantId, params.name, body, auditOf({ tenantId, actor, origin }));
      return { status: created ? 201 : 200, body: eventType };
    },
  }),
  defineRoute({
    method: 'patch',
    path: '/api/v1/event-type/:name',
    auth: 'tenant',
    access: 'write',
    tag,
    operationId: 'v1.event-type.patch',
    summary: 'Partially update an event type',
    params: eventTypePath,
    body: eventTypePatchSchema,
    response: { status: 200, schema: eventTypeOutSchema },
    handler: async ({ deps, tenantId, actor, origin, params, body }) => ({
      status: 200,
      body: await patchEventType(deps.db, tenantId, params.name, body, auditOf({ tenantId, actor, origin })),
    }),
  }),
  defineRoute({
    method: 'delete',
    path: '/api/v1/event-type/:name',
    auth: 'tenant',
    access: 'write',
    tag,
    operationId: 'v1.event-type.delete',
    summary: 'Archive an event type (`expunge=true`: delete it for good)',
    params: eventTypePath,
    query: eventTypeDeleteQuerySchema,
    response: { status: 204 },
    handler: async ({ deps, tenantId, actor, origin, params, query }) => {
      await deleteEventType(deps.db, tenantId, params.name, auditOf({ tenantId, actor, origin }), { expunge: query.expunge });
      return { status: 204 };
    },
  }),
];
