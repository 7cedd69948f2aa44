import { z } from 'zod';
import { backgroundTaskListQuerySchema, backgroundTaskListSchema, backgroundTaskOutSchema, getBackgroundTask, listBackgroundTasks } from '@hookline/core';
import { defineRoute } from '../http/route.ts';

const tag = 'Background Task';

export const backgroundTaskRoutes = [
  defineRoute({
    method: 'get',
    path: '/api/v1/background-task',
    auth: 'tenant',
    access: 'read',
    tag,
    operationId: 'v1.background-task.list',
    summary: 'List background tasks (recover, replay, bulk-replay), newest first; filter by status and kind',
    query: backgroundTaskListQuerySchema,
    response: { status: 200, schema: backgroundTaskListSchema },
    handler: async ({ deps, tenantId, query }) => ({ status: 200, body: await listBackgroundTasks(deps.db, tenantId, { ...query, maxBytes: deps.config.maxPageBytes }) }),
  }),
  defineRoute({
    method: 'get',
    path: '/api/v1/background-task/:task_id',
    auth: 'tenant',
    access: 'read',
    tag,
    // A portal session follows the replays it starts: it reads only tasks on its own application's endpoints.
    portal: 'ViewBase',
    operationId: 'v1.background-task.get',
    summary: 'Get a background task: its status and progress (`data`, e.g. `{messagesSent: 2}`)',
    params: z.object({ task_id: z.string().min(1).max(64) }),
    response: { status: 200, schema: backgroundTaskOutSchema },
    handler: async ({ deps, tenantId, params, portal }) => ({ status: 200, body: await getBackgroundTask(deps.db, tenantId, params.task_id, portal?.appId) }),
  }),
];
