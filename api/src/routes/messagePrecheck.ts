import { messagePrecheckInSchema, messagePrecheckOutSchema, precheckMessage } from '@hookline/core';
import { defineRoute } from '../http/route.ts';
import { appPath } from './paths.ts';

export const messagePrecheckRoutes = [
  defineRoute({
    method: 'post',
    path: '/api/v1/app/:app/msg/precheck/active',
    auth: 'tenant',
    access: 'read',
    // A question, not a change: a portal session that may see the application may ask it.
    portal: 'ViewBase',
    tag: 'Message',
    operationId: 'v1.message.precheck',
    summary: 'Whether any enabled endpoint would receive a message of this event type and channels',
    params: appPath,
    body: messagePrecheckInSchema,
    response: { status: 200, schema: messagePrecheckOutSchema },
    handler: async ({ deps, tenantId, params, body }) => ({ status: 200, body: await precheckMessage(deps.db, tenantId, params.app, body) }),
  }),
];
