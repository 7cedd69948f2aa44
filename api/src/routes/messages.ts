import { getMessage, listMessages, publishMessage, toMessageOut } from '@hookline/core';
import type { RouteDefinition } from '../http/route.ts';
import { parseInput } from '../http/validate.ts';
import { idOrUidSchema } from '../schemas/common.ts';
import { messageInSchema, messageListQuerySchema } from '../schemas/messages.ts';
import { appPath } from './applications.ts';

export const messagePath = appPath.extend({ msg: idOrUidSchema });

export const messageRoutes: RouteDefinition[] = [
  {
    method: 'post', path: '/api/v1/app/:app/msg', auth: 'tenant',
    handler: async ({ req, deps, tenantId }) => {
      const { app } = parseInput(appPath, req.params, 'path');
      // The payload is stored as JSON text, so (unlike other fields) it may carry U+0000.
      const input = parseInput(messageInSchema, req.body, 'body', { opaque: ['payload'] });
      const msg = await publishMessage(deps.db, deps.boss, tenantId, app, input, { payloadRetentionDays: deps.config.payloadRetentionDays });
      return { status: 202, body: msg };
    },
  },
  {
    method: 'get', path: '/api/v1/app/:app/msg', auth: 'tenant',
    handler: async ({ req, deps, tenantId }) => {
      const { app } = parseInput(appPath, req.params, 'path');
      const { event_types, channel, before, after, with_content, ...page } = parseInput(messageListQuerySchema, req.query, 'query');
      return {
        status: 200,
        body: await listMessages(deps.db, tenantId, app, page, { eventTypes: event_types, channel, before, after, withContent: with_content }),
      };
    },
  },
  {
    method: 'get', path: '/api/v1/app/:app/msg/:msg', auth: 'tenant',
    handler: async ({ req, deps, tenantId }) => {
      const { app, msg } = parseInput(messagePath, req.params, 'path');
      return { status: 200, body: toMessageOut(await getMessage(deps.db, tenantId, app, msg)) };
    },
  },
];
