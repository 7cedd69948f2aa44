import { z } from 'zod';
import { createApiKey, createTenant, listApiKeys, listTenants, revokeApiKey } from '@hookline/core';
import type { RouteDefinition } from '../http/route.ts';
import { parseInput } from '../http/validate.ts';
import { apiKeyInSchema, tenantInSchema } from '../schemas/admin.ts';
import { listQuerySchema } from '../schemas/common.ts';

const tenantPath = z.object({ tenantId: z.string().min(1).max(64) });
const keyPath = tenantPath.extend({ keyId: z.string().min(1).max(64) });

export const adminRoutes: RouteDefinition[] = [
  {
    method: 'post', path: '/admin/v1/tenants', auth: 'admin',
    handler: async ({ req, deps }) => ({ status: 201, body: await createTenant(deps.db, parseInput(tenantInSchema, req.body, 'body')) }),
  },
  {
    method: 'get', path: '/admin/v1/tenants', auth: 'admin',
    handler: async ({ req, deps }) => ({ status: 200, body: await listTenants(deps.db, parseInput(listQuerySchema, req.query, 'query')) }),
  },
  {
    method: 'post', path: '/admin/v1/tenants/:tenantId/api-keys', auth: 'admin',
    handler: async ({ req, deps }) => {
      const { tenantId } = parseInput(tenantPath, req.params, 'path');
      return { status: 201, body: await createApiKey(deps.db, tenantId, parseInput(apiKeyInSchema, req.body ?? {}, 'body')) };
    },
  },
  {
    method: 'get', path: '/admin/v1/tenants/:tenantId/api-keys', auth: 'admin',
    handler: async ({ req, deps }) => {
      const { tenantId } = parseInput(tenantPath, req.params, 'path');
      const data = await listApiKeys(deps.db, tenantId);
      return { status: 200, body: { data, iterator: null, prevIterator: null, done: true } };
    },
  },
  {
    method: 'delete', path: '/admin/v1/tenants/:tenantId/api-keys/:keyId', auth: 'admin',
    handler: async ({ req, deps }) => {
      const { tenantId, keyId } = parseInput(keyPath, req.params, 'path');
      await revokeApiKey(deps.db, tenantId, keyId);
      return { status: 204 };
    },
  },
];
