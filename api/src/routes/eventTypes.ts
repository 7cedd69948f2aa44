import { createEventType, listEventTypes } from '@hookline/core';
import type { RouteDefinition } from '../http/route.ts';
import { parseInput } from '../http/validate.ts';
import { eventTypeInSchema, eventTypeListQuerySchema } from '../schemas/eventTypes.ts';

export const eventTypeRoutes: RouteDefinition[] = [
  {
    method: 'post', path: '/api/v1/event-type', auth: 'tenant',
    handler: async ({ req, deps, tenantId }) => ({
      status: 201, body: await createEventType(deps.db, tenantId, parseInput(eventTypeInSchema, req.body, 'body')),
    }),
  },
  {
    method: 'get', path: '/api/v1/event-type', auth: 'tenant',
    handler: async ({ req, deps, tenantId }) => {
      const { include_archived, with_content, ...page } = parseInput(eventTypeListQuerySchema, req.query, 'query');
      const list = await listEventTypes(deps.db, tenantId, { ...page, includeArchived: include_archived });
      // Schemas can be large; like Svix, they are listed only when asked for.
      if (!with_content) for (const et of list.data) et.schemas = null;
      return { status: 200, body: list };
    },
  },
];
