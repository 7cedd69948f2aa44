import { listResponse, messageSearchOutSchema, messageSearchQuerySchema, searchMessages } from '@hookline/core';
import { defineRoute } from '../http/route.ts';

// Hookline's own: the vendor console's search over every application's messages (docs/api.md,
// Searching across applications). Not for portal tokens, which see one application.
export const messageSearchRoutes = [
  defineRoute({
    method: 'get',
    path: '/api/v1/messages',
    auth: 'tenant',
    access: 'read',
    portal: null,
    tag: 'Message',
    operationId: 'v1.message.search',
    summary:
      "Search the tenant's messages across its applications, newest first (by id, eventId, event type, channel, tag, application, delivery status, time, payload content)",
    query: messageSearchQuerySchema,
    response: { status: 200, schema: listResponse(messageSearchOutSchema) },
    handler: async ({ deps, tenantId, query }) => {
      const { limit, iterator, order, msg_id, event_id, event_types, payload_contains, with_content, ...filter } = query;
      return {
        status: 200,
        body: await searchMessages(
          deps.db,
          tenantId,
          { limit, iterator, order, maxBytes: deps.config.maxPageBytes },
          { ...filter, msgId: msg_id, eventId: event_id, eventTypes: event_types, payloadContains: payload_contains, withContent: with_content ?? true },
        ),
      };
    },
  }),
];
