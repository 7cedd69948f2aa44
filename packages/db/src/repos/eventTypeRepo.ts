import type { Database } from '../connect.ts';
import type { EventTypeRow } from '../schema.ts';

export async function insertEventType(
  db: Database,
  row: { tenantId: string; name: string; description: string; schemas: string | null; featureFlag: string | null; groupName: string | null; deprecated: boolean; archived: boolean },
): Promise<EventTypeRow | undefined> {
  return db.insertInto('eventType').values(row)
    .onConflict((oc) => oc.columns(['tenantId', 'name']).doNothing())
    .returningAll().executeTakeFirst();
}

export async function listEventTypes(
  db: Database,
  tenantId: string,
  page: { limit: number; direction: 'asc' | 'desc'; afterName?: string; beforeName?: string; includeArchived: boolean },
): Promise<EventTypeRow[]> {
  let q = db.selectFrom('eventType').selectAll().where('tenantId', '=', tenantId);
  if (!page.includeArchived) q = q.where('archived', '=', false);
  if (page.afterName !== undefined) q = q.where('name', '>', page.afterName);
  if (page.beforeName !== undefined) q = q.where('name', '<', page.beforeName);
  return q.orderBy('name', page.direction).limit(page.limit).execute();
}

/** Names from `names` that are not live event types of the tenant. */
export async function findMissingEventTypes(db: Database, tenantId: string, names: string[]): Promise<string[]> {
  if (names.length === 0) return [];
  const rows = await db.selectFrom('eventType').select('name')
    .where('tenantId', '=', tenantId).where('name', 'in', names).where('archived', '=', false).execute();
  const found = new Set(rows.map((r) => r.name));
  return names.filter((n) => !found.has(n));
}
