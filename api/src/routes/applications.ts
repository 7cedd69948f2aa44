import { z } from 'zod';
import { createApplication, deleteApplication, getApplication, listApplications, toApplicationOut } from '@hookline/core';
import type { RouteDefinition } from '../http/route.ts';
import { parseInput } from '../http/validate.ts';
import { applicationInSchema } from '../schemas/applications.ts';
import { idOrUidSchema, listQuerySchema } from '../schemas/common.ts';

export const appPath = z.object({ app: idOrUidSchema });

export const applicationRoutes: RouteDefinition[] = [
  {
    method: 'post', path: '/api/v1/app', auth: 'tenant',
    handler: async ({ req, deps, tenantId }) => ({
      status: 201, body: await createApplication(deps.db, tenantId, parseInput(applicationInSchema, req.body, 'body')),
    }),
  },
  {
    method: 'get', path: '/api/v1/app', auth: 'tenant',
    handler: async ({ req, deps, tenantId }) => ({
      status: 200, body: await listApplications(deps.db, tenantId, parseInput(listQuerySchema, req.query, 'query')),
    }),
  },
  {
    method: 'get', path: '/api/v1/app/:app', auth: 'tenant',
    handler: async ({ req, deps, tenantId }) => {
      const { app } = parseInput(appPath, req.params, 'path');
      return { status: 200, body: toApplicationOut(await getApplication(deps.db, tenantId, app)) };
    },
  },
  {
    method: 'delete', path: '/api/v1/app/:app', auth: 'tenant',
    handler: async ({ req, deps, tenantId }) => {
      const { app } = parseInput(appPath, req.params, 'path');
      await deleteApplication(deps.db, tenantId, app);
      return { status: 204 };
    },
  },
];
