import { applicationRepo, deliveryStatsRepo, type Database } from '@hookline/db';
import type { ListPage, ListParams } from '../pagination.ts';
import type { ApplicationListItem, ApplicationOut, ApplicationStats } from './applicationSchemas.ts';
import { listApplications } from './applications.ts';

const HOUR_MS = 3_600_000;

/**
 * A page of applications (listApplications), each with its endpoints by state and its attempts of
 * the last 24 hours: two grouped reads for the whole page, by its application ids (the endpoints'
 * index and the statistics' hour rows), whatever the tenant's history.
 */
export async function listApplicationsWithStats(
  db: Database,
  tenantId: string,
  params: ListParams & { search?: string | undefined },
  now = new Date(),
): Promise<ListPage<ApplicationListItem>> {
  const page = await listApplications(db, tenantId, params);
  const ids = page.data.map((a) => a.id);
  const fromHour = new Date(Math.floor((now.getTime() - 24 * HOUR_MS) / HOUR_MS) * HOUR_MS);
  const [endpoints, attempts] = await Promise.all([
    applicationRepo.countEndpointsByState(db, tenantId, ids),
    deliveryStatsRepo.countAttemptsByApp(db, tenantId, ids, fromHour),
  ]);
  const statsOf = (app: ApplicationOut): ApplicationStats => {
    const e = endpoints.find((r) => r.appId === app.id) ?? { endpoints: 0, failing: 0, disabled: 0 };
    const a = attempts.find((r) => r.appId === app.id) ?? { success: 0, fail: 0 };
    return {
      endpoints: e.endpoints,
      failingEndpoints: e.failing,
      disabledEndpoints: e.disabled,
      health: healthOf(e),
      last24h: { success: a.success, fail: a.fail, successRate: a.success + a.fail === 0 ? null : a.success / (a.success + a.fail) },
    };
  };
  return { ...page, data: page.data.map((app) => ({ ...app, stats: statsOf(app) })) };
}

function healthOf(e: { endpoints: number; failing: number; disabled: number }): ApplicationStats['health'] {
  const enabled = e.endpoints - e.disabled;
  if (e.endpoints === 0) return 'noEndpoints';
  if (enabled === 0) return 'disabled';
  if (e.failing === 0) return 'healthy';
  return e.failing === enabled ? 'failing' : 'degraded';
}
