import { backgroundTaskRepo, endpointRepo, type BackgroundTaskRow, type Database } from '@hookline/db';
import { NotFoundError } from '../errors.ts';
import { paginate, type ListPage, type ListParams } from '../pagination.ts';
import type { BackgroundTaskListQuery, BackgroundTaskOut } from './backgroundTaskSchemas.ts';

/** Progress fields kept for the worker only (where to resume, when resends were queued): not part of Svix's data. */
const INTERNAL_FIELDS = new Set(['queuedAt']);

export function toBackgroundTaskOut(row: BackgroundTaskRow): BackgroundTaskOut {
  const data = Object.fromEntries(Object.entries(row.data).filter(([k]) => !INTERNAL_FIELDS.has(k)));
  return { id: row.id, status: row.status as BackgroundTaskOut['status'], task: row.task as BackgroundTaskOut['task'], data, updatedAt: row.updatedAt };
}

/**
 * One task of the tenant; with `appId` (a portal token's application) only a task that works on
 * one of that application's endpoints: any other is a 404, as another application's objects are.
 */
export async function getBackgroundTask(db: Database, tenantId: string, id: string, appId?: string): Promise<BackgroundTaskOut> {
  const row = await backgroundTaskRepo.findBackgroundTask(db, tenantId, id);
  if (!row) throw new NotFoundError('Background task not found');
  if (appId !== undefined && (!row.endpointId || !(await endpointRepo.findEndpoint(db, tenantId, appId, row.endpointId)))) {
    throw new NotFoundError('Background task not found');
  }
  return toBackgroundTaskOut(row);
}

/** The tenant's tasks, newest first by default (Svix's order for this list). */
export async function listBackgroundTasks(
  db: Database,
  tenantId: string,
  query: BackgroundTaskListQuery & Pick<ListParams, 'maxBytes'>,
): Promise<ListPage<BackgroundTaskOut>> {
  return paginate(
    query,
    'descending',
    (page) => backgroundTaskRepo.listBackgroundTasks(db, tenantId, page, { status: query.status, task: query.task }),
    toBackgroundTaskOut,
  );
}
