import { tenantRepo, usageRepo, type Database } from '@hookline/db';
import { paginate, type ListPage, type ListParams } from '../pagination.ts';
import type { TenantUsage } from './usageSchemas.ts';

const DAY_MS = 86_400_000;
const dayOf = (t: number): string => new Date(t).toISOString().slice(0, 10);

/**
 * A page of tenants with their usage: messages per UTC day over the last `days` days (counted at
 * fan-out, see 0026_console_usage_counters), applications, endpoints, and an estimate of their
 * storage: the bytes of every history partition times the tenant's share of the messages counted
 * within the message retention (so it assumes tenants' messages of a like size and fan-out).
 * Reads counters, the tenants' own rows and the catalog, never history.
 */
export async function listTenantUsage(
  db: Database,
  params: ListParams & { days: number },
  settings: { messageRetentionDays: number },
  now = new Date(),
): Promise<ListPage<TenantUsage>> {
  const page = await paginate(
    params,
    'ascending',
    (p) => tenantRepo.listTenants(db, p),
    (row) => row,
  );
  const ids = page.data.map((t) => t.id);
  const today = Math.floor(now.getTime() / DAY_MS) * DAY_MS;
  const days = Array.from({ length: params.days }, (_, i) => dayOf(today - (params.days - 1 - i) * DAY_MS));
  const retainedFrom = dayOf(today - Math.max(0, Math.ceil(settings.messageRetentionDays) - 1) * DAY_MS);
  const [objects, perDay, retained, historyBytes] = await Promise.all([
    usageRepo.countObjectsOfTenants(db, ids),
    usageRepo.countMessagesByDay(db, ids, days[0]!),
    usageRepo.countMessagesSince(db, retainedFrom),
    usageRepo.measureHistoryBytes(db),
  ]);
  const data = page.data.map((t): TenantUsage => {
    const counts = new Map(perDay.filter((r) => r.tenantId === t.id).map((r) => [r.day, r.messages]));
    const series = days.map((day) => ({ day, messages: counts.get(day) ?? 0 }));
    const share = retained.total === 0 ? 0 : (retained.byTenant.get(t.id) ?? 0) / retained.total;
    const o = objects.find((x) => x.tenantId === t.id) ?? { applications: 0, endpoints: 0 };
    return {
      id: t.id,
      name: t.name,
      createdAt: t.createdAt,
      applications: o.applications,
      endpoints: o.endpoints,
      messages: { total: series.reduce((s, d) => s + d.messages, 0), perDay: series },
      storage: { bytesEstimate: Math.round(historyBytes * share), share },
    };
  });
  return { ...page, data };
}
