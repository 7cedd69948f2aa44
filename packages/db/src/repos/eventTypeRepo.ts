import { sql, type ExpressionBuilder, type Insertable, type OnConflictDatabase, type OnConflictTables, type Updateable } from 'kysely';
import type { Database } from '../connect.ts';
import type { DB, EventTypeRow, EventTypeTable } from '../schema.ts';

export type NewEventTypeRow = Insertable<EventTypeTable>;
export type EventTypeUpdate = Updateable<EventTypeTable>;

/** What a create or an upsert replaces when the name already exists: every field but the key and createdAt. */
const replaceWithIncoming = (eb: ExpressionBuilder<OnConflictDatabase<DB, 'eventType'>, OnConflictTables<'eventType'>>) => ({
  description: eb.ref('excluded.description'),
  archived: eb.ref('excluded.archived'),
  deprecated: eb.ref('excluded.deprecated'),
  // Read as parsed JSON but written as JSON text, so Kysely's types cannot copy the column as is.
  schemas: sql<string | null>`excluded.schemas`,
  featureFlags: eb.ref('excluded.featureFlags'),
  groupName: eb.ref('excluded.groupName'),
  updatedAt: new Date(),
});

/**
 * Inserts an event type, or revives an archived one of that name with the new fields, in one
 * statement. Undefined when a live (not archived) one exists: the caller reports a conflict.
 */
export async function createOrUnarchiveEventType(db: Database, row: NewEventTypeRow): Promise<EventTypeRow | undefined> {
  return db
    .insertInto('eventType')
    .values(row)
    .onConflict((oc) => oc.columns(['tenantId', 'name']).doUpdateSet(replaceWithIncoming).where('eventType.archived', '=', true))
    .returningAll()
    .executeTakeFirst();
}

/** Inserts or replaces an event type; `inserted` tells which (xmax is 0 only for a fresh row version). */
export async function upsertEventType(db: Database, row: NewEventTypeRow): Promise<EventTypeRow & { inserted: boolean }> {
  return db
    .insertInto('eventType')
    .values(row)
    .onConflict((oc) => oc.columns(['tenantId', 'name']).doUpdateSet(replaceWithIncoming))
    .returningAll()
    .returning(sql<boolean>`(xmax = 0)`.as('inserted'))
    .executeTakeFirstOrThrow();
}

/** An event type by name, archived or not. */
export async function findEventType(db: Database, tenantId: string, name: string): Promise<EventTypeRow | undefined> {
  return db.selectFrom('eventType').selectAll().where('tenantId', '=', tenantId).where('name', '=', name).executeTakeFirst();
}

export async function updateEventType(db: Database, tenantId: string, name: string, update: EventTypeUpdate): Promise<EventTypeRow | undefined> {
  return db.updateTable('eventType').set(update).where('tenantId', '=', tenantId).where('name', '=', name).returningAll().executeTakeFirst();
}

/** Removes the row itself (an expunge); archiving is an update. */
export async function deleteEventType(db: Database, tenantId: string, name: string): Promise<boolean> {
  const res = await db.deleteFrom('eventType').where('tenantId', '=', tenantId).where('name', '=', name).executeTakeFirst();
  return res.numDeletedRows > 0n;
}

/**
 * Only event types without feature flags or with one of `featureFlags` (a portal session's flags);
 * with `featureFlags` undefined, every event type.
 */
const withFeatureFlags = (featureFlags: readonly string[] | undefined) => (eb: ExpressionBuilder<DB, 'eventType'>) =>
  featureFlags === undefined ? eb.lit(true) : eb.or([eb('featureFlags', 'is', null), eb('featureFlags', '&&', sql<string[]>`${sql.val([...featureFlags])}::text[]`)]);

export async function listEventTypes(
  db: Database,
  tenantId: string,
  page: { limit: number; direction: 'asc' | 'desc'; afterName?: string; beforeName?: string; includeArchived: boolean; featureFlags?: readonly string[] | undefined },
): Promise<EventTypeRow[]> {
  let q = db.selectFrom('eventType').selectAll().where('tenantId', '=', tenantId);
  if (!page.includeArchived) q = q.where('archived', '=', false);
  if (page.featureFlags !== undefined) q = q.where(withFeatureFlags(page.featureFlags));
  if (page.afterName !== undefined) q = q.where('name', '>', page.afterName);
  if (page.beforeName !== undefined) q = q.where('name', '<', page.beforeName);
  return q.orderBy('name', page.direction).limit(page.limit).execute();
}

/** Names from `names` that are not live event types of the tenant (or not visible with `featureFlags`, see listEventTypes). */
export async function findMissingEventTypes(db: Database, tenantId: string, names: string[], featureFlags?: readonly string[]): Promise<string[]> {
  if (names.length === 0) return [];
  const rows = await db
    .selectFrom('eventType')
    .select('name')
    .where('tenantId', '=', tenantId)
    .where('name', 'in', names)
    .where('archived', '=', false)
    .where(withFeatureFlags(featureFlags))
    .execute();
  const found = new Set(rows.map((r) => r.name));
  return names.filter((n) => !found.has(n));
}

/** The names of the tenant's live (not archived) event types: what an import with replaceAll compares against. */
export async function listLiveEventTypeNames(db: Database, tenantId: string): Promise<string[]> {
  const rows = await db.selectFrom('eventType').select('name').where('tenantId', '=', tenantId).where('archived', '=', false).orderBy('name').execute();
  return rows.map((r) => r.name);
}

/** The tenant's event types of these names, archived or not. */
export async function findEventTypes(db: Database, tenantId: string, names: readonly string[]): Promise<EventTypeRow[]> {
  if (names.length === 0) return [];
  return db
    .selectFrom('eventType')
    .selectAll()
    .where('tenantId', '=', tenantId)
    .where('name', 'in', [...names])
    .execute();
}

/** Every event type of the tenant, archived ones included, by name: an environment export. */
export async function listAllEventTypes(db: Database, tenantId: string): Promise<EventTypeRow[]> {
  return db.selectFrom('eventType').selectAll().where('tenantId', '=', tenantId).orderBy('name').execute();
}
