import { endpointSecretOutSchema, endpointSecretRotateInSchema, getApplication, getEndpointSecret, rotateEndpointSecret } from '@hookline/core';
import { auditOf } from '../http/auditOf.ts';
import { defineRoute } from '../http/route.ts';
import { operationalEmitter } from './operationalWebhooks.ts';
import { endpointPath } from './paths.ts';

const tag = 'Endpoint';

export const endpointSecretRoutes = [
  defineRoute({
    method: 'get',
    path: '/api/v1/app/:app/endpoint/:endpoint/secret',
    auth: 'tenant',
    access: 'secret',
    tag,
    operationId: 'v1.endpoint.get-secret',
    summary: "Get the endpoint's signing secret",
    params: endpointPath,
    response: { status: 200, schema: endpointSecretOutSchema },
    handler: async ({ deps, tenantId, actor, origin, params }) => {
      const app = await getApplication(deps.db, tenantId, params.app);
      return { status: 200, body: await getEndpointSecret(deps.db, tenantId, app.id, params.endpoint, deps.secretBox, auditOf({ tenantId, actor, origin })) };
    },
  }),
  defineRoute({
    method: 'post',
    path: '/api/v1/app/:app/endpoint/:endpoint/secret/rotate',
    auth: 'tenant',
    access: 'write',
    tag,
    operationId: 'v1.endpoint.rotate-secret',
    summary: "Rotate the endpoint's signing secret; the previous one keeps signing for gracePeriodSeconds (default 24 h)",
    params: endpointPath,
    body: endpointSecretRotateInSchema,
    bodyOptional: true,
    response: { status: 204 },
    handler: async ({ deps, tenantId, actor, origin, params, body }) => {
      const app = await getApplication(deps.db, tenantId, params.app);
      await rotateEndpointSecret(deps.db, tenantId, app.id, params.endpoint, body, deps.secretBox, operationalEmitter(deps), auditOf({ tenantId, actor, origin }));
      return { status: 204 };
    },
  }),
];
