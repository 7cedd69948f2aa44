import {
  applicationInSchema, applicationOutSchema, createApplication, deleteApplication, getApplication, listApplications,
  listQuerySchema, listResponse, toApplicationOut,
} from '@hookline/core';
import { defineRoute } from '../http/route.ts';
import { appPath } from './paths.ts';

const tag = 'Application';

export const applicationRoutes = [
  defineRoute({
    method: 'post', path: '/api/v1/app', auth: 'tenant', tag, operationId: 'v1.application.create', summary: 'Create an application',
    body: applicationInSchema, response: { status: 201, schema: applicationOutSchema },
    handler: async ({ deps, tenantId, body }) => ({ status: 201, body: await createApplication(deps.db, tenantId, body) }),
  }),
  defineRoute({
    method: 'get', path: '/api/v1/app', auth: 'tenant', tag, operationId: 'v1.application.list', summary: 'List applications',
    query: listQuerySchema, response: { status: 200, schema: listResponse(applicationOutSchema) },
    handler: async ({ deps, tenantId, query }) => ({ status: 200, body: await listApplications(deps.db, tenantId, query) }),
  }),
  defineRoute({
    method: 'get', path: '/api/v1/app/:app', auth: 'tenant', tag, operationId: 'v1.application.get', summary: 'Get an application by id or uid',
    params: appPath, response: { status: 200, schema: applicationOutSchema },
    handler: async ({ deps, tenantId, params }) => ({ status: 200, body: toApplicationOut(await getApplication(deps.db, tenantId, params.app)) }),
  }),
  defineRoute({
    method: 'delete', path: '/api/v1/app/:app', auth: 'tenant', tag, operationId: 'v1.application.delete', summary: 'Delete an application',
    params: appPath, response: { status: 204 },
    handler: async ({ deps, tenantId, params }) => {
      await deleteApplication(deps.db, tenantId, params.app);
      return { status: 204 };
    },
  }),
];
