import { defineRoute, type RouteDefinition } from '../http/route.ts';
import { adminRoutes } from './admin.ts';
import { applicationRoutes } from './applications.ts';
import { attemptRoutes } from './attempts.ts';
import { authRoutes } from './auth.ts';
import { endpointRoutes } from './endpoints.ts';
import { eventTypeRoutes } from './eventTypes.ts';
import { messageRoutes } from './messages.ts';
import { operationalWebhookRoutes } from './operationalWebhooks.ts';

/** Every API route in one table: the router, the OpenAPI document and the tests are built from it. */
export const routes: RouteDefinition[] = [
  defineRoute({
    method: 'get', path: '/api/v1/health', auth: 'none', tag: 'Health', operationId: 'v1.health.get', summary: 'Health check',
    response: { status: 204 }, handler: async () => ({ status: 204 }),
  }),
  ...adminRoutes,
  ...applicationRoutes,
  ...endpointRoutes,
  ...eventTypeRoutes,
  ...messageRoutes,
  ...attemptRoutes,
  ...authRoutes,
  ...operationalWebhookRoutes,
];
