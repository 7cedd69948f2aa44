import { createEndpoint, deleteEndpoint, getApplication, getEndpoint, getEndpointSecret, listEndpoints, toEndpointOut, updateEndpoint } from '@hookline/core';
import type { HandlerContext, RouteDefinition } from '../http/route.ts';
import { parseInput } from '../http/validate.ts';
import { idOrUidSchema, listQuerySchema } from '../schemas/common.ts';
import { endpointInSchema, endpointUpdateSchema } from '../schemas/endpoints.ts';
import { appPath } from './applications.ts';

const endpointPath = appPath.extend({ endpoint: idOrUidSchema });

/** Resolves the path's application (404 if it is not the tenant's) and endpoint reference. */
async function resolve({ req, deps, tenantId }: HandlerContext): Promise<{ appId: string; endpoint: string }> {
  const { app, endpoint } = parseInput(endpointPath, req.params, 'path');
  return { appId: (await getApplication(deps.db, tenantId, app)).id, endpoint };
}

export const endpointRoutes: RouteDefinition[] = [
  {
    method: 'post', path: '/api/v1/app/:app/endpoint', auth: 'tenant',
    handler: async ({ req, deps, tenantId }) => {
      const { app } = parseInput(appPath, req.params, 'path');
      const appRow = await getApplication(deps.db, tenantId, app);
      const input = parseInput(endpointInSchema, req.body, 'body');
      return { status: 201, body: await createEndpoint(deps.db, tenantId, appRow.id, input, deps.allow) };
    },
  },
  {
    method: 'get', path: '/api/v1/app/:app/endpoint', auth: 'tenant',
    handler: async ({ req, deps, tenantId }) => {
      const { app } = parseInput(appPath, req.params, 'path');
      const appRow = await getApplication(deps.db, tenantId, app);
      return { status: 200, body: await listEndpoints(deps.db, tenantId, appRow.id, parseInput(listQuerySchema, req.query, 'query')) };
    },
  },
  {
    method: 'get', path: '/api/v1/app/:app/endpoint/:endpoint', auth: 'tenant',
    handler: async (ctx) => {
      const { appId, endpoint } = await resolve(ctx);
      return { status: 200, body: toEndpointOut(await getEndpoint(ctx.deps.db, ctx.tenantId, appId, endpoint)) };
    },
  },
  {
    method: 'put', path: '/api/v1/app/:app/endpoint/:endpoint', auth: 'tenant',
    handler: async (ctx) => {
      const { appId, endpoint } = await resolve(ctx);
      const input = parseInput(endpointUpdateSchema, ctx.req.body, 'body');
      return { status: 200, body: await updateEndpoint(ctx.deps.db, ctx.tenantId, appId, endpoint, input, ctx.deps.allow) };
    },
  },
  {
    method: 'delete', path: '/api/v1/app/:app/endpoint/:endpoint', auth: 'tenant',
    handler: async (ctx) => {
      const { appId, endpoint } = await resolve(ctx);
      await deleteEndpoint(ctx.deps.db, ctx.tenantId, appId, endpoint);
      return { status: 204 };
    },
  },
  {
    method: 'get', path: '/api/v1/app/:app/endpoint/:endpoint/secret', auth: 'tenant',
    handler: async (ctx) => {
      const { appId, endpoint } = await resolve(ctx);
      return { status: 200, body: await getEndpointSecret(ctx.deps.db, ctx.tenantId, appId, endpoint) };
    },
  },
];
