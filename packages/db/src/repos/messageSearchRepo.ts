import { sql, type ExpressionBuilder } from 'kysely';
import type { Database } from '../connect.ts';
import type { ApplicationRow, DB, MessageRow } from '../schema.ts';
import { MESSAGE_HEADER } from './messageRepo.ts';
import { pageQuery, selectNoContent, selectWithinBytes, type Page, type PageFit } from './page.ts';

// The vendor console's message search: every application of a tenant, newest first, by id,
// eventId, event type, channel, tag, application, delivery status, time and payload content
// (migration 0027 has the indexes; packages/db/test/searchQueryPlans.test.ts their plans).

/** The delivery status only message_delivery_failed_idx serves: failed deliveries are rare and spread over all history. */
const FAILED = 2;

export interface MessageSearch {
  msgId?: string;
  eventId?: string;
  appId?: string;
  eventTypes?: string[];
  channel?: string;
  tag?: string;
  /** Exclusive bounds on the message id (from times): they prune history partitions. */
  below?: string;
  above?: string;
  /** One of the message's deliveries is in this status. */
  deliveryStatus?: number;
  /** JSON text of an object the payload must contain (jsonb `@>`). */
  payloadContains?: string;
  withPayload: boolean;
}

/** MESSAGE_HEADER of the message looked up beside its failed delivery (the lateral `m`). */
const LATERAL_HEADER = ['m.id', 'm.tenantId', 'm.appId', 'm.eventType', 'm.eventId', 'm.channels', 'm.tags', 'm.createdAt', 'm.expiresAt'] as const;

/** The filters on the message row itself (every one but the delivery status). */
function messageMatches(eb: ExpressionBuilder<DB, 'message'>, tenantId: string, f: MessageSearch) {
  const conditions = [eb('message.tenantId', '=', tenantId)];
  if (f.msgId !== undefined) conditions.push(eb('message.id', '=', f.msgId));
  if (f.appId !== undefined) conditions.push(eb('message.appId', '=', f.appId));
  if (f.eventTypes && f.eventTypes.length > 0) conditions.push(eb('message.eventType', 'in', f.eventTypes));
  if (f.channel !== undefined) conditions.push(eb(eb.val(f.channel), '=', eb.fn.any('message.channels')));
  if (f.tag !== undefined) conditions.push(eb(eb.val(f.tag), '=', eb.fn.any('message.tags')));
  if (f.below !== undefined) conditions.push(eb('message.id', '<', f.below));
  if (f.above !== undefined) conditions.push(eb('message.id', '>', f.above));
  if (f.eventId !== undefined) {
    // The claim table (0019) holds eventIds; by tenant without the application, message_event_id_tenant_idx.
    let claims = eb.selectFrom('messageEventId as e').select('e.msgId').where('e.tenantId', '=', tenantId).where('e.eventId', '=', f.eventId);
    if (f.appId !== undefined) claims = claims.where('e.appId', '=', f.appId);
    conditions.push(eb('message.id', 'in', claims));
  }
  if (f.payloadContains !== undefined) {
    // The expression of the payload index of each closed partition (payloadIndexRepo).
    conditions.push(eb(sql`hookline_searchable_payload(${sql.ref('message.payload')})`, '@>', sql`${f.payloadContains}::jsonb`));
  }
  return eb.and(conditions);
}

/**
 * A page of the tenant's messages that match `filter`, payloads (when asked for) within the page's
 * byte budget. Read newest first by message_tenant_idx (or by application, event type, id or
 * payload index, as the planner finds cheaper), except with `deliveryStatus` failed: then the
 * failed deliveries are read in message order from their partial index and each message is looked
 * up by id, one partition each. Every history partition that may hold rows is read; `below`/`above` prune them.
 */
export async function searchMessages(db: Database, tenantId: string, page: Page, filter: MessageSearch): Promise<Array<MessageRow & PageFit>> {
  const key = filter.deliveryStatus === FAILED ? 'd.msgId' : 'message.id';
  if (filter.deliveryStatus === FAILED) {
    let q = db
      .selectFrom('messageDelivery as d')
      // LATERAL: each failed delivery's message is looked up by id, in its one partition. A plain join
      // let the planner merge the deliveries with a scan of every message between two failures.
      .innerJoinLateral(
        (eb) =>
          eb
            .selectFrom('message')
            .select([...MESSAGE_HEADER, 'message.payload'])
            .whereRef('message.id', '=', 'd.msgId')
            .where((mb) => messageMatches(mb, tenantId, filter))
            // One message by id anyway; the LIMIT keeps the planner from flattening the lookup back into a join.
            .limit(1)
            .as('m'),
        (join) => join.onTrue(),
      )
      // A message with several failed deliveries once: the rows arrive in message order, so DISTINCT ON streams.
      .distinctOn('d.msgId')
      .select(LATERAL_HEADER)
      .select(filter.withPayload ? selectWithinBytes('m.payload', 'payload', page, key) : selectNoContent('payload'))
      .where('d.tenantId', '=', tenantId)
      .where('d.status', '=', FAILED);
    // The same bounds on the delivery's key let the index range scan stop, and prune its partitions.
    if (filter.msgId !== undefined) q = q.where('d.msgId', '=', filter.msgId);
    if (filter.below !== undefined) q = q.where('d.msgId', '<', filter.below);
    if (filter.above !== undefined) q = q.where('d.msgId', '>', filter.above);
    return pageQuery(q, page, key, { literalLimit: true }).execute();
  }
  let q = db
    .selectFrom('message')
    .select(MESSAGE_HEADER)
    .select(filter.withPayload ? selectWithinBytes('message.payload', 'payload', page, key) : selectNoContent('payload'))
    .where((eb) => messageMatches(eb, tenantId, filter));
  if (filter.deliveryStatus !== undefined) {
    const status = filter.deliveryStatus;
    // Pending, sending and succeeded deliveries are the recent or the common ones: found near the head of the scan.
    q = q.where((eb) =>
      eb.exists(
        eb
          .selectFrom('messageDelivery as d')
          .select(sql`1`.as('one'))
          .whereRef('d.msgId', '=', 'message.id')
          .where('d.tenantId', '=', tenantId)
          .where('d.status', '=', status),
      ),
    );
  }
  // Every partition is read, so a literal limit keeps one generic plan (see attemptRepo.listAttempts).
  return pageQuery(q, page, key, { literalLimit: true }).execute();
}

/** The tenant's applications `ids`, to show beside messages or endpoints of several. */
export async function findApplicationsByIds(db: Database, tenantId: string, ids: readonly string[]): Promise<Array<Pick<ApplicationRow, 'id' | 'uid' | 'name'>>> {
  if (ids.length === 0) return [];
  return db
    .selectFrom('application')
    .select(['id', 'uid', 'name'])
    .where('tenantId', '=', tenantId)
    .where('id', 'in', [...ids])
    .execute();
}

/** How many deliveries of each message of `msgIds` are in each status: one index range per message (its partition only). */
export async function countDeliveriesOfMessages(db: Database, tenantId: string, msgIds: readonly string[]): Promise<Array<{ msgId: string; status: number; n: number }>> {
  if (msgIds.length === 0) return [];
  const rows = await db
    .selectFrom('messageDelivery')
    .select(['msgId', 'status', (eb) => eb.fn.countAll<string>().as('n')])
    .where('tenantId', '=', tenantId)
    .where('msgId', 'in', [...msgIds])
    .groupBy(['msgId', 'status'])
    .execute();
  return rows.map((r) => ({ ...r, n: Number(r.n) }));
}
