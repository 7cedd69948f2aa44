import { getStatSeriesOf, getStatsOverview, statSeriesQuerySchema, statSeriesSchema, statsOverviewQuerySchema, statsOverviewSchema } from '@hookline/core';
import { defineRoute } from '../http/route.ts';
import { appPath, endpointPath } from './paths.ts';

const tag = 'Statistics';
const response = { status: 200, schema: statSeriesSchema };

// Pre-aggregated attempt statistics per minute or hour (the portal's chart, the console). Portal
// tokens may read their application's and its endpoints' (GETs under /app/:app need ViewBase).
export const statisticsRoutes = [
  defineRoute({
    method: 'get',
    path: '/api/v1/app/:app/endpoint/:endpoint/stats/series',
    auth: 'tenant',
    access: 'read',
    tag,
    operationId: 'v1.statistics.endpoint-series',
    summary: "This endpoint's attempts per minute or hour: outcomes, response classes, latency percentiles",
    params: endpointPath,
    query: statSeriesQuerySchema,
    response,
    handler: async ({ deps, tenantId, params, query }) => ({
      status: 200,
      body: await getStatSeriesOf(deps.db, tenantId, { app: params.app, endpoint: params.endpoint }, query),
    }),
  }),
  defineRoute({
    method: 'get',
    path: '/api/v1/app/:app/stats/series',
    auth: 'tenant',
    access: 'read',
    tag,
    operationId: 'v1.statistics.app-series',
    summary: "The application's attempts (all its endpoints) per minute or hour",
    params: appPath,
    query: statSeriesQuerySchema,
    response,
    handler: async ({ deps, tenantId, params, query }) => ({ status: 200, body: await getStatSeriesOf(deps.db, tenantId, { app: params.app }, query) }),
  }),
  defineRoute({
    method: 'get',
    path: '/api/v1/stats/series',
    auth: 'tenant',
    access: 'read',
    tag,
    operationId: 'v1.statistics.tenant-series',
    summary: "The tenant's attempts (all its applications) per minute or hour",
    query: statSeriesQuerySchema,
    response,
    handler: async ({ deps, tenantId, query }) => ({ status: 200, body: await getStatSeriesOf(deps.db, tenantId, {}, query) }),
  }),
  defineRoute({
    method: 'get',
    path: '/api/v1/stats/overview',
    auth: 'tenant',
    access: 'read',
    tag,
    operationId: 'v1.statistics.overview',
    summary:
      "The console's overview of the tenant over the last `window` (hour, day, week): attempts per bucket, success rate and latency percentiles, the backlog, the endpoints failing now with their last error, and those disabled by the delivery worker",
    query: statsOverviewQuerySchema,
    response: { status: 200, schema: statsOverviewSchema },
    handler: async ({ deps, tenantId, query }) => ({ status: 200, body: await getStatsOverview(deps.db, tenantId, query) }),
  }),
];
