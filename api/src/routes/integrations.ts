import {
  createIntegration,
  deleteIntegration,
  getApplication,
  getIntegration,
  getIntegrationKey,
  integrationIdSchema,
  integrationInSchema,
  integrationKeyOutSchema,
  integrationOutSchema,
  integrationUpdateSchema,
  listIntegrations,
  listQuerySchema,
  listResponse,
  rotateIntegrationKey,
  updateIntegration,
} from '@hookline/core';
import { auditOf } from '../http/auditOf.ts';
import { defineRoute } from '../http/route.ts';
import { appPath } from './paths.ts';

// Svix's integrations of an application. The vendor's, not its customers': no portal token reaches them.
const common = { auth: 'tenant', portal: null, tag: 'Integration' } as const;
const integrationPath = appPath.extend({ integ_id: integrationIdSchema });

export const integrationRoutes = [
  defineRoute({
    ...common,
    method: 'get',
    path: '/api/v1/app/:app/integration',
    access: 'read',
    operationId: 'v1.integration.list',
    summary: "List the application's integrations",
    params: appPath,
    query: listQuerySchema,
    response: { status: 200, schema: listResponse(integrationOutSchema) },
    handler: async ({ deps, tenantId, params, query }) => {
      const app = await getApplication(deps.db, tenantId, params.app);
      return { status: 200, body: await listIntegrations(deps.db, tenantId, app.id, query) };
    },
  }),
  defineRoute({
    ...common,
    method: 'post',
    path: '/api/v1/app/:app/integration',
    access: 'write',
    operationId: 'v1.integration.create',
    summary: 'Create an integration, with a new key',
    params: appPath,
    body: integrationInSchema,
    response: { status: 201, schema: integrationOutSchema },
    handler: async (ctx) => {
      const app = await getApplication(ctx.deps.db, ctx.tenantId, ctx.params.app);
      return { status: 201, body: await createIntegration(ctx.deps.db, ctx.tenantId, app.id, ctx.body, ctx.deps.secretBox, auditOf(ctx)) };
    },
  }),
  defineRoute({
    ...common,
    method: 'get',
    path: '/api/v1/app/:app/integration/:integ_id',
    access: 'read',
    operationId: 'v1.integration.get',
    summary: 'Get an integration',
    params: integrationPath,
    response: { status: 200, schema: integrationOutSchema },
    handler: async ({ deps, tenantId, params }) => {
      const app = await getApplication(deps.db, tenantId, params.app);
      return { status: 200, body: await getIntegration(deps.db, tenantId, app.id, params.integ_id) };
    },
  }),
  defineRoute({
    ...common,
    method: 'put',
    path: '/api/v1/app/:app/integration/:integ_id',
    access: 'write',
    operationId: 'v1.integration.update',
    summary: "Replace an integration's name and feature flags (its key stays)",
    params: integrationPath,
    body: integrationUpdateSchema,
    response: { status: 200, schema: integrationOutSchema },
    handler: async (ctx) => {
      const app = await getApplication(ctx.deps.db, ctx.tenantId, ctx.params.app);
      return { status: 200, body: await updateIntegration(ctx.deps.db, ctx.tenantId, app.id, ctx.params.integ_id, ctx.body, auditOf(ctx)) };
    },
  }),
  defineRoute({
    ...common,
    method: 'delete',
    path: '/api/v1/app/:app/integration/:integ_id',
    access: 'write',
    operationId: 'v1.integration.delete',
    summary: 'Delete an integration and its key',
    params: integrationPath,
    response: { status: 204 },
    handler: async (ctx) => {
      const app = await getApplication(ctx.deps.db, ctx.tenantId, ctx.params.app);
      await deleteIntegration(ctx.deps.db, ctx.tenantId, app.id, ctx.params.integ_id, auditOf(ctx));
      return { status: 204 };
    },
  }),
  defineRoute({
    ...common,
    method: 'get',
    path: '/api/v1/app/:app/integration/:integ_id/key',
    access: 'secret',
    operationId: 'v1.integration.get-key',
    summary: "Get the integration's key (the read is audited)",
    params: integrationPath,
    response: { status: 200, schema: integrationKeyOutSchema },
    handler: async (ctx) => {
      const app = await getApplication(ctx.deps.db, ctx.tenantId, ctx.params.app);
      return { status: 200, body: await getIntegrationKey(ctx.deps.db, ctx.tenantId, app.id, ctx.params.integ_id, ctx.deps.secretBox, auditOf(ctx)) };
    },
  }),
  defineRoute({
    ...common,
    method: 'post',
    path: '/api/v1/app/:app/integration/:integ_id/key/rotate',
    access: 'write',
    operationId: 'v1.integration.rotate-key',
    summary: "Replace the integration's key; the previous one is revoked at once",
    params: integrationPath,
    // A repeat of the idempotency-key rotates again rather than storing the key with the response.
    replay: { kind: 'reissue' },
    response: { status: 200, schema: integrationKeyOutSchema },
    handler: async (ctx) => {
      const app = await getApplication(ctx.deps.db, ctx.tenantId, ctx.params.app);
      return { status: 200, body: await rotateIntegrationKey(ctx.deps.db, ctx.tenantId, app.id, ctx.params.integ_id, ctx.deps.secretBox, auditOf(ctx)) };
    },
  }),
];
