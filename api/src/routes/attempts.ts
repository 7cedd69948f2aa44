import { attemptListQuerySchema, listAttemptsByEndpoint, listAttemptsByMessage, listResponse, messageAttemptOutSchema } from '@hookline/core';
import { defineRoute } from '../http/route.ts';
import { endpointPath, messagePath } from './paths.ts';

const tag = 'Message Attempt';

export const attemptRoutes = [
  defineRoute({
    method: 'get', path: '/api/v1/app/:app/attempt/msg/:msg', auth: 'tenant', tag, operationId: 'v1.message-attempt.list-by-msg',
    summary: 'List the attempts of a message', params: messagePath, query: attemptListQuerySchema,
    response: { status: 200, schema: listResponse(messageAttemptOutSchema) },
    handler: async ({ deps, tenantId, params, query }) => {
      const { status, ...page } = query;
      return { status: 200, body: await listAttemptsByMessage(deps.db, tenantId, params.app, params.msg, page, { status }) };
    },
  }),
  defineRoute({
    method: 'get', path: '/api/v1/app/:app/attempt/endpoint/:endpoint', auth: 'tenant', tag, operationId: 'v1.message-attempt.list-by-endpoint',
    summary: 'List the attempts made to an endpoint', params: endpointPath, query: attemptListQuerySchema,
    response: { status: 200, schema: listResponse(messageAttemptOutSchema) },
    handler: async ({ deps, tenantId, params, query }) => {
      const { status, ...page } = query;
      return { status: 200, body: await listAttemptsByEndpoint(deps.db, tenantId, params.app, params.endpoint, page, { status }) };
    },
  }),
];
