import { createEventType, eventTypeInSchema, eventTypeListQuerySchema, eventTypeOutSchema, listEventTypes, listResponse } from '@hookline/core';
import { defineRoute } from '../http/route.ts';

const tag = 'Event Type';

export const eventTypeRoutes = [
  defineRoute({
    method: 'post', path: '/api/v1/event-type', auth: 'tenant', tag, operationId: 'v1.event-type.create', summary: 'Create an event type',
    body: eventTypeInSchema, response: { status: 201, schema: eventTypeOutSchema },
    handler: async ({ deps, tenantId, body }) => ({ status: 201, body: await createEventType(deps.db, tenantId, body) }),
  }),
  defineRoute({
    method: 'get', path: '/api/v1/event-type', auth: 'tenant', tag, operationId: 'v1.event-type.list', summary: 'List event types',
    query: eventTypeListQuerySchema, response: { status: 200, schema: listResponse(eventTypeOutSchema) },
    handler: async ({ deps, tenantId, query }) => {
      const { include_archived, with_content, ...page } = query;
      const list = await listEventTypes(deps.db, tenantId, { ...page, includeArchived: include_archived });
      // Schemas can be large; like Svix, they are listed only when asked for.
      if (!with_content) for (const et of list.data) et.schemas = null;
      return { status: 200, body: list };
    },
  }),
];
