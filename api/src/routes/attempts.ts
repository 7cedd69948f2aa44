import { listAttemptsByEndpoint, listAttemptsByMessage } from '@hookline/core';
import type { RouteDefinition } from '../http/route.ts';
import { parseInput } from '../http/validate.ts';
import { idOrUidSchema } from '../schemas/common.ts';
import { attemptListQuerySchema } from '../schemas/messages.ts';
import { appPath } from './applications.ts';
import { messagePath } from './messages.ts';

const endpointPath = appPath.extend({ endpoint: idOrUidSchema });

export const attemptRoutes: RouteDefinition[] = [
  {
    method: 'get', path: '/api/v1/app/:app/attempt/msg/:msg', auth: 'tenant',
    handler: async ({ req, deps, tenantId }) => {
      const { app, msg } = parseInput(messagePath, req.params, 'path');
      const { status, ...page } = parseInput(attemptListQuerySchema, req.query, 'query');
      return { status: 200, body: await listAttemptsByMessage(deps.db, tenantId, app, msg, page, { status }) };
    },
  },
  {
    method: 'get', path: '/api/v1/app/:app/attempt/endpoint/:endpoint', auth: 'tenant',
    handler: async ({ req, deps, tenantId }) => {
      const { app, endpoint } = parseInput(endpointPath, req.params, 'path');
      const { status, ...page } = parseInput(attemptListQuerySchema, req.query, 'query');
      return { status: 200, body: await listAttemptsByEndpoint(deps.db, tenantId, app, endpoint, page, { status }) };
    },
  },
];
