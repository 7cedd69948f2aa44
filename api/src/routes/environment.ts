import { environmentInSchema, environmentOutSchema, exportEnvironment, importEnvironment } from '@hookline/core';
import { auditOf } from '../http/auditOf.ts';
import { defineRoute } from '../http/route.ts';

// Svix's environment export and import: the tenant's event types and settings, for owners and admins.
const common = { auth: 'tenant', access: 'manage', portal: null, tag: 'Environment' } as const;

export const environmentRoutes = [
  defineRoute({
    ...common,
    method: 'post',
    path: '/api/v1/environment/export',
    operationId: 'v1.environment.export',
    summary: "Export the tenant's event types and settings in Svix's format",
    response: { status: 200, schema: environmentOutSchema },
    handler: async ({ deps, tenantId }) => ({ status: 200, body: await exportEnvironment(deps.db, tenantId) }),
  }),
  defineRoute({
    ...common,
    method: 'post',
    path: '/api/v1/environment/import',
    operationId: 'v1.environment.import',
    summary: 'Import event types and settings (an export of Hookline or of Svix): creates and updates, deletes nothing',
    body: environmentInSchema,
    bodyOptional: true,
    response: { status: 204 },
    handler: async (ctx) => {
      await importEnvironment(ctx.deps.db, ctx.tenantId, ctx.body, ctx.deps.config, auditOf(ctx));
      return { status: 204 };
    },
  }),
];
