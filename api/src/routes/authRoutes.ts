import { appPortalAccessInSchema, appPortalAccessOutSchema, appPortalExpireAllInSchema, createAppPortalAccess, expireAllPortalTokens } from '@hookline/core';
import { auditOf } from '../http/auditOf.ts';
import { publicBaseUrl } from '../http/publicBaseUrl.ts';
import { defineRoute } from '../http/route.ts';
import { appPath } from './paths.ts';

export const authRoutes = [
  defineRoute({
    method: 'post',
    path: '/api/v1/auth/app-portal-access/:app',
    auth: 'tenant',
    access: 'write',
    portal: null,
    tag: 'Authentication',
    operationId: 'v1.authentication.app-portal-access',
    summary: 'Get a portal link and token for one application',
    params: appPath,
    body: appPortalAccessInSchema,
    bodyOptional: true,
    response: { status: 200, schema: appPortalAccessOutSchema },
    // The token is a credential: never stored for replay; a repeat gets a fresh one.
    replay: { kind: 'reissue' },
    handler: async ({ req, deps, tenantId, actor, origin, params, body }) => {
      const portalBaseUrl = publicBaseUrl(req, deps.config);
      return {
        status: 200,
        body: await createAppPortalAccess(deps.db, tenantId, params.app, body, { keys: deps.portalKeys, portalBaseUrl }, auditOf({ tenantId, actor, origin })),
      };
    },
  }),
  defineRoute({
    method: 'post',
    path: '/api/v1/auth/app/:app/expire-all',
    auth: 'tenant',
    access: 'write',
    portal: null,
    tag: 'Authentication',
    operationId: 'v1.authentication.expire-all',
    summary: 'Expire the portal tokens issued so far for one application (at once or after `expiry` seconds; optionally only some sessions)',
    params: appPath,
    body: appPortalExpireAllInSchema,
    bodyOptional: true,
    response: { status: 204 },
    handler: async ({ deps, tenantId, actor, origin, params, body }) => {
      await expireAllPortalTokens(deps.db, tenantId, params.app, body, auditOf({ tenantId, actor, origin }));
      return { status: 204 };
    },
  }),
];
