import type { RouteDefinition } from '../http/route.ts';
import { adminRoutes } from './admin.ts';
import { attemptRoutes } from './attempts.ts';
import { applicationRoutes } from './applications.ts';
import { endpointRoutes } from './endpoints.ts';
import { eventTypeRoutes } from './eventTypes.ts';
import { messageRoutes } from './messages.ts';

/** Every API route in one table: tests and the OpenAPI document are generated from it. */
export const routes: RouteDefinition[] = [
  { method: 'get', path: '/api/v1/health', auth: 'none', handler: async () => ({ status: 204 }) },
  ...adminRoutes,
  ...applicationRoutes,
  ...endpointRoutes,
  ...eventTypeRoutes,
  ...messageRoutes,
  ...attemptRoutes,
];
