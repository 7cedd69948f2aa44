import { sql, type Insertable } from 'kysely';
import type { Database } from '../connect.ts';
import type { MessageRow, PollerRow, PollerTable } from '../schema.ts';
import { MESSAGE_HEADER } from './messageRepo.ts';
import { selectWithinBytes, type Page, type PageFit } from './page.ts';

export async function insertPoller(db: Database, row: Insertable<PollerTable>): Promise<PollerRow> {
  return db.insertInto('poller').values(row).returningAll().executeTakeFirstOrThrow();
}

/** The application's poller by id or uid. */
export async function findPoller(db: Database, tenantId: string, appId: string, idOrUid: string): Promise<PollerRow | undefined> {
  return db
    .selectFrom('poller')
    .selectAll()
    .where('tenantId', '=', tenantId)
    .where('appId', '=', appId)
    .where((eb) => eb.or([eb('id', '=', idOrUid), eb('uid', '=', idOrUid)]))
    .executeTakeFirst();
}

/** A page of the application's pollers by id (keyset, see page.ts). */
export async function listPollers(db: Database, tenantId: string, appId: string, page: Page): Promise<PollerRow[]> {
  let q = db.selectFrom('poller').selectAll().where('tenantId', '=', tenantId).where('appId', '=', appId);
  if (page.afterId !== undefined) q = q.where('id', '>', page.afterId);
  if (page.beforeId !== undefined) q = q.where('id', '<', page.beforeId);
  return q.orderBy('id', page.direction).limit(page.limit).execute();
}

/** Deletes a poller and (by cascade) its consumers' positions; false when there was none. */
export async function deletePoller(db: Database, tenantId: string, pollerId: string): Promise<boolean> {
  const res = await db.deleteFrom('poller').where('tenantId', '=', tenantId).where('id', '=', pollerId).executeTakeFirst();
  return res.numDeletedRows > 0n;
}

/** What a poll reads: the poller's filter, an optional narrower one of the request, and the id window. */
export interface PollRead {
  tenantId: string;
  appId: string;
  /** Exclusive: the iterator's position. */
  afterId: string;
  /** Exclusive: messages from here on may still be committing (see HOOKLINE_POLLER_SETTLE_MS). */
  beforeId: string;
  limit: number;
  maxBytes: number;
  /** The poller's filters (null: all). */
  eventTypes: string[] | null;
  channels: string[] | null;
  /** The request's own filters. */
  eventType?: string | undefined;
  channel?: string | undefined;
}

/**
 * The application's messages after `afterId`, in id (publish) order, through the (tenant_id,
 * app_id, id) index. Both id bounds are on the partition key, so only the partitions between them
 * are read (pruned at plan or executor start). Payloads within the byte budget (see
 * selectWithinBytes): a row whose payload was left unread comes with `fitsPage` false.
 */
export async function readAfter(db: Database, read: PollRead): Promise<Array<MessageRow & PageFit>> {
  const page: Page = { limit: read.limit, direction: 'asc', maxBytes: read.maxBytes };
  let q = db
    .selectFrom('message')
    .select(MESSAGE_HEADER)
    .select(selectWithinBytes('message.payload', 'payload', page, 'message.id'))
    .where('tenantId', '=', read.tenantId)
    .where('appId', '=', read.appId)
    .where('id', '>', read.afterId)
    .where('id', '<', read.beforeId);
  if (read.eventTypes) q = q.where('eventType', 'in', read.eventTypes);
  if (read.channels) {
    const channels = read.channels;
    q = q.where(sql<boolean>`${sql.ref('channels')} && ${channels}::text[]`);
  }
  if (read.eventType !== undefined) q = q.where('eventType', '=', read.eventType);
  if (read.channel !== undefined) {
    const channel = read.channel;
    q = q.where((eb) => eb(eb.val(channel), '=', eb.fn.any('channels')));
  }
  return q.orderBy('message.id', 'asc').limit(read.limit).execute();
}

/**
 * A consumer's position, locked for the rest of the transaction (made at `initial` if the consumer
 * is new): two polls of one consumer at once then take turns, and neither is given the other's
 * messages.
 */
export async function lockConsumerPosition(db: Database, tenantId: string, pollerId: string, consumerId: string, initial: string): Promise<string> {
  await db
    .insertInto('pollerConsumer')
    .values({ tenantId, pollerId, consumerId, position: initial })
    .onConflict((oc) => oc.doNothing())
    .execute();
  const row = await db
    .selectFrom('pollerConsumer')
    .select('position')
    .where('tenantId', '=', tenantId)
    .where('pollerId', '=', pollerId)
    .where('consumerId', '=', consumerId)
    .forUpdate()
    .executeTakeFirstOrThrow();
  return row.position;
}

export async function setConsumerPosition(db: Database, tenantId: string, pollerId: string, consumerId: string, position: string): Promise<void> {
  await db
    .insertInto('pollerConsumer')
    .values({ tenantId, pollerId, consumerId, position })
    .onConflict((oc) => oc.columns(['pollerId', 'consumerId']).doUpdateSet({ position, updatedAt: new Date() }))
    .execute();
}
