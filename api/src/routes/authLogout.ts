import { ForbiddenError, logoutPortalToken } from '@hookline/core';
import { auditOf } from '../http/auditOf.ts';
import { defineRoute } from '../http/route.ts';

export const authLogoutRoutes = [
  defineRoute({
    method: 'post',
    path: '/api/v1/auth/logout',
    auth: 'tenant',
    access: 'read',
    // Any portal token may end itself, whatever its capabilities.
    portal: 'ViewBase',
    tag: 'Authentication',
    operationId: 'v1.authentication.logout',
    summary: 'Log out the portal token this request is made with (other credentials: 403; revoke API keys instead)',
    response: { status: 204 },
    handler: async (ctx) => {
      // As in Svix, only app (portal) tokens can be logged out: an API key or a console session is refused.
      if (!ctx.portal) throw new ForbiddenError('Only a portal (application) token can be logged out; revoke an API key instead');
      await logoutPortalToken(ctx.deps.db, ctx.portal, auditOf(ctx));
      return { status: 204 };
    },
  }),
];
