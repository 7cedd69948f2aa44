import type { InsertObject } from 'kysely';
import type { Database } from '../connect.ts';
import type { DB, MessageRow } from '../schema.ts';
import { applicationByIdOrUid } from './applicationRepo.ts';
import { pageQuery, type Page } from './page.ts';

/** A repeated eventId for the same application inserts nothing (the caller reports a conflict). */
function insertUnlessEventIdTaken(db: Database, values: InsertObject<DB, 'message'>): Promise<MessageRow | undefined> {
  return db.insertInto('message').values(values)
    .onConflict((oc) => oc.columns(['appId', 'eventId']).where('eventId', 'is not', null).doNothing())
    .returningAll().executeTakeFirst();
}

export async function insertMessage(db: Database, row: Omit<MessageRow, 'createdAt' | 'tags'> & { createdAt?: Date; tags?: string[] | null }): Promise<MessageRow | undefined> {
  return insertUnlessEventIdTaken(db, row);
}

/**
 * insertMessage into the application found by id or uid as findApplication finds it, looked up in
 * the same statement: a publish makes one round trip fewer. Without such an application app_id is
 * NULL, which its NOT NULL constraint refuses (isNullAppId tells that error apart).
 */
export async function insertMessageIntoApplication(
  db: Database,
  row: Omit<MessageRow, 'createdAt' | 'tags' | 'appId'> & { appIdOrUid: string; createdAt?: Date; tags?: string[] | null },
): Promise<MessageRow | undefined> {
  const { appIdOrUid, ...rest } = row;
  return insertUnlessEventIdTaken(db, { ...rest, appId: applicationByIdOrUid(db, row.tenantId, appIdOrUid).select('id') });
}

/** True for the error of insertMessageIntoApplication when the application does not exist. */
export function isNullAppId(err: unknown): boolean {
  const e = err as { code?: unknown; table?: unknown; column?: unknown } | null;
  return typeof e === 'object' && e !== null && e.code === '23502' && e.table === 'message' && e.column === 'app_id';
}

/** Finds a message of the tenant's application by id or by its eventId. */
export async function findMessage(db: Database, tenantId: string, appId: string, idOrEventId: string): Promise<MessageRow | undefined> {
  return db.selectFrom('message').selectAll()
    .where('tenantId', '=', tenantId).where('appId', '=', appId)
    .where((eb) => eb.or([eb('id', '=', idOrEventId), eb('eventId', '=', idOrEventId)]))
    .orderBy((eb) => eb.case().when('id', '=', idOrEventId).then(0).else(1).end())
    .limit(1)
    .executeTakeFirst();
}

/** Loads a message for delivery: only the worker calls this, with the tenant from the job. */
export async function findMessageForDelivery(db: Database, tenantId: string, msgId: string): Promise<MessageRow | undefined> {
  return db.selectFrom('message').selectAll().where('tenantId', '=', tenantId).where('id', '=', msgId).executeTakeFirst();
}

export async function listMessages(
  db: Database,
  tenantId: string,
  appId: string,
  page: Page,
  filter: { eventTypes?: string[]; channel?: string; tag?: string; before?: Date; after?: Date },
): Promise<MessageRow[]> {
  let q = db.selectFrom('message').selectAll().where('tenantId', '=', tenantId).where('appId', '=', appId);
  if (filter.eventTypes && filter.eventTypes.length > 0) q = q.where('eventType', 'in', filter.eventTypes);
  if (filter.channel !== undefined) {
    const channel = filter.channel;
    q = q.where((eb) => eb(eb.val(channel), '=', eb.fn.any('channels')));
  }
  if (filter.tag !== undefined) {
    const tag = filter.tag;
    q = q.where((eb) => eb(eb.val(tag), '=', eb.fn.any('tags')));
  }
  if (filter.before) q = q.where('createdAt', '<', filter.before);
  if (filter.after) q = q.where('createdAt', '>', filter.after);
  return pageQuery(q, page).execute();
}

/** Removes a message's payload for good (Svix's expunge-content); it cannot be delivered again after this. */
export async function expungePayload(db: Database, tenantId: string, msgId: string): Promise<void> {
  await db.updateTable('message').set({ payload: null }).where('tenantId', '=', tenantId).where('id', '=', msgId).execute();
}
