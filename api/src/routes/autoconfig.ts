import { z } from 'zod';
import { ForbiddenError, getApplication } from '@hookline/core';
import { defineRoute } from '../http/route.ts';
import { appPath } from './paths.ts';

// Svix's AutoConfig hands a customer a token with which Svix's hosted tooling configures their
// endpoint for them; a self-hosted server has no such service, so these answer as Svix does for a
// feature not enabled on the account (docs/api.md, "Not served").
const NOT_ENABLED = 'AutoConfig is not enabled on this server: Hookline is self-hosted and has no AutoConfig service';
const common = { auth: 'tenant', access: 'write', portal: null, tag: 'Autoconfig' } as const;
const autoConfigOutSchema = z.object({ id: z.string(), token: z.string(), createdAt: z.iso.datetime() }).meta({ id: 'AutoConfigOut' });

export const autoconfigRoutes = [
  defineRoute({
    ...common,
    method: 'post',
    path: '/api/v1/app/:app/autoconfig',
    operationId: 'v1.autoconfig.create',
    summary: 'Not enabled on a self-hosted server: always 403',
    params: appPath,
    response: { status: 200, schema: autoConfigOutSchema },
    // Another tenant's (or no) application is a 404 first, as on every app route.
    handler: async ({ deps, tenantId, params }) => {
      await getApplication(deps.db, tenantId, params.app);
      throw new ForbiddenError(NOT_ENABLED);
    },
  }),
  defineRoute({
    ...common,
    method: 'post',
    path: '/api/v1/app/:app/autoconfig/:autoconfig/rotate',
    operationId: 'v1.autoconfig.rotate',
    summary: 'Not enabled on a self-hosted server: always 403',
    params: appPath.extend({ autoconfig: z.string().min(1).max(256) }),
    response: { status: 200, schema: autoConfigOutSchema },
    // Another tenant's (or no) application is a 404 first, as on every app route.
    handler: async ({ deps, tenantId, params }) => {
      await getApplication(deps.db, tenantId, params.app);
      throw new ForbiddenError(NOT_ENABLED);
    },
  }),
];
