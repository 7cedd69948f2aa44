import {
  createEndpoint,
  deleteEndpoint,
  endpointInSchema,
  endpointOutSchema,
  endpointPatchSchema,
  endpointUpdateSchema,
  getApplication,
  getEndpoint,
  listEndpoints,
  listQueryOf,
  listResponse,
  patchEndpoint,
  toEndpointOut,
  upsertEndpoint,
  type EndpointWriter,
} from '@hookline/core';
import { auditOf } from '../http/auditOf.ts';
import { defineRoute, type ApiDeps } from '../http/route.ts';
import { endpointActionRoutes } from './endpointActions.ts';
import { endpointHeaderRoutes } from './endpointHeaders.ts';
import { endpointSecretRoutes } from './endpointSecrets.ts';
import { operationalEmitter } from './operationalWebhooks.ts';
import { appPath, endpointPath } from './paths.ts';

const tag = 'Endpoint';

/** The installation's side of an endpoint write, from the api's dependencies. */
const endpointWriter = (deps: ApiDeps): EndpointWriter => ({
  db: deps.db,
  allow: deps.allow,
  events: operationalEmitter(deps),
  box: deps.secretBox,
  limits: deps.config,
});

const endpointCrudRoutes = [
  defineRoute({
    method: 'post',
    path: '/api/v1/app/:app/endpoint',
    auth: 'tenant',
    access: 'write',
    tag,
    operationId: 'v1.endpoint.create',
    summary: 'Create an endpoint',
    params: appPath,
    body: endpointInSchema,
    response: { status: 201, schema: endpointOutSchema },
    handler: async ({ deps, tenantId, actor, origin, params, body, portal }) => {
      const app = await getApplication(deps.db, tenantId, params.app);
      const at = { tenantId, appId: app.id, audit: auditOf({ tenantId, actor, origin }), flags: portal?.featureFlags };
      return { status: 201, body: await createEndpoint(endpointWriter(deps), at, body) };
    },
  }),
  defineRoute({
    method: 'get',
    path: '/api/v1/app/:app/endpoint',
    auth: 'tenant',
    access: 'read',
    tag,
    operationId: 'v1.endpoint.list',
    summary: 'List endpoints',
    params: appPath,
    query: listQueryOf('ep'),
    response: { status: 200, schema: listResponse(endpointOutSchema) },
    handler: async ({ deps, tenantId, params, query }) => {
      const app = await getApplication(deps.db, tenantId, params.app);
      return { status: 200, body: await listEndpoints(deps.db, tenantId, app.id, query) };
    },
  }),
  defineRoute({
    method: 'get',
    path: '/api/v1/app/:app/endpoint/:endpoint',
    auth: 'tenant',
    access: 'read',
    tag,
    operationId: 'v1.endpoint.get',
    summary: 'Get an endpoint',
    params: endpointPath,
    response: { status: 200, schema: endpointOutSchema },
    handler: async ({ deps, tenantId, params }) => {
      const app = await getApplication(deps.db, tenantId, params.app);
      return { status: 200, body: toEndpointOut(await getEndpoint(deps.db, tenantId, app.id, params.endpoint)) };
    },
  }),
  defineRoute({
    method: 'put',
    path: '/api/v1/app/:app/endpoint/:endpoint',
    auth: 'tenant',
    access: 'write',
    tag,
    operationId: 'v1.endpoint.update',
    summary: 'Update an endpoint, or create it (201) when there is none with this id or uid',
    params: endpointPath,
    body: endpointUpdateSchema,
    response: { status: 200, schema: endpointOutSchema, description: 'Updated (201 with the same body when created)' },
    handler: async ({ deps, tenantId, actor, origin, params, body, portal }) => {
      const app = await getApplication(deps.db, tenantId, params.app);
      const at = { tenantId, appId: app.id, audit: auditOf({ tenantId, actor, origin }), flags: portal?.featureFlags };
      const { created, endpoint } = await upsertEndpoint(endpointWriter(deps), at, params.endpoint, body);
      return { status: created ? 201 : 200, body: endpoint };
    },
  }),
  defineRoute({
    method: 'patch',
    path: '/api/v1/app/:app/endpoint/:endpoint',
    auth: 'tenant',
    access: 'write',
    tag,
    operationId: 'v1.endpoint.patch',
    summary: 'Change some fields of an endpoint (null clears a nullable one)',
    params: endpointPath,
    body: endpointPatchSchema,
    response: { status: 200, schema: endpointOutSchema },
    handler: async ({ deps, tenantId, actor, origin, params, body, portal }) => {
      const app = await getApplication(deps.db, tenantId, params.app);
      const at = { tenantId, appId: app.id, audit: auditOf({ tenantId, actor, origin }), flags: portal?.featureFlags };
      return { status: 200, body: await patchEndpoint(endpointWriter(deps), at, params.endpoint, body) };
    },
  }),
  defineRoute({
    method: 'delete',
    path: '/api/v1/app/:app/endpoint/:endpoint',
    auth: 'tenant',
    access: 'write',
    tag,
    operationId: 'v1.endpoint.delete',
    summary: 'Delete an endpoint',
    params: endpointPath,
    response: { status: 204 },
    handler: async ({ deps, tenantId, actor, origin, params }) => {
      const app = await getApplication(deps.db, tenantId, params.app);
      await deleteEndpoint(deps.db, tenantId, app.id, params.endpoint, operationalEmitter(deps), auditOf({ tenantId, actor, origin }));
      return { status: 204 };
    },
  }),
];

/** Every endpoint route: settings here, secret, headers and actions in their own files. */
export const endpointRoutes = [...endpointCrudRoutes, ...endpointSecretRoutes, ...endpointHeaderRoutes, ...endpointActionRoutes];
