import { z } from 'zod';
import {
  createOperationalEndpoint,
  deleteOperationalEndpoint,
  endpointHeadersInSchema,
  endpointHeadersOutSchema,
  endpointSecretOutSchema,
  endpointSecretRotateInSchema,
  getEndpointHeaders,
  getEndpointSecret,
  getOperationalEndpoint,
  idOrUidSchema,
  listOperationalEndpoints,
  listQueryOf,
  listResponse,
  operationalAppId,
  operationalEndpointInSchema,
  operationalEndpointOutSchema,
  operationalEndpointUpsertSchema,
  replaceEndpointHeaders,
  rotateEndpointSecret,
  toOperationalEndpointOut,
  upsertOperationalEndpoint,
  type OperationalEmitter,
} from '@hookline/core';
import { auditOf } from '../http/auditOf.ts';
import { defineRoute, type ApiDeps } from '../http/route.ts';

/** What the endpoint routes need to publish the operational events their writes cause. */
export const operationalEmitter = (deps: ApiDeps): OperationalEmitter => ({
  boss: deps.boss,
  payloadRetentionDays: deps.config.payloadRetentionDays,
});

const tag = 'Operational webhook endpoint';
const base = '/api/v1/operational-webhook/endpoint';
const endpointPath = z.object({ endpoint: idOrUidSchema });
// The tenant's own monitoring: never open to a portal token (an end customer's session).
const common = { auth: 'tenant', tag, portal: null } as const;

/**
 * Svix's operational webhook endpoints: where Hookline sends the tenant events about its own
 * delivery health (endpoint.created / updated / deleted / enabled / disabled,
 * message.attempt.failing / exhausted / recovered), signed and retried like any message.
 */
export const operationalWebhookRoutes = [
  defineRoute({
    ...common,
    method: 'post',
    access: 'write',
    path: base,
    operationId: 'v1.operational-webhook.endpoint.create',
    summary: 'Create an operational webhook endpoint',
    body: operationalEndpointInSchema,
    response: { status: 201, schema: operationalEndpointOutSchema },
    handler: async ({ deps, tenantId, actor, origin, body }) => ({
      status: 201,
      body: await createOperationalEndpoint(deps.db, tenantId, body, deps.allow, deps.secretBox, auditOf({ tenantId, actor, origin })),
    }),
  }),
  defineRoute({
    ...common,
    method: 'get',
    access: 'read',
    path: base,
    operationId: 'v1.operational-webhook.endpoint.list',
    summary: 'List operational webhook endpoints',
    query: listQueryOf('ep'),
    response: { status: 200, schema: listResponse(operationalEndpointOutSchema) },
    handler: async ({ deps, tenantId, query }) => ({ status: 200, body: await listOperationalEndpoints(deps.db, tenantId, query) }),
  }),
  defineRoute({
    ...common,
    method: 'get',
    access: 'read',
    path: `${base}/:endpoint`,
    operationId: 'v1.operational-webhook.endpoint.get',
    summary: 'Get an operational webhook endpoint',
    params: endpointPath,
    response: { status: 200, schema: operationalEndpointOutSchema },
    handler: async ({ deps, tenantId, params }) => ({
      status: 200,
      body: toOperationalEndpointOut(await getOperationalEndpoint(deps.db, tenantId, params.endpoint)),
    }),
  }),
  defineRoute({
    ...common,
    method: 'put',
    access: 'write',
    path: `${base}/:endpoint`,
    operationId: 'v1.operational-webhook.endpoint.update',
    summary: 'Update an operational webhook endpoint, or create it (201) when there is none with this id or uid',
    params: endpointPath,
    body: operationalEndpointUpsertSchema,
    response: { status: 200, schema: operationalEndpointOutSchema, description: 'Updated (201 with the same body when created)' },
    handler: async ({ deps, tenantId, actor, origin, params, body }) => {
      const { created, endpoint } = await upsertOperationalEndpoint(
        deps.db,
        tenantId,
        params.endpoint,
        body,
        deps.allow,
        deps.secretBox,
        auditOf({ tenantId, actor, origin }),
      );
      return { status: created ? 201 : 200, body: endpoint };
    },
  }),
  defineRoute({
    ...common,
    method: 'delete',
    access: 'write',
    path: `${base}/:endpoint`,
    operationId: 'v1.operational-webhook.endpoint.delete',
    summary: 'Delete an operational webhook endpoint',
    params: endpointPath,
    response: { status: 204 },
    handler: async ({ deps, tenantId, actor, origin, params }) => {
      await deleteOperationalEndpoint(deps.db, tenantId, params.endpoint, auditOf({ tenantId, actor, origin }));
      return { status: 204 };
    },
  }),
  defineRoute({
    ...common,
    method: 'get',
    access: 'secret',
    path: `${base}/:endpoint/secret`,
    operationId: 'v1.operational-webhook.endpoint.get-secret',
    summary: "Get the operational webhook endpoint's signing secret",
    params: endpointPath,
    response: { status: 200, schema: endpointSecretOutSchema },
    handler: async ({ deps, tenantId, actor, origin, params }) => ({
      status: 200,
      body: await getEndpointSecret(deps.db, tenantId, await operationalAppId(deps.db, tenantId), params.endpoint, deps.secretBox, auditOf({ tenantId, actor, origin })),
    }),
  }),
  defineRoute({
    ...common,
    method: 'post',
    access: 'write',
    path: `${base}/:endpoint/secret/rotate`,
    operationId: 'v1.operational-webhook.endpoint.rotate-secret',
    summary: "Rotate the operational webhook endpoint's signing secret; the previous one keeps signing for gracePeriodSeconds (default 24 h)",
    params: endpointPath,
    body: endpointSecretRotateInSchema,
    bodyOptional: true,
    response: { status: 204 },
    handler: async ({ deps, tenantId, actor, origin, params, body }) => {
      await rotateEndpointSecret(
        deps.db,
        tenantId,
        await operationalAppId(deps.db, tenantId),
        params.endpoint,
        body,
        deps.secretBox,
        // Operational endpoints' own changes emit no operational events.
        null,
        auditOf({ tenantId, actor, origin }),
      );
      return { status: 204 };
    },
  }),
  defineRoute({
    ...common,
    method: 'get',
    access: 'secret',
    path: `${base}/:endpoint/headers`,
    operationId: 'v1.operational-webhook.endpoint.get-headers',
    summary: 'Get the custom headers sent with each operational webhook (credential headers are named in `sensitive`, not shown)',
    params: endpointPath,
    response: { status: 200, schema: endpointHeadersOutSchema },
    handler: async ({ deps, tenantId, actor, origin, params }) => ({
      status: 200,
      body: await getEndpointHeaders(deps.db, tenantId, await operationalAppId(deps.db, tenantId), params.endpoint, deps.secretBox, auditOf({ tenantId, actor, origin })),
    }),
  }),
  defineRoute({
    ...common,
    method: 'put',
    access: 'write',
    path: `${base}/:endpoint/headers`,
    operationId: 'v1.operational-webhook.endpoint.update-headers',
    summary: 'Replace the custom headers sent with each operational webhook',
    params: endpointPath,
    body: endpointHeadersInSchema,
    response: { status: 204 },
    handler: async ({ deps, tenantId, actor, origin, params, body }) => {
      await replaceEndpointHeaders(
        deps.db,
        tenantId,
        await operationalAppId(deps.db, tenantId),
        params.endpoint,
        body,
        deps.secretBox,
        auditOf({ tenantId, actor, origin }),
      );
      return { status: 204 };
    },
  }),
];
