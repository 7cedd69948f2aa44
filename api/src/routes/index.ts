import { z } from 'zod';
import { checkReadiness } from '@hookline/core';
import { defineRoute, type RouteDefinition } from '../http/route.ts';
import { adminRoutes } from './admin.ts';
import { apiKeyRoutes } from './apiKeys.ts';
import { applicationRoutes } from './applications.ts';
import { attemptRoutes } from './attempts.ts';
import { auditLogRoutes } from './auditLog.ts';
import { authLogoutRoutes } from './authLogout.ts';
import { authRoutes } from './authRoutes.ts';
import { autoconfigRoutes } from './autoconfig.ts';
import { backgroundTaskRoutes } from './backgroundTasks.ts';
import { consoleRoutes } from './console.ts';
import { endpointRoutes } from './endpoints.ts';
import { endpointSearchRoutes } from './endpointSearch.ts';
import { environmentRoutes } from './environment.ts';
import { endpointTransformationRoutes } from './endpointTransformations.ts';
import { endpointAuthRoutes } from './endpointAuth.ts';
import { endpointMtlsRoutes } from './endpointMtls.ts';
import { eventTypeRoutes } from './eventTypes.ts';
import { integrationRoutes } from './integrations.ts';
import { memberRoutes } from './members.ts';
import { notificationSettingRoutes } from './notificationSettings.ts';
import { messageExpungeRoutes } from './messageExpunge.ts';
import { messagePrecheckRoutes } from './messagePrecheck.ts';
import { messageRoutes } from './messages.ts';
import { messageSearchRoutes } from './messageSearch.ts';
import { operationalWebhookRoutes } from './operationalWebhooks.ts';
import { passwordResetRoutes } from './passwordReset.ts';
import { pollerRoutes } from './pollers.ts';
import { settingsRoutes } from './settings.ts';
import { ssoRoutes } from './sso.ts';
import { statisticsRoutes } from './statistics.ts';
import { totpRoutes } from './totp.ts';
import { usageStatisticsRoutes } from './usageStatistics.ts';

const checkState = z.enum(['ok', 'failing']);
const readinessSchema = z.object({ ready: z.boolean(), checks: z.object({ database: checkState, queue: checkState }) }).meta({ id: 'Readiness' });

/** Every API route in one table: the router, the OpenAPI document and the tests are built from it. */
export const routes: RouteDefinition[] = [
  defineRoute({
    method: 'get',
    path: '/api/v1/health',
    auth: 'none',
    tag: 'Health',
    operationId: 'v1.health.get',
    summary: 'Health check',
    response: { status: 204 },
    handler: async () => ({ status: 204 }),
  }),
  defineRoute({
    method: 'get',
    path: '/api/v1/health/ping',
    auth: 'none',
    tag: 'Health',
    operationId: 'v1.health.ping',
    summary: "Ping: the API process answers (204, no body, as Svix's; HEAD too), without asking the database: for load balancers",
    response: { status: 204 },
    handler: async () => ({ status: 204 }),
  }),
  defineRoute({
    method: 'get',
    path: '/health',
    auth: 'none',
    tag: 'Health',
    operationId: 'health.live',
    summary: 'Liveness: the process is up',
    response: { status: 200, schema: z.object({ status: z.literal('ok') }) },
    handler: async () => ({ status: 200, body: { status: 'ok' } }),
  }),
  defineRoute({
    method: 'get',
    path: '/metrics',
    auth: 'none',
    tag: 'Health',
    operationId: 'metrics.get',
    summary: 'Prometheus metrics of this process (text exposition format)',
    response: { status: 200, description: 'text/plain metrics' },
    handler: async ({ deps }) => ({
      status: 200,
      text: { contentType: deps.metrics.registry.contentType, body: await deps.metrics.registry.metrics() },
    }),
  }),
  defineRoute({
    method: 'get',
    path: '/ready',
    auth: 'none',
    tag: 'Health',
    operationId: 'health.ready',
    summary: 'Readiness: the database and the queue answer (503 otherwise)',
    response: { status: 200, schema: readinessSchema },
    handler: async ({ deps }) => {
      const readiness = await checkReadiness(deps.db, deps.boss);
      return { status: readiness.ready ? 200 : 503, body: readiness };
    },
  }),
  ...adminRoutes,
  ...applicationRoutes,
  ...endpointRoutes,
  ...endpointTransformationRoutes,
  ...endpointAuthRoutes,
  ...endpointMtlsRoutes,
  ...eventTypeRoutes,
  ...backgroundTaskRoutes,
  ...messageRoutes,
  ...attemptRoutes,
  ...authRoutes,
  ...operationalWebhookRoutes,
  ...statisticsRoutes,
  ...usageStatisticsRoutes,
  ...consoleRoutes,
  ...passwordResetRoutes,
  ...memberRoutes,
  ...apiKeyRoutes,
  ...settingsRoutes,
  ...ssoRoutes,
  ...totpRoutes,
  ...auditLogRoutes,
  ...messageSearchRoutes,
  ...endpointSearchRoutes,
  ...messagePrecheckRoutes,
  ...messageExpungeRoutes,
  ...pollerRoutes,
  ...authLogoutRoutes,
  ...autoconfigRoutes,
  ...integrationRoutes,
  ...notificationSettingRoutes,
  ...environmentRoutes,
];
