import {
  applicationCreateQuerySchema,
  applicationInSchema,
  applicationListItemSchema,
  applicationListQuerySchema,
  applicationOutSchema,
  applicationPatchSchema,
  createApplication,
  deleteApplication,
  getApplication,
  getOrCreateApplication,
  listApplications,
  listApplicationsWithStats,
  listResponse,
  patchApplication,
  toApplicationOut,
  upsertApplication,
} from '@hookline/core';
import { auditOf } from '../http/auditOf.ts';
import { defineRoute } from '../http/route.ts';
import { appPath } from './paths.ts';

const tag = 'Application';

export const applicationRoutes = [
  defineRoute({
    method: 'post',
    path: '/api/v1/app',
    auth: 'tenant',
    access: 'write',
    tag,
    operationId: 'v1.application.create',
    summary: 'Create an application',
    query: applicationCreateQuerySchema,
    body: applicationInSchema,
    response: { status: 201, schema: applicationOutSchema, description: 'Created (200 with the existing application when `get_if_exists=true` finds its uid)' },
    handler: async ({ deps, tenantId, actor, origin, query, body }) => {
      if (!query.get_if_exists) return { status: 201, body: await createApplication(deps.db, tenantId, body, auditOf({ tenantId, actor, origin })) };
      const { application, created } = await getOrCreateApplication(deps.db, tenantId, body, auditOf({ tenantId, actor, origin }));
      return { status: created ? 201 : 200, body: application };
    },
  }),
  defineRoute({
    method: 'get',
    path: '/api/v1/app',
    auth: 'tenant',
    access: 'read',
    tag,
    operationId: 'v1.application.list',
    summary: "List applications; `search` narrows to names and uids containing it, `include=stats` adds each one's endpoints and health (Hookline extensions)",
    query: applicationListQuerySchema,
    response: { status: 200, schema: listResponse(applicationListItemSchema) },
    handler: async ({ deps, tenantId, query }) => ({
      status: 200,
      body: query.include === 'stats' ? await listApplicationsWithStats(deps.db, tenantId, query) : await listApplications(deps.db, tenantId, query),
    }),
  }),
  defineRoute({
    method: 'get',
    path: '/api/v1/app/:app',
    auth: 'tenant',
    access: 'read',
    tag,
    operationId: 'v1.application.get',
    summary: 'Get an application by id or uid',
    params: appPath,
    response: { status: 200, schema: applicationOutSchema },
    handler: async ({ deps, tenantId, params }) => ({ status: 200, body: toApplicationOut(await getApplication(deps.db, tenantId, params.app)) }),
  }),
  defineRoute({
    method: 'put',
    path: '/api/v1/app/:app',
    auth: 'tenant',
    access: 'write',
    tag,
    operationId: 'v1.application.update',
    summary: 'Create or replace an application',
    params: appPath,
    body: applicationInSchema,
    response: { status: 200, schema: applicationOutSchema, description: 'Updated (201 when no application was at the path and one was created)' },
    handler: async ({ deps, tenantId, actor, origin, params, body }) => {
      const { application, created } = await upsertApplication(deps.db, tenantId, params.app, body, auditOf({ tenantId, actor, origin }));
      return { status: created ? 201 : 200, body: application };
    },
  }),
  defineRoute({
    method: 'patch',
    path: '/api/v1/app/:app',
    auth: 'tenant',
    access: 'write',
    tag,
    operationId: 'v1.application.patch',
    summary: 'Partially update an application',
    params: appPath,
    body: applicationPatchSchema,
    response: { status: 200, schema: applicationOutSchema },
    handler: async ({ deps, tenantId, actor, origin, params, body }) => ({
      status: 200,
      body: await patchApplication(deps.db, tenantId, params.app, body, auditOf({ tenantId, actor, origin })),
    }),
  }),
  defineRoute({
    method: 'delete',
    path: '/api/v1/app/:app',
    auth: 'tenant',
    access: 'write',
    tag,
    operationId: 'v1.application.delete',
    summary: 'Delete an application',
    params: appPath,
    response: { status: 204 },
    handler: async ({ deps, tenantId, actor, origin, params }) => {
      await deleteApplication(deps.db, tenantId, params.app, auditOf({ tenantId, actor, origin }));
      return { status: 204 };
    },
  }),
];
