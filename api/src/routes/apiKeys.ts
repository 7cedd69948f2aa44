import { z } from 'zod';
import {
  apiKeyCreatedOutSchema,
  apiKeyInSchema,
  apiKeyOutSchema,
  apiKeyRotateInSchema,
  createApiKey,
  listApiKeys,
  listResponse,
  revokeApiKey,
  rotateApiKey,
} from '@hookline/core';
import { auditOf } from '../http/auditOf.ts';
import { defineRoute } from '../http/route.ts';

// The current tenant's API keys (Hookline extension), as the operator's /admin/v1/tenants/{id}/api-keys
// but for the tenant itself: owners and admins (ACCESS_ROLES.manage), or an API key of the tenant.
const common = { auth: 'tenant', access: 'manage', portal: null, tag: 'API keys' } as const;
const keyPath = z.object({ keyId: z.string().min(1).max(64) });

export const apiKeyRoutes = [
  defineRoute({
    ...common,
    method: 'get',
    path: '/console/v1/api-keys',
    operationId: 'console.apiKey.list',
    summary: "The tenant's API keys without their secrets: prefix, last use (to the minute), expiry, revocation",
    response: { status: 200, schema: listResponse(apiKeyOutSchema) },
    handler: async ({ deps, tenantId }) => ({ status: 200, body: { data: await listApiKeys(deps.db, tenantId), iterator: null, prevIterator: null, done: true } }),
  }),
  defineRoute({
    ...common,
    method: 'post',
    path: '/console/v1/api-keys',
    operationId: 'console.apiKey.create',
    summary: 'Create an API key with a name and an optional expiry; the key is in this response only',
    body: apiKeyInSchema,
    bodyOptional: true,
    response: { status: 201, schema: apiKeyCreatedOutSchema },
    // The key is stored hashed only, so a repeat of the idempotency-key cannot replay it: it makes a new one.
    replay: { kind: 'reissue' },
    handler: async (ctx) => ({ status: 201, body: await createApiKey(ctx.deps.db, ctx.tenantId, ctx.body, auditOf(ctx)) }),
  }),
  defineRoute({
    ...common,
    method: 'post',
    path: '/console/v1/api-keys/:keyId/rotate',
    operationId: 'console.apiKey.rotate',
    summary: 'Replace an API key with a new one (same name); the old one keeps working for the grace period (default 24 h, 0: stops now)',
    params: keyPath,
    body: apiKeyRotateInSchema,
    bodyOptional: true,
    response: { status: 201, schema: apiKeyCreatedOutSchema },
    replay: { kind: 'reissue' },
    handler: async (ctx) => ({
      status: 201,
      body: await rotateApiKey(ctx.deps.db, ctx.tenantId, ctx.params.keyId, ctx.body.gracePeriodSeconds, auditOf(ctx), ctx.deps.apiKeys),
    }),
  }),
  defineRoute({
    ...common,
    method: 'delete',
    path: '/console/v1/api-keys/:keyId',
    operationId: 'console.apiKey.revoke',
    summary: 'Revoke an API key: its next request gets 401',
    params: keyPath,
    response: { status: 204 },
    handler: async (ctx) => {
      await revokeApiKey(ctx.deps.db, ctx.tenantId, ctx.params.keyId, auditOf(ctx), ctx.deps.apiKeys);
      return { status: 204 };
    },
  }),
];
