import {
  createEndpoint, deleteEndpoint, endpointInSchema, endpointOutSchema, endpointSecretOutSchema, endpointUpdateSchema,
  getApplication, getEndpoint, getEndpointSecret, listEndpoints, listQuerySchema, listResponse, toEndpointOut, updateEndpoint,
} from '@hookline/core';
import { defineRoute } from '../http/route.ts';
import { appPath, endpointPath } from './paths.ts';

const tag = 'Endpoint';

export const endpointRoutes = [
  defineRoute({
    method: 'post', path: '/api/v1/app/:app/endpoint', auth: 'tenant', tag, operationId: 'v1.endpoint.create', summary: 'Create an endpoint',
    params: appPath, body: endpointInSchema, response: { status: 201, schema: endpointOutSchema },
    handler: async ({ deps, tenantId, params, body }) => {
      const app = await getApplication(deps.db, tenantId, params.app);
      return { status: 201, body: await createEndpoint(deps.db, tenantId, app.id, body, deps.allow) };
    },
  }),
  defineRoute({
    method: 'get', path: '/api/v1/app/:app/endpoint', auth: 'tenant', tag, operationId: 'v1.endpoint.list', summary: 'List endpoints',
    params: appPath, query: listQuerySchema, response: { status: 200, schema: listResponse(endpointOutSchema) },
    handler: async ({ deps, tenantId, params, query }) => {
      const app = await getApplication(deps.db, tenantId, params.app);
      return { status: 200, body: await listEndpoints(deps.db, tenantId, app.id, query) };
    },
  }),
  defineRoute({
    method: 'get', path: '/api/v1/app/:app/endpoint/:endpoint', auth: 'tenant', tag, operationId: 'v1.endpoint.get', summary: 'Get an endpoint',
    params: endpointPath, response: { status: 200, schema: endpointOutSchema },
    handler: async ({ deps, tenantId, params }) => {
      const app = await getApplication(deps.db, tenantId, params.app);
      return { status: 200, body: toEndpointOut(await getEndpoint(deps.db, tenantId, app.id, params.endpoint)) };
    },
  }),
  defineRoute({
    method: 'put', path: '/api/v1/app/:app/endpoint/:endpoint', auth: 'tenant', tag, operationId: 'v1.endpoint.update', summary: 'Update an endpoint',
    params: endpointPath, body: endpointUpdateSchema, response: { status: 200, schema: endpointOutSchema },
    handler: async ({ deps, tenantId, params, body }) => {
      const app = await getApplication(deps.db, tenantId, params.app);
      return { status: 200, body: await updateEndpoint(deps.db, tenantId, app.id, params.endpoint, body, deps.allow) };
    },
  }),
  defineRoute({
    method: 'delete', path: '/api/v1/app/:app/endpoint/:endpoint', auth: 'tenant', tag, operationId: 'v1.endpoint.delete', summary: 'Delete an endpoint',
    params: endpointPath, response: { status: 204 },
    handler: async ({ deps, tenantId, params }) => {
      const app = await getApplication(deps.db, tenantId, params.app);
      await deleteEndpoint(deps.db, tenantId, app.id, params.endpoint);
      return { status: 204 };
    },
  }),
  defineRoute({
    method: 'get', path: '/api/v1/app/:app/endpoint/:endpoint/secret', auth: 'tenant', tag, operationId: 'v1.endpoint.get-secret',
    summary: "Get the endpoint's signing secret", params: endpointPath, response: { status: 200, schema: endpointSecretOutSchema },
    handler: async ({ deps, tenantId, params }) => {
      const app = await getApplication(deps.db, tenantId, params.app);
      return { status: 200, body: await getEndpointSecret(deps.db, tenantId, app.id, params.endpoint) };
    },
  }),
];
