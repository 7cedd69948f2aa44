import { endpointSearchOutSchema, endpointSearchQuerySchema, listResponse, searchEndpoints } from '@hookline/core';
import { defineRoute } from '../http/route.ts';

// Hookline's own: the vendor console's list of every application's endpoints (docs/api.md,
// Searching across applications). Not for portal tokens, which see one application.
export const endpointSearchRoutes = [
  defineRoute({
    method: 'get',
    path: '/api/v1/endpoints',
    auth: 'tenant',
    access: 'read',
    portal: null,
    tag: 'Endpoint',
    operationId: 'v1.endpoint.search',
    summary: "List the tenant's endpoints across its applications (by state and URL host), each with its application, failing state and last attempt",
    query: endpointSearchQuerySchema,
    response: { status: 200, schema: listResponse(endpointSearchOutSchema) },
    handler: async ({ deps, tenantId, query }) => {
      const { limit, iterator, order, ...filter } = query;
      return { status: 200, body: await searchEndpoints(deps.db, tenantId, { limit, iterator, order }, filter) };
    },
  }),
];
