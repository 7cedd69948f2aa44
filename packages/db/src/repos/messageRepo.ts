import { sql, type Compilable, type ExpressionBuilder, type InsertObject, type RawBuilder, type SelectQueryBuilder } from 'kysely';
import type { Database } from '../connect.ts';
import type { DB, MessageRow } from '../schema.ts';
import { applicationByIdOrUid } from './applicationRepo.ts';
import { pageQuery, selectNoContent, selectWithinBytes, type Page, type PageFit } from './page.ts';

/** Every message column but the payload, which can be large and is read only when shown. */
export const MESSAGE_HEADER = [
  'message.id',
  'message.tenantId',
  'message.appId',
  'message.eventType',
  'message.eventId',
  'message.channels',
  'message.tags',
  'message.createdAt',
  'message.expiresAt',
] as const;

/**
 * A statement that runs with a message insert, in the same statement: a data-modifying CTE that
 * sees the inserted row as the CTE `inserted` (none when the eventId was taken), e.g. its fan-out
 * job, which then commits exactly when the message does.
 */
export type Alongside = (inserted: string) => RawBuilder<unknown>;

/** A message insert as a query to run (or to make a StatementTemplate of). */
export type MessageInsertQuery = Compilable<MessageRow> & { executeTakeFirst(): Promise<MessageRow | undefined> };

export type NewMessageRow = Omit<MessageRow, 'createdAt' | 'tags'> & { createdAt?: Date; tags?: string[] | null };
/** A message for the application found by id or uid (see insertMessageIntoApplication). */
export type NewMessageInApplication = Omit<NewMessageRow, 'appId'> & { appIdOrUid: string };

type MessageValues = Omit<InsertObject<DB, 'message'>, 'appId'> & { appId: string | SelectQueryBuilder<DB, 'application', { id: string }> };

/**
 * A repeated eventId for the same application inserts nothing (the caller reports a conflict).
 * The eventId is claimed first, in message_event_id (ON CONFLICT DO NOTHING): the partitioned
 * message table cannot hold a unique index on it. The message is inserted only with its claim, in
 * the same statement: an INSERT … SELECT whose WHERE sees the claim. A message without an eventId
 * gets a statement without the claim: planning and starting its unused CTE cost a publish about a
 * tenth of the statement's time (docs/performance.md).
 */
function insertUnlessEventIdTaken(db: Database, values: MessageValues, alongside?: Alongside): MessageInsertQuery {
  const { appId, eventId, ...rest } = values;
  const app = (eb: ExpressionBuilder<DB, never>) => (typeof appId === 'string' ? eb.val(appId) : appId);
  const columns = Object.keys(rest) as Array<Extract<keyof typeof rest, string>>;
  const row = (eb: ExpressionBuilder<DB, never>) => [...columns.map((c) => eb.val(rest[c]).as(c)), app(eb).as('appId')];
  let query;
  if (eventId === null || eventId === undefined) {
    query = db.with('inserted', () =>
      db
        .insertInto('message')
        .columns([...columns, 'appId'])
        .expression(db.selectNoFrom(row))
        .returningAll(),
    );
  } else {
    const claimed = db
      .insertInto('messageEventId')
      .columns(['tenantId', 'appId', 'eventId', 'msgId'])
      .expression(
        db
          .selectNoFrom((eb) => [
            eb.val(values.tenantId as string).as('tenantId'),
            app(eb).as('appId'),
            eb.val(eventId).as('eventId'),
            eb.val(values.id as string).as('msgId'),
          ])
          // Without the application the claim is skipped: the message insert then reports it (isNullAppId).
          .$if(typeof appId !== 'string', (q) => q.where((eb) => eb(appId as SelectQueryBuilder<DB, 'application', { id: string }>, 'is not', null))),
      )
      .onConflict((oc) => oc.columns(['appId', 'eventId']).doNothing())
      .returning('msgId');
    const insert = db
      .insertInto('message')
      .columns([...columns, 'appId', 'eventId'])
      .expression(
        db.selectNoFrom((eb) => [...row(eb), eb.val(eventId).as('eventId')]).where((eb) => eb.exists(eb.selectFrom('claimed' as never).select(sql.lit(1).as('one')))),
      )
      .returningAll();
    query = db.with('claimed', () => claimed).with('inserted', () => insert);
  }
  // Kysely's types take only its builders as CTEs, but it compiles any node: a raw one in parentheses.
  const withAlongside = alongside ? query.with('alongside', () => sql`(${alongside('inserted')})` as never) : query;
  return withAlongside.selectFrom('inserted').selectAll();
}

export async function insertMessage(db: Database, row: NewMessageRow, alongside?: Alongside): Promise<MessageRow | undefined> {
  return insertUnlessEventIdTaken(db, row, alongside).executeTakeFirst();
}

/**
 * insertMessage into the application found by id or uid as findApplication finds it, looked up in
 * the same statement: a publish makes one round trip fewer. Without such an application app_id is
 * NULL, which its NOT NULL constraint refuses (isNullAppId tells that error apart).
 */
export function insertMessageIntoApplication(db: Database, row: NewMessageInApplication, alongside?: Alongside): MessageInsertQuery {
  const { appIdOrUid, ...rest } = row;
  return insertUnlessEventIdTaken(db, { ...rest, appId: applicationByIdOrUid(db, row.tenantId, appIdOrUid).select('id') }, alongside);
}

const MESSAGE_TABLE = /^message(?:_legacy|_default|_p\d{8}t\d{4})?$/;

/** True for the error of insertMessageIntoApplication when the application does not exist. */
export function isNullAppId(err: unknown): boolean {
  const e = err as { code?: unknown; table?: unknown; column?: unknown } | null;
  // PostgreSQL names the partition the row was routed to (message_p20261206t0000, message_legacy, message_default).
  return typeof e === 'object' && e !== null && e.code === '23502' && typeof e.table === 'string' && MESSAGE_TABLE.test(e.table) && e.column === 'app_id';
}

/**
 * Finds a message of the tenant's application by id or by its eventId (an eventId never starts
 * with `msg_`, so one lookup answers; a legacy one that does is tried after the id). By id it reads
 * one partition; by eventId, the claim gives the id.
 */
export async function findMessage(db: Database, tenantId: string, appId: string, idOrEventId: string): Promise<MessageRow | undefined> {
  if (idOrEventId.startsWith('msg_')) {
    const byId = await db.selectFrom('message').selectAll().where('tenantId', '=', tenantId).where('appId', '=', appId).where('id', '=', idOrEventId).executeTakeFirst();
    if (byId) return byId;
  }
  return db
    .selectFrom('messageEventId as e')
    .innerJoin('message', 'message.id', 'e.msgId')
    .selectAll('message')
    .where('e.tenantId', '=', tenantId)
    .where('e.appId', '=', appId)
    .where('e.eventId', '=', idOrEventId)
    .where('message.tenantId', '=', tenantId)
    .where('message.appId', '=', appId)
    .executeTakeFirst();
}

/** A page of the application's messages; payloads only `withPayload`, and then within the page's byte budget. */
export async function listMessages(
  db: Database,
  tenantId: string,
  appId: string,
  page: Page,
  filter: { eventTypes?: string[]; channel?: string; tag?: string; before?: Date; after?: Date; withPayload: boolean },
): Promise<Array<MessageRow & PageFit>> {
  let q = db
    .selectFrom('message')
    .select(MESSAGE_HEADER)
    .select(filter.withPayload ? selectWithinBytes('message.payload', 'payload', page, 'message.id') : selectNoContent('payload'))
    .where('tenantId', '=', tenantId)
    .where('appId', '=', appId);
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
  return pageQuery(q, page, 'message.id').execute();
}

/** Removes a message's payload for good (Svix's expunge-content); it cannot be delivered again after this. */
export async function expungePayload(db: Database, tenantId: string, msgId: string): Promise<void> {
  await db.updateTable('message').set({ payload: null }).where('tenantId', '=', tenantId).where('id', '=', msgId).execute();
}

/**
 * Deletes the payloads of the next `limit` messages of an application that still have one, in id
 * order after `afterMsgId` up to `untilMsgId` (expunge-all-contents, one batch). Reads the
 * application's messages through message_app_idx, so no other tenant's history. Returns the ids
 * whose payload went, in id order.
 */
export async function expungePayloadsOfApp(
  db: Database,
  range: { tenantId: string; appId: string; afterMsgId?: string | undefined; untilMsgId: string },
  limit: number,
): Promise<string[]> {
  const after = range.afterMsgId;
  const batch = db
    .selectFrom('message')
    .select('id')
    .where('tenantId', '=', range.tenantId)
    .where('appId', '=', range.appId)
    .where('id', '<=', range.untilMsgId)
    .$if(after !== undefined, (q) => q.where('id', '>', after!))
    .where('payload', 'is not', null)
    .orderBy('id')
    .limit(limit);
  // The id bounds again on the update itself, so only the partitions of the range are touched.
  const rows = await db
    .updateTable('message')
    .set({ payload: null })
    .where('tenantId', '=', range.tenantId)
    .where('id', '<=', range.untilMsgId)
    .$if(after !== undefined, (q) => q.where('id', '>', after!))
    .where('id', 'in', batch)
    .returning('id')
    .execute();
  return rows.map((r) => r.id).sort();
}
