import { getPortalBranding, getTenantSettings, portalBrandingOutSchema, tenantSettingsOutSchema, tenantSettingsPatchSchema, updateTenantSettings } from '@hookline/core';
import { auditOf } from '../http/auditOf.ts';
import { defineRoute } from '../http/route.ts';

// The current tenant's own settings (Hookline extension), for owners and admins (or an API key of the tenant).
const common = { auth: 'tenant', access: 'manage', portal: null, tag: 'Settings' } as const;

export const settingsRoutes = [
  defineRoute({
    ...common,
    method: 'get',
    path: '/console/v1/settings',
    operationId: 'console.settings.get',
    summary: "The tenant's retry schedule, retention and portal defaults, with the installation's values they stand in for",
    response: { status: 200, schema: tenantSettingsOutSchema },
    handler: async ({ deps, tenantId }) => ({ status: 200, body: await getTenantSettings(deps.db, { tenantId, installation: deps.config }) }),
  }),
  defineRoute({
    ...common,
    method: 'patch',
    path: '/console/v1/settings',
    operationId: 'console.settings.patch',
    summary: "Change the tenant's settings (null: back to the installation's); 422 and nothing changed on any bad field",
    body: tenantSettingsPatchSchema,
    response: { status: 200, schema: tenantSettingsOutSchema },
    handler: async (ctx) => ({
      status: 200,
      body: await updateTenantSettings(ctx.deps.db, { tenantId: ctx.tenantId, patch: ctx.body, installation: ctx.deps.config }, auditOf(ctx)),
    }),
  }),
  // What the customer portal shows of its vendor: any portal token of the tenant (and anyone of it) may read it.
  defineRoute({
    method: 'get',
    path: '/api/v1/portal-branding',
    auth: 'tenant',
    access: 'read',
    portal: 'ViewBase',
    tag: 'Settings',
    operationId: 'v1.portal-branding.get',
    summary: "The portal's branding (Hookline extension): the tenant's logo and brand, with the link's own brand over them",
    response: { status: 200, schema: portalBrandingOutSchema },
    handler: async ({ deps, tenantId, portal }) => ({ status: 200, body: await getPortalBranding(deps.db, tenantId, portal?.brand) }),
  }),
];
