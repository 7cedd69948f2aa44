import {
  deleteEndpointBasicAuth,
  deleteEndpointOauth,
  endpointBasicAuthInSchema,
  endpointBasicAuthOutSchema,
  endpointOauthConfigInSchema,
  endpointOauthConfigOutSchema,
  getApplication,
  getEndpointBasicAuth,
  getEndpointOauth,
  putEndpointBasicAuth,
  putEndpointOauth,
} from '@hookline/core';
import { auditOf } from '../http/auditOf.ts';
import { defineRoute } from '../http/route.ts';
import { endpointPath } from './paths.ts';

const tag = 'Endpoint';
const oauthPath = '/api/v1/app/:app/endpoint/:endpoint/oauth';
const basicAuthPath = '/api/v1/app/:app/endpoint/:endpoint/basic-auth';

// Svix's …/oauth routes, and Hookline's own …/basic-auth: neither ever answers with a secret.
export const endpointAuthRoutes = [
  defineRoute({
    method: 'get',
    path: oauthPath,
    auth: 'tenant',
    access: 'read',
    tag,
    operationId: 'v1.endpoint.get-oauth',
    summary: "Get the endpoint's OAuth 2.0 client (without its secret); 404 when it has none",
    params: endpointPath,
    response: { status: 200, schema: endpointOauthConfigOutSchema },
    handler: async ({ deps, tenantId, params }) => {
      const app = await getApplication(deps.db, tenantId, params.app);
      return { status: 200, body: await getEndpointOauth(deps.db, tenantId, app.id, params.endpoint) };
    },
  }),
  defineRoute({
    method: 'put',
    path: oauthPath,
    auth: 'tenant',
    access: 'write',
    tag,
    operationId: 'v1.endpoint.update-oauth',
    summary: 'Set the OAuth 2.0 client whose bearer token every attempt carries (client credentials grant)',
    params: endpointPath,
    body: endpointOauthConfigInSchema,
    response: { status: 204 },
    handler: async ({ deps, tenantId, actor, origin, params, body }) => {
      const app = await getApplication(deps.db, tenantId, params.app);
      await putEndpointOauth(deps.db, tenantId, app.id, params.endpoint, body, deps.secretBox, deps.allow, auditOf({ tenantId, actor, origin }));
      return { status: 204 };
    },
  }),
  defineRoute({
    method: 'delete',
    path: oauthPath,
    auth: 'tenant',
    access: 'write',
    tag,
    operationId: 'v1.endpoint.delete-oauth',
    summary: "Remove the endpoint's OAuth 2.0 client",
    params: endpointPath,
    response: { status: 204 },
    handler: async ({ deps, tenantId, actor, origin, params }) => {
      const app = await getApplication(deps.db, tenantId, params.app);
      await deleteEndpointOauth(deps.db, tenantId, app.id, params.endpoint, auditOf({ tenantId, actor, origin }));
      return { status: 204 };
    },
  }),
  defineRoute({
    method: 'get',
    path: basicAuthPath,
    auth: 'tenant',
    access: 'read',
    tag,
    operationId: 'v1.endpoint.get-basic-auth',
    summary: "Hookline extension: the endpoint's HTTP basic-auth username (never the password); 404 when it has none",
    params: endpointPath,
    response: { status: 200, schema: endpointBasicAuthOutSchema },
    handler: async ({ deps, tenantId, params }) => {
      const app = await getApplication(deps.db, tenantId, params.app);
      return { status: 200, body: await getEndpointBasicAuth(deps.db, tenantId, app.id, params.endpoint) };
    },
  }),
  defineRoute({
    method: 'put',
    path: basicAuthPath,
    auth: 'tenant',
    access: 'write',
    tag,
    operationId: 'v1.endpoint.update-basic-auth',
    summary: 'Hookline extension: set the HTTP basic-auth credentials every attempt carries',
    params: endpointPath,
    body: endpointBasicAuthInSchema,
    response: { status: 204 },
    handler: async ({ deps, tenantId, actor, origin, params, body }) => {
      const app = await getApplication(deps.db, tenantId, params.app);
      await putEndpointBasicAuth(deps.db, tenantId, app.id, params.endpoint, body, deps.secretBox, auditOf({ tenantId, actor, origin }));
      return { status: 204 };
    },
  }),
  defineRoute({
    method: 'delete',
    path: basicAuthPath,
    auth: 'tenant',
    access: 'write',
    tag,
    operationId: 'v1.endpoint.delete-basic-auth',
    summary: "Hookline extension: remove the endpoint's HTTP basic-auth credentials",
    params: endpointPath,
    response: { status: 204 },
    handler: async ({ deps, tenantId, actor, origin, params }) => {
      const app = await getApplication(deps.db, tenantId, params.app);
      await deleteEndpointBasicAuth(deps.db, tenantId, app.id, params.endpoint, auditOf({ tenantId, actor, origin }));
      return { status: 204 };
    },
  }),
];
