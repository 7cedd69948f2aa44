import { z } from 'zod';
import {
  apiKeyCreatedOutSchema,
  apiKeyInSchema,
  apiKeyOutSchema,
  apiKeyRotateInSchema,
  createApiKey,
  createInvite,
  inviteUrl,
  inviteInSchema,
  operatorInviteOutSchema,
  rotateApiKey,
  createTenant,
  listApiKeys,
  listQuerySchema,
  getTenant,
  listResponse,
  listTenants,
  listTenantUsage,
  revokeApiKey,
  tenantInSchema,
  tenantOutSchema,
  tenantPatchSchema,
  tenantUsageQuerySchema,
  tenantUsageSchema,
  updateTenant,
} from '@hookline/core';
import { auditOf } from '../http/auditOf.ts';
import { publicBaseUrl } from '../http/publicBaseUrl.ts';
import { defineRoute } from '../http/route.ts';

const tenantPath = z.object({ tenantId: z.string().min(1).max(64) });
const keyPath = tenantPath.extend({ keyId: z.string().min(1).max(64) });
const tag = 'Operator';

export const adminRoutes = [
  defineRoute({
    method: 'post',
    path: '/admin/v1/tenants',
    auth: 'admin',
    tag,
    operationId: 'admin.tenant.create',
    summary: 'Create a tenant',
    body: tenantInSchema,
    response: { status: 201, schema: tenantOutSchema },
    handler: async ({ deps, actor, origin, body }) => ({ status: 201, body: await createTenant(deps.db, body, { actor, origin }) }),
  }),
  defineRoute({
    method: 'get',
    path: '/admin/v1/tenants',
    auth: 'admin',
    tag,
    operationId: 'admin.tenant.list',
    summary: 'List tenants',
    query: listQuerySchema,
    response: { status: 200, schema: listResponse(tenantOutSchema) },
    handler: async ({ deps, query }) => ({ status: 200, body: await listTenants(deps.db, query) }),
  }),
  // Before /admin/v1/tenants/:tenantId, which would otherwise take `usage` for a tenant id.
  defineRoute({
    method: 'get',
    path: '/admin/v1/tenants/usage',
    auth: 'admin',
    tag,
    operationId: 'admin.tenant.usage',
    summary: 'List tenants with their usage: messages per day (`days`, default 30), applications, endpoints, an estimate of their storage',
    query: tenantUsageQuerySchema,
    response: { status: 200, schema: listResponse(tenantUsageSchema) },
    handler: async ({ deps, query }) => ({ status: 200, body: await listTenantUsage(deps.db, query, { messageRetentionDays: deps.config.messageRetentionDays }) }),
  }),
  defineRoute({
    method: 'get',
    path: '/admin/v1/tenants/:tenantId',
    auth: 'admin',
    tag,
    operationId: 'admin.tenant.get',
    summary: 'Get a tenant',
    params: tenantPath,
    response: { status: 200, schema: tenantOutSchema },
    handler: async ({ deps, params }) => ({ status: 200, body: await getTenant(deps.db, params.tenantId) }),
  }),
  defineRoute({
    method: 'patch',
    path: '/admin/v1/tenants/:tenantId',
    auth: 'admin',
    tag,
    operationId: 'admin.tenant.patch',
    summary: 'Rename a tenant or set its retry schedule',
    params: tenantPath,
    body: tenantPatchSchema,
    response: { status: 200, schema: tenantOutSchema },
    handler: async ({ deps, actor, origin, params, body }) => ({
      status: 200,
      body: await updateTenant(deps.db, params.tenantId, body, auditOf({ tenantId: '', actor, origin }, params.tenantId)),
    }),
  }),
  defineRoute({
    method: 'post',
    path: '/admin/v1/tenants/:tenantId/api-keys',
    auth: 'admin',
    tag,
    operationId: 'admin.apiKey.create',
    summary: 'Create an API key (shown once)',
    params: tenantPath,
    body: apiKeyInSchema,
    bodyOptional: true,
    response: { status: 201, schema: apiKeyCreatedOutSchema },
    handler: async ({ deps, actor, origin, params, body }) => ({
      status: 201,
      body: await createApiKey(deps.db, params.tenantId, body, auditOf({ tenantId: '', actor, origin }, params.tenantId)),
    }),
  }),
  defineRoute({
    method: 'get',
    path: '/admin/v1/tenants/:tenantId/api-keys',
    auth: 'admin',
    tag,
    operationId: 'admin.apiKey.list',
    summary: "List a tenant's API keys",
    params: tenantPath,
    response: { status: 200, schema: listResponse(apiKeyOutSchema) },
    handler: async ({ deps, params }) => {
      const data = await listApiKeys(deps.db, params.tenantId);
      return { status: 200, body: { data, iterator: null, prevIterator: null, done: true } };
    },
  }),
  defineRoute({
    method: 'post',
    path: '/admin/v1/tenants/:tenantId/api-keys/:keyId/rotate',
    auth: 'admin',
    tag,
    operationId: 'admin.apiKey.rotate',
    summary: 'Replace an API key; the old one works until the grace period ends',
    params: keyPath,
    body: apiKeyRotateInSchema,
    bodyOptional: true,
    response: { status: 201, schema: apiKeyCreatedOutSchema },
    handler: async ({ deps, actor, origin, params, body }) => ({
      status: 201,
      body: await rotateApiKey(deps.db, params.tenantId, params.keyId, body.gracePeriodSeconds, auditOf({ tenantId: '', actor, origin }, params.tenantId), deps.apiKeys),
    }),
  }),
  defineRoute({
    method: 'delete',
    path: '/admin/v1/tenants/:tenantId/api-keys/:keyId',
    auth: 'admin',
    tag,
    operationId: 'admin.apiKey.revoke',
    summary: 'Revoke an API key',
    params: keyPath,
    response: { status: 204 },
    handler: async ({ deps, actor, origin, params }) => {
      await revokeApiKey(deps.db, params.tenantId, params.keyId, auditOf({ tenantId: '', actor, origin }, params.tenantId), deps.apiKeys);
      return { status: 204 };
    },
  }),
  defineRoute({
    method: 'post',
    path: '/admin/v1/tenants/:tenantId/invites',
    auth: 'admin',
    tag,
    operationId: 'admin.invite.create',
    summary: 'Invite a person to a tenant with a role: a single-use console link, valid 7 days (e.g. its first owner)',
    params: tenantPath,
    body: inviteInSchema,
    response: { status: 201, schema: operatorInviteOutSchema },
    handler: async ({ req, deps, params, body, actor, origin }) => {
      const baseUrl = publicBaseUrl(req, deps.config);
      const audit = auditOf({ tenantId: '', actor, origin }, params.tenantId);
      const { token, expiresAt } = await createInvite(deps.db, params.tenantId, { email: body.email, role: body.role, inviterPersonId: null }, audit);
      return { status: 201, body: { url: inviteUrl(baseUrl, token), expiresAt } };
    },
  }),
];
