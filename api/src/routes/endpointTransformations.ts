import {
  endpointTransformationOutSchema,
  endpointTransformationPatchSchema,
  endpointTransformationSimulateInSchema,
  endpointTransformationSimulateOutSchema,
  getApplication,
  getEndpointTransformation,
  listTransformationTemplatesOutSchema,
  patchEndpointTransformation,
  simulateTransformation,
  TRANSFORMATION_TEMPLATES,
} from '@hookline/core';
import { auditOf } from '../http/auditOf.ts';
import { defineRoute } from '../http/route.ts';
import { endpointPath } from './paths.ts';

const tag = 'Endpoint';
const path = '/api/v1/app/:app/endpoint/:endpoint/transformation';

export const endpointTransformationRoutes = [
  defineRoute({
    method: 'get',
    path,
    auth: 'tenant',
    access: 'read',
    tag,
    operationId: 'v1.endpoint.get-transformation',
    summary: "Get the endpoint's transformation: its code, whether it is enabled, its variables",
    params: endpointPath,
    response: { status: 200, schema: endpointTransformationOutSchema },
    handler: async ({ deps, tenantId, params }) => {
      const app = await getApplication(deps.db, tenantId, params.app);
      return { status: 200, body: await getEndpointTransformation(deps.db, tenantId, app.id, params.endpoint) };
    },
  }),
  defineRoute({
    method: 'patch',
    path,
    auth: 'tenant',
    access: 'write',
    portal: 'ManageTransformations',
    tag,
    operationId: 'v1.endpoint.patch-transformation',
    summary: 'Set or unset the transformation code (at most 64 KB; code that does not compile is refused), enable or disable it',
    params: endpointPath,
    body: endpointTransformationPatchSchema,
    bodyOptional: true,
    response: { status: 204 },
    handler: async ({ deps, tenantId, actor, origin, params, body }) => {
      const app = await getApplication(deps.db, tenantId, params.app);
      await patchEndpointTransformation(deps.db, tenantId, app.id, params.endpoint, body, auditOf({ tenantId, actor, origin }));
      return { status: 204 };
    },
  }),
  defineRoute({
    method: 'post',
    path: `${path}/simulate`,
    auth: 'tenant',
    access: 'write',
    portal: 'ManageTransformations',
    tag,
    operationId: 'v1.endpoint.transformation-simulate',
    summary: "Run code on a payload (or the event type's example) as a delivery to this endpoint would, sending nothing; a failure is 400 transformation_failed",
    params: endpointPath,
    body: endpointTransformationSimulateInSchema,
    response: { status: 200, schema: endpointTransformationSimulateOutSchema },
    handler: async ({ deps, tenantId, params, body, portal }) => {
      const app = await getApplication(deps.db, tenantId, params.app);
      return { status: 200, body: await simulateTransformation(deps.db, tenantId, app.id, params.endpoint, body, portal?.featureFlags) };
    },
  }),
  defineRoute({
    method: 'get',
    path: '/api/v1/transformation-template',
    auth: 'tenant',
    access: 'read',
    portal: 'ViewBase',
    tag: 'Transformation template',
    operationId: 'v1.transformation-template.list',
    summary: 'Ready-made transformations for Slack, Discord and Microsoft Teams incoming webhooks',
    response: { status: 200, schema: listTransformationTemplatesOutSchema },
    handler: async () => ({ status: 200, body: { data: [...TRANSFORMATION_TEMPLATES], iterator: null, prevIterator: null, done: true as const } }),
  }),
];
