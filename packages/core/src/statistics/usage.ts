import { applicationRepo, backgroundTaskRepo, deliveryStatsRepo, endpointRepo, type Database } from '@hookline/db';
import type { TaskStartedOut } from '../backgroundTasks/backgroundTaskSchemas.ts';
import { ValidationError } from '../errors.ts';
import { newId } from '../ids.ts';
import type { AppEventTypes, AppStat, AppUsageStatsIn, AppUsageStatsOut } from './usageSchemas.ts';

const HOUR_MS = 3_600_000;

// Svix's usage statistics are background tasks whose result is read with GET /background-task/{id}.
// Hookline computes them from the pre-aggregated hourly statistics and the endpoints' filters, a
// read of one index range each, so it records the task already finished, with its result: a client
// polling the task, as Svix's documentation asks, reads it on its first poll (docs/api.md).

/**
 * The attempts made to each application's endpoints in the hours that overlap [since, until), as a
 * finished `application.stats` task. Named applications that exist each get a line (0 without
 * attempts); ids or uids that name none are listed in `unresolvedAppIds`, and 422 when none resolves.
 */
export async function aggregateAppStats(db: Database, tenantId: string, input: AppUsageStatsIn, now = new Date()): Promise<AppUsageStatsOut> {
  if (input.until <= input.since) throw new ValidationError(['body', 'until'], 'must be after since');
  const fromHour = new Date(Math.floor(input.since.getTime() / HOUR_MS) * HOUR_MS);
  let unresolvedAppIds: string[] = [];
  let named: Array<{ id: string; uid: string | null }> | undefined;
  if (input.appIds) {
    const keys = [...new Set(input.appIds)];
    named = await applicationRepo.findApplicationsByIdOrUid(db, tenantId, keys);
    unresolvedAppIds = keys.filter((k) => !named!.some((a) => a.id === k || a.uid === k));
    if (named.length === 0) throw new ValidationError(['body', 'appIds'], 'none of the given ids or uids names an application');
  }
  const counted = await deliveryStatsRepo.countAttemptsOfApps(db, tenantId, { fromHour, until: input.until, appIds: named?.map((a) => a.id) });
  const byApp = new Map(counted.map((c) => [c.appId, c]));
  const appStats: AppStat[] = named
    ? named.sort((a, b) => (a.id < b.id ? -1 : 1)).map((a) => ({ messageDestinations: byApp.get(a.id)?.attempts ?? 0, appId: a.id, appUid: a.uid }))
    : counted.map((c) => ({ messageDestinations: c.attempts, appId: c.appId, appUid: c.appUid }));
  const task = await recordFinishedTask(db, tenantId, 'application.stats', { appStats }, now);
  return { ...task, unresolvedAppIds };
}

/**
 * For each application with endpoints, the event types its endpoints subscribe to by name and
 * whether one of them takes every type, as a finished `event-type.aggregate` task (`data.event_types`).
 */
export async function aggregateEventTypes(db: Database, tenantId: string, now = new Date()): Promise<TaskStartedOut> {
  const filters = await endpointRepo.listEventTypeFilters(db, tenantId);
  const byApp = new Map<string, { types: Set<string>; catchAll: boolean }>();
  for (const f of filters) {
    const app = byApp.get(f.appId) ?? { types: new Set<string>(), catchAll: false };
    if (f.eventTypes === null) app.catchAll = true;
    else for (const t of f.eventTypes) app.types.add(t);
    byApp.set(f.appId, app);
  }
  const eventTypes: AppEventTypes[] = [...byApp].map(([appId, a]) => ({
    appId,
    explicitlySubscribedEventTypes: [...a.types].sort(),
    hasCatchAllEndpoint: a.catchAll,
  }));
  return recordFinishedTask(db, tenantId, 'event-type.aggregate', { event_types: eventTypes }, now);
}

async function recordFinishedTask(
  db: Database,
  tenantId: string,
  task: 'application.stats' | 'event-type.aggregate',
  data: Record<string, unknown>,
  now: Date,
): Promise<TaskStartedOut> {
  const row = await backgroundTaskRepo.insertBackgroundTask(db, { id: newId('qtask', now), tenantId, task, status: 'finished', data, createdAt: now });
  return { id: row.id, status: 'finished', task, updatedAt: row.updatedAt };
}
