import {
  endpointHeadersInSchema,
  endpointHeadersOutSchema,
  endpointHeadersPatchInSchema,
  getApplication,
  getEndpointHeaders,
  hasCapability,
  patchEndpointHeaders,
  replaceEndpointHeaders,
} from '@hookline/core';
import { auditOf } from '../http/auditOf.ts';
import { defineRoute } from '../http/route.ts';
import { endpointPath } from './paths.ts';

const tag = 'Endpoint';
const path = '/api/v1/app/:app/endpoint/:endpoint/headers';

export const endpointHeaderRoutes = [
  defineRoute({
    method: 'get',
    path,
    auth: 'tenant',
    access: 'secret',
    tag,
    operationId: 'v1.endpoint.get-headers',
    summary: 'Get the custom headers sent with each attempt (credential headers, and every header to a read-only portal session, are named in `sensitive`, not shown)',
    params: endpointPath,
    response: { status: 200, schema: endpointHeadersOutSchema },
    handler: async ({ deps, tenantId, actor, origin, params, portal }) => {
      const app = await getApplication(deps.db, tenantId, params.app);
      const showValues = !portal || hasCapability(portal.capabilities, 'ManageEndpoint');
      return {
        status: 200,
        body: await getEndpointHeaders(deps.db, tenantId, app.id, params.endpoint, deps.secretBox, auditOf({ tenantId, actor, origin }), { showValues }),
      };
    },
  }),
  defineRoute({
    method: 'put',
    path,
    auth: 'tenant',
    access: 'write',
    tag,
    operationId: 'v1.endpoint.update-headers',
    summary: 'Replace the custom headers',
    params: endpointPath,
    body: endpointHeadersInSchema,
    response: { status: 204 },
    handler: async ({ deps, tenantId, actor, origin, params, body }) => {
      const app = await getApplication(deps.db, tenantId, params.app);
      await replaceEndpointHeaders(deps.db, tenantId, app.id, params.endpoint, body, deps.secretBox, auditOf({ tenantId, actor, origin }));
      return { status: 204 };
    },
  }),
  defineRoute({
    method: 'patch',
    path,
    auth: 'tenant',
    access: 'write',
    tag,
    operationId: 'v1.endpoint.patch-headers',
    summary: 'Set some custom headers; null or deleteHeaders removes one',
    params: endpointPath,
    body: endpointHeadersPatchInSchema,
    response: { status: 204 },
    handler: async ({ deps, tenantId, actor, origin, params, body }) => {
      const app = await getApplication(deps.db, tenantId, params.app);
      await patchEndpointHeaders(deps.db, tenantId, app.id, params.endpoint, body, deps.secretBox, auditOf({ tenantId, actor, origin }));
      return { status: 204 };
    },
  }),
];
