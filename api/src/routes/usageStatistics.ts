import { aggregateAppStats, aggregateEventTypes, aggregateEventTypesOutSchema, appUsageStatsInSchema, appUsageStatsOutSchema } from '@hookline/core';
import { defineRoute } from '../http/route.ts';

const tag = 'Statistics';

// Svix's usage statistics of the whole tenant (its "environment"): each answers a background task
// that Hookline records already finished, its result in the task's data (see core's usage.ts).
export const usageStatisticsRoutes = [
  defineRoute({
    method: 'post',
    path: '/api/v1/stats/usage/app',
    auth: 'tenant',
    access: 'read',
    tag,
    operationId: 'v1.statistics.aggregate-app-stats',
    summary:
      "Count the attempts made to each application's endpoints between since and until (hours that overlap the range): an `application.stats` task, its result in `data.appStats`",
    body: appUsageStatsInSchema,
    response: { status: 202, schema: appUsageStatsOutSchema },
    handler: async ({ deps, tenantId, body }) => ({ status: 202, body: await aggregateAppStats(deps.db, tenantId, body) }),
  }),
  defineRoute({
    method: 'put',
    path: '/api/v1/stats/usage/event-types',
    auth: 'tenant',
    access: 'read',
    tag,
    operationId: 'v1.statistics.aggregate-event-types',
    summary: "List each application's subscribed event types and whether it has a catch-all endpoint: an `event-type.aggregate` task, its result in `data.event_types`",
    response: { status: 202, schema: aggregateEventTypesOutSchema },
    handler: async ({ deps, tenantId }) => ({ status: 202, body: await aggregateEventTypes(deps.db, tenantId) }),
  }),
];
