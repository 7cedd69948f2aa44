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
} from '@hookline/core';
import { auditOf } from '../http/auditOf.ts';
import { defineRoute } from '../http/route.ts';
import { endpointActionRoutes } from './endpointActions.ts';
import { endpointHeaderRoutes } from './endpointHeaders.ts';
import { endpointSecretRoutes } from './endpointSecrets.ts';
import { operationalEmitter } from './operationalWebhooks.ts';
import { appPath, endpointPath } from './paths.ts';

const tag = 'Endpoint';

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
      const audit = auditOf({ tenantId, actor, origin });
      return {
        status: 201,
        body: await createEndpoint(deps.db, tenantId, app.id, body, deps.allow, operationalEmitter(deps), deps.secretBox, deps.config, audit, portal?.featureFlags),
      };
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
      const { created, endpoint } = await upsertEndpoint(
        deps.db,
        tenantId,
        app.id,
        params.endpoint,
        body,
        deps.allow,
        operationalEmitter(deps),
        deps.secretBox,
        deps.config,
        auditOf({ tenantId, actor, origin }),
        portal?.featureFlags,
      );
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
      const audit = auditOf({ tenantId, actor, origin });
      return {
        status: 200,
        body: await patchEndpoint(
          deps.db,
          tenantId,
          app.id,
          params.endpoint,
          body,
          deps.allow,
          operationalEmitter(deps),
          deps.config,
          audit,
          portal?.featureFlags,
          deps.secretBox,
        ),
      };
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
