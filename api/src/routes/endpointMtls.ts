import { deleteEndpointMtls, endpointMtlsConfigInSchema, endpointMtlsConfigOutSchema, getApplication, getEndpointMtls, putEndpointMtls } from '@hookline/core';
import { auditOf } from '../http/auditOf.ts';
import { defineRoute } from '../http/route.ts';
import { endpointPath } from './paths.ts';

const tag = 'Endpoint';
const path = '/api/v1/app/:app/endpoint/:endpoint/mtls';

export const endpointMtlsRoutes = [
  defineRoute({
    method: 'get',
    path,
    auth: 'tenant',
    access: 'read',
    tag,
    operationId: 'v1.endpoint.get-mtls-config',
    summary: "Get the endpoint's mutual TLS settings: the CA bundle and what the client certificate is (never its key); 404 when it has none",
    params: endpointPath,
    response: { status: 200, schema: endpointMtlsConfigOutSchema },
    handler: async ({ deps, tenantId, params }) => {
      const app = await getApplication(deps.db, tenantId, params.app);
      return { status: 200, body: await getEndpointMtls(deps.db, tenantId, app.id, params.endpoint) };
    },
  }),
  defineRoute({
    method: 'put',
    path,
    auth: 'tenant',
    access: 'write',
    tag,
    operationId: 'v1.endpoint.update-mtls-config',
    summary: 'Set the client certificate and key (PEM `identity`) and/or the CA bundle for the server certificate (`serverCaCert`), replacing any',
    params: endpointPath,
    body: endpointMtlsConfigInSchema,
    response: { status: 204 },
    handler: async ({ deps, tenantId, actor, origin, params, body }) => {
      const app = await getApplication(deps.db, tenantId, params.app);
      await putEndpointMtls(deps.db, tenantId, app.id, params.endpoint, body, deps.secretBox, auditOf({ tenantId, actor, origin }));
      return { status: 204 };
    },
  }),
  defineRoute({
    method: 'delete',
    path,
    auth: 'tenant',
    access: 'write',
    tag,
    operationId: 'v1.endpoint.delete-mtls-config',
    summary: 'Remove the mutual TLS settings: deliveries use no client certificate and the system CAs again',
    params: endpointPath,
    response: { status: 204 },
    handler: async ({ deps, tenantId, actor, origin, params }) => {
      const app = await getApplication(deps.db, tenantId, params.app);
      await deleteEndpointMtls(deps.db, tenantId, app.id, params.endpoint, auditOf({ tenantId, actor, origin }));
      return { status: 204 };
    },
  }),
];
