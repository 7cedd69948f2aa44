import {
  bulkReplayInSchema,
  endpointStatsQuerySchema,
  endpointStatsSchema,
  eventExampleInSchema,
  getApplication,
  getEndpointStats,
  messageOutSchema,
  recoverEndpoint,
  recoverInSchema,
  recoverOutSchema,
  replayInSchema,
  sendExample,
  startReplay,
  taskStartedOutSchema,
} from '@hookline/core';
import { auditOf } from '../http/auditOf.ts';
import { defineRoute } from '../http/route.ts';
import { endpointPath } from './paths.ts';

const tag = 'Endpoint';

export const endpointActionRoutes = [
  defineRoute({
    method: 'post',
    path: '/api/v1/app/:app/endpoint/:endpoint/recover',
    auth: 'tenant',
    access: 'write',
    tag,
    operationId: 'v1.endpoint.recover',
    summary: 'Resend the messages whose delivery to this endpoint failed, since a time (a background task)',
    params: endpointPath,
    body: recoverInSchema,
    response: { status: 202, schema: recoverOutSchema },
    handler: async ({ deps, tenantId, actor, origin, params, body }) => {
      const app = await getApplication(deps.db, tenantId, params.app);
      return { status: 202, body: await recoverEndpoint(deps.db, deps.boss, tenantId, app.id, params.endpoint, body, auditOf({ tenantId, actor, origin })) };
    },
  }),
  defineRoute({
    method: 'post',
    path: '/api/v1/app/:app/endpoint/:endpoint/bulk-replay',
    auth: 'tenant',
    access: 'write',
    portal: 'CreateAttempts',
    tag,
    operationId: 'v1.endpoint.bulk-replay',
    summary: 'Resend the messages delivered to this endpoint between since and until, whatever their outcome, optionally filtered (a background task)',
    params: endpointPath,
    body: bulkReplayInSchema,
    response: { status: 202, schema: taskStartedOutSchema },
    handler: async ({ deps, tenantId, actor, origin, params, body }) => {
      const app = await getApplication(deps.db, tenantId, params.app);
      return { status: 202, body: await startReplay(deps.db, deps.boss, tenantId, app.id, params.endpoint, 'bulk', body, auditOf({ tenantId, actor, origin })) };
    },
  }),
  defineRoute({
    method: 'post',
    path: '/api/v1/app/:app/endpoint/:endpoint/replay-missing',
    auth: 'tenant',
    access: 'write',
    portal: 'CreateAttempts',
    tag,
    operationId: 'v1.endpoint.replay-missing',
    summary: "Send this endpoint the application's messages since a time that it never had a delivery of (a background task)",
    params: endpointPath,
    body: replayInSchema,
    response: { status: 202, schema: taskStartedOutSchema },
    handler: async ({ deps, tenantId, actor, origin, params, body }) => {
      const app = await getApplication(deps.db, tenantId, params.app);
      return { status: 202, body: await startReplay(deps.db, deps.boss, tenantId, app.id, params.endpoint, 'missing', body, auditOf({ tenantId, actor, origin })) };
    },
  }),
  defineRoute({
    method: 'post',
    path: '/api/v1/app/:app/endpoint/:endpoint/send-example',
    auth: 'tenant',
    access: 'write',
    tag,
    operationId: 'v1.endpoint.send-example',
    summary: "Send this endpoint an example message: svix.ping, or the event type's schema example",
    params: endpointPath,
    body: eventExampleInSchema,
    response: { status: 202, schema: messageOutSchema },
    handler: async ({ deps, tenantId, actor, origin, params, body, portal }) => {
      const app = await getApplication(deps.db, tenantId, params.app);
      const retention = { payloadRetentionDays: deps.config.payloadRetentionDays };
      const audit = auditOf({ tenantId, actor, origin });
      return { status: 202, body: await sendExample(deps.db, deps.boss, tenantId, app.id, params.endpoint, body, retention, audit, portal?.featureFlags) };
    },
  }),
  defineRoute({
    method: 'get',
    path: '/api/v1/app/:app/endpoint/:endpoint/stats',
    auth: 'tenant',
    access: 'read',
    tag,
    operationId: 'v1.endpoint.get-stats',
    summary: 'Count the deliveries to this endpoint by status (messages sent between since and until)',
    params: endpointPath,
    query: endpointStatsQuerySchema,
    response: { status: 200, schema: endpointStatsSchema },
    handler: async ({ deps, tenantId, params, query }) => {
      const app = await getApplication(deps.db, tenantId, params.app);
      return { status: 200, body: await getEndpointStats(deps.db, tenantId, app.id, params.endpoint, query) };
    },
  }),
];
