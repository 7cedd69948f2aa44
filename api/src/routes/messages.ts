import { getMessage, listMessages, listResponse, messageInSchema, messageListQuerySchema, messageOutSchema, publishMessage, toMessageOut } from '@hookline/core';
import { defineRoute } from '../http/route.ts';
import { appPath, messagePath } from './paths.ts';

const tag = 'Message';

export const messageRoutes = [
  defineRoute({
    method: 'post', path: '/api/v1/app/:app/msg', auth: 'tenant', tag, operationId: 'v1.message.create', summary: 'Publish a message',
    // The payload is stored as JSON text, so (unlike other fields) it may carry U+0000.
    params: appPath, body: messageInSchema, opaqueBodyFields: ['payload'], response: { status: 202, schema: messageOutSchema },
    handler: async ({ deps, tenantId, params, body }) => ({
      status: 202,
      body: await publishMessage(deps.db, deps.boss, tenantId, params.app, body, { payloadRetentionDays: deps.config.payloadRetentionDays }),
    }),
  }),
  defineRoute({
    method: 'get', path: '/api/v1/app/:app/msg', auth: 'tenant', tag, operationId: 'v1.message.list', summary: 'List messages, newest first',
    params: appPath, query: messageListQuerySchema, response: { status: 200, schema: listResponse(messageOutSchema) },
    handler: async ({ deps, tenantId, params, query }) => {
      const { event_types, channel, before, after, with_content, ...page } = query;
      return {
        status: 200,
        body: await listMessages(deps.db, tenantId, params.app, page, { eventTypes: event_types, channel, before, after, withContent: with_content }),
      };
    },
  }),
  defineRoute({
    method: 'get', path: '/api/v1/app/:app/msg/:msg', auth: 'tenant', tag, operationId: 'v1.message.get', summary: 'Get a message by id or eventId',
    params: messagePath, response: { status: 200, schema: messageOutSchema },
    handler: async ({ deps, tenantId, params }) => ({ status: 200, body: toMessageOut(await getMessage(deps.db, tenantId, params.app, params.msg)) }),
  }),
];
