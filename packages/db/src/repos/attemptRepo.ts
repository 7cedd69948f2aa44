import { sql, type AliasedRawBuilder, type ExpressionBuilder } from 'kysely';
import type { Database } from '../connect.ts';
import type { DB, EndpointRow, MessageAttemptRow, MessageDeliveryRow, MessageRow } from '../schema.ts';
import { MESSAGE_HEADER } from './messageRepo.ts';
import { pageQuery, selectNoContent, selectWithinBytes, type Page, type PageFit } from './page.ts';
import type { DeliveriesEnd } from './endpointRepo.ts';

export type NewDelivery = Pick<MessageDeliveryRow, 'tenantId' | 'appId' | 'msgId' | 'endpointId' | 'status' | 'nextAttemptAt'>;

export async function insertDeliveries(db: Database, rows: NewDelivery[]): Promise<void> {
  if (rows.length === 0) return;
  await db
    .insertInto('messageDelivery')
    .values(rows)
    .onConflict((oc) => oc.columns(['msgId', 'endpointId']).doNothing())
    .execute();
}

/**
 * insertDeliveries for a fan-out's many rows, from one array per column: one statement text
 * however many rows (prepared once), no Kysely node per value, and no limit from PostgreSQL's
 * 65,535 parameters (a VALUES list of 25 messages to 1,000 endpoints needs 150,000). On an
 * unscoped handle only: a tenant scope refuses an INSERT from a query, as it cannot check it.
 */
export async function insertManyDeliveries(db: Database, rows: readonly NewDelivery[]): Promise<void> {
  if (rows.length === 0) return;
  const column = <K extends keyof NewDelivery>(key: K) => rows.map((r) => r[key]);
  await db
    .insertInto('messageDelivery')
    .columns(['tenantId', 'appId', 'msgId', 'endpointId', 'status', 'nextAttemptAt'])
    .expression(
      sql<NewDelivery>`SELECT * FROM unnest(${column('tenantId')}::text[], ${column('appId')}::text[], ${column('msgId')}::text[],
      ${column('endpointId')}::text[], ${column('status')}::int[], ${column('nextAttemptAt')}::timestamptz[])`,
    )
    .onConflict((oc) => oc.columns(['msgId', 'endpointId']).doNothing())
    .execute();
}

export async function findDelivery(db: Database, tenantId: string, msgId: string, endpointId: string): Promise<MessageDeliveryRow | undefined> {
  return db.selectFrom('messageDelivery').selectAll().where('tenantId', '=', tenantId).where('msgId', '=', msgId).where('endpointId', '=', endpointId).executeTakeFirst();
}

export async function updateDelivery(
  db: Database,
  key: { tenantId: string; msgId: string; endpointId: string },
  set: { status: number; attemptCount?: number; nextAttemptAt: Date | null },
): Promise<void> {
  await db
    .updateTable('messageDelivery')
    .set({ ...set, updatedAt: new Date() })
    .where('tenantId', '=', key.tenantId)
    .where('msgId', '=', key.msgId)
    .where('endpointId', '=', key.endpointId)
    .execute();
}

/**
 * Ends a delivery still waiting (`end.waiting`) whose endpoint no longer exists, as `end` says:
 * one written after its endpoint's deletion (a fan-out or a retry that raced it). Nothing when the
 * endpoint exists or the delivery has ended.
 */
export async function endDeliveryOfDeletedEndpoint(db: Database, key: { tenantId: string; msgId: string; endpointId: string }, end: DeliveriesEnd): Promise<void> {
  await db
    .updateTable('messageDelivery')
    .set({ status: end.status, nextAttemptAt: null, updatedAt: new Date() })
    .where('tenantId', '=', key.tenantId)
    .where('msgId', '=', key.msgId)
    .where('endpointId', '=', key.endpointId)
    .where('status', 'in', [...end.waiting])
    .where((eb) => eb.not(eb.exists(eb.selectFrom('endpoint').select('endpoint.id').whereRef('endpoint.id', '=', 'messageDelivery.endpointId'))))
    .execute();
}

/** Filters on the message an attempt or delivery belongs to. */
export interface MessageFilter {
  eventTypes?: string[];
  /** The message carries this channel. */
  channel?: string;
  /** The message carries this tag. */
  tag?: string;
}

/** Exclusive bounds on the paged key, from `before`/`after` times (see idAtTime in core). */
export interface KeyBounds {
  below?: string;
  above?: string;
}

export interface AttemptFilter extends MessageFilter, KeyBounds {
  status?: number;
  /** Inclusive range of response status codes (Svix's status_code_class). */
  responseStatus?: { min: number; max: number };
}

/** The conditions of a MessageFilter on the `message` table (joined, or in a subquery). */
function messageMatches(eb: ExpressionBuilder<DB, 'message'>, filter: MessageFilter) {
  const conditions = [];
  if (filter.eventTypes && filter.eventTypes.length > 0) conditions.push(eb('message.eventType', 'in', filter.eventTypes));
  if (filter.channel !== undefined) conditions.push(eb(eb.val(filter.channel), '=', eb.fn.any('message.channels')));
  if (filter.tag !== undefined) conditions.push(eb(eb.val(filter.tag), '=', eb.fn.any('message.tags')));
  return eb.and(conditions);
}

const filtersMessage = (filter: MessageFilter): boolean => (filter.eventTypes?.length ?? 0) > 0 || filter.channel !== undefined || filter.tag !== undefined;

/** An attempt as lists read it: without the request headers, which only an attempt's detail shows. */
export type ListedAttempt = Omit<MessageAttemptRow, 'requestHeaders'>;

/** Every attempt column but the response body, which can be large and is read only when shown, and the request headers. */
const ATTEMPT_HEADER = [
  'messageAttempt.id',
  'messageAttempt.tenantId',
  'messageAttempt.appId',
  'messageAttempt.msgId',
  'messageAttempt.endpointId',
  'messageAttempt.url',
  'messageAttempt.status',
  'messageAttempt.responseStatusCode',
  'messageAttempt.responseDurationMs',
  'messageAttempt.triggerType',
  'messageAttempt.responseHeaders',
  'messageAttempt.createdAt',
] as const;

/**
 * Attempts of a message, of an endpoint, or of one message to one endpoint, newest first by
 * default. Response bodies only `withResponse` (else ''), and then within the page's byte budget.
 */
export async function listAttempts(
  db: Database,
  tenantId: string,
  appId: string,
  by: { msgId?: string; endpointId?: string },
  page: Page,
  filter: AttemptFilter & { withResponse: boolean },
): Promise<Array<ListedAttempt & PageFit>> {
  let q = db
    .selectFrom('messageAttempt')
    .select(ATTEMPT_HEADER)
    // A response is NULL only where fitsPage is false, on rows that the page then leaves out.
    .select(
      filter.withResponse
        ? (selectWithinBytes('messageAttempt.response', 'response', page, 'messageAttempt.id') as [
            AliasedRawBuilder<string, 'response'>,
            AliasedRawBuilder<boolean, 'fitsPage'>,
          ])
        : selectNoContent('response', ''),
    )
    .where('messageAttempt.tenantId', '=', tenantId)
    .where('messageAttempt.appId', '=', appId);
  if (by.msgId !== undefined) q = q.where('messageAttempt.msgId', '=', by.msgId);
  if (by.endpointId !== undefined) q = q.where('messageAttempt.endpointId', '=', by.endpointId);
  if (filter.status !== undefined) q = q.where('messageAttempt.status', '=', filter.status);
  if (filter.responseStatus) {
    q = q.where('messageAttempt.responseStatusCode', '>=', filter.responseStatus.min).where('messageAttempt.responseStatusCode', '<=', filter.responseStatus.max);
  }
  if (filter.below !== undefined) q = q.where('messageAttempt.id', '<', filter.below);
  if (filter.above !== undefined) q = q.where('messageAttempt.id', '>', filter.above);
  if (filtersMessage(filter)) {
    // EXISTS rather than a join: attempts stay the only rows read in index order.
    q = q.where((eb) =>
      eb.exists(
        eb
          .selectFrom('message')
          .select(sql`1`.as('one'))
          .whereRef('message.id', '=', 'messageAttempt.msgId')
          // Redundant (a message's attempts share its app) but lets (app_id, event_type, id) find rare types.
          .whereRef('message.appId', '=', 'messageAttempt.appId')
          .where((mb) => messageMatches(mb, filter)),
      ),
    );
  }
  // A list that is not by message reads every history partition. With `LIMIT $n` PostgreSQL costs a
  // generic plan for a tenth of the rows, so it plans each call anew across all of them; a literal
  // limit lets it keep one generic plan (docs/performance.md, History at scale).
  return pageQuery(q, page, 'messageAttempt.id', { literalLimit: by.msgId === undefined }).execute();
}

/** Manual attempts (resends) to the endpoint with an id from `fromAttemptId` on, counted up to `atMost`. */
export async function countManualAttemptsFrom(db: Database, tenantId: string, endpointId: string, fromAttemptId: string, atMost: number): Promise<number> {
  const row = await db
    .selectFrom((eb) =>
      eb
        .selectFrom('messageAttempt')
        .select('id')
        .where('tenantId', '=', tenantId)
        .where('endpointId', '=', endpointId)
        .where('id', '>=', fromAttemptId)
        .where('triggerType', '=', 1)
        .limit(atMost)
        .as('made'),
    )
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function findAttempt(db: Database, tenantId: string, msgId: string, attemptId: string): Promise<MessageAttemptRow | undefined> {
  return db.selectFrom('messageAttempt').selectAll().where('tenantId', '=', tenantId).where('msgId', '=', msgId).where('id', '=', attemptId).executeTakeFirst();
}

/** Empties an attempt's response body (Svix's attempt expunge-content); false when there is no such attempt. */
export async function expungeAttemptResponse(db: Database, tenantId: string, msgId: string, attemptId: string): Promise<boolean> {
  const result = await db
    .updateTable('messageAttempt')
    .set({ response: '' })
    .where('tenantId', '=', tenantId)
    .where('msgId', '=', msgId)
    .where('id', '=', attemptId)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/** The messages `ids` (of one tenant) without their payloads, e.g. to show alongside attempts. */
export async function findMessageHeaders(db: Database, tenantId: string, ids: string[]): Promise<MessageRow[]> {
  if (ids.length === 0) return [];
  return db
    .selectFrom('message')
    .select(MESSAGE_HEADER)
    .select(sql<string | null>`null`.as('payload'))
    .where('message.tenantId', '=', tenantId)
    .where('message.id', 'in', ids)
    .execute();
}

/** Where a delivery stands, shown beside a listed message or endpoint. */
export type DeliveryProgress = Pick<MessageDeliveryRow, 'status' | 'nextAttemptAt'>;

/**
 * Messages delivered (or being delivered) to an endpoint, with the delivery's state, newest first
 * by default; paged by message id. Payloads are read only when asked for (they can be large), and
 * then within the page's byte budget.
 */
export async function listEndpointMessages(
  db: Database,
  tenantId: string,
  appId: string,
  endpointId: string,
  page: Page,
  filter: MessageFilter & KeyBounds & { status?: number | number[]; withPayload: boolean },
): Promise<Array<MessageRow & PageFit & { delivery: DeliveryProgress }>> {
  let q = db
    .selectFrom('messageDelivery as d')
    .innerJoin('message', 'message.id', 'd.msgId')
    .select(MESSAGE_HEADER)
    .select(filter.withPayload ? selectWithinBytes('message.payload', 'payload', page, 'd.msgId') : selectNoContent('payload'))
    .select(['d.status', 'd.nextAttemptAt'])
    .where('d.tenantId', '=', tenantId)
    .where('d.appId', '=', appId)
    .where('d.endpointId', '=', endpointId);
  if (filter.status !== undefined) q = q.where('d.status', Array.isArray(filter.status) ? 'in' : '=', filter.status);
  if (filter.below !== undefined) q = q.where('d.msgId', '<', filter.below);
  if (filter.above !== undefined) q = q.where('d.msgId', '>', filter.above);
  if (filtersMessage(filter)) q = q.where((eb) => messageMatches(eb, filter));
  const rows = await pageQuery(q, page, 'd.msgId').execute();
  return rows.map(({ status, nextAttemptAt, ...msg }) => ({ ...msg, delivery: { status, nextAttemptAt } }));
}

/** What the attempted destinations show of an endpoint, live or deleted since (its tombstone). */
export type DestinationEndpoint = Pick<
  EndpointRow,
  'id' | 'uid' | 'url' | 'description' | 'disabled' | 'eventTypes' | 'channels' | 'throttleRate' | 'createdAt' | 'updatedAt'
>;
const DESTINATION_COLUMNS = ['id', 'tenantId', 'uid', 'url', 'description', 'disabled', 'eventTypes', 'channels', 'throttleRate', 'createdAt', 'updatedAt'] as const;

/** Endpoints a message was routed to, including those deleted since, with the delivery's state, by endpoint id. */
export async function listMessageEndpoints(
  db: Database,
  tenantId: string,
  msgId: string,
  page: Page,
): Promise<Array<DestinationEndpoint & { delivery: DeliveryProgress }>> {
  const q = db
    .selectFrom('messageDelivery as d')
    // Each id is in one of the two tables: an endpoint's row moves to the tombstones when it is deleted.
    .innerJoin(
      (eb) =>
        eb
          .selectFrom('endpoint')
          .select(DESTINATION_COLUMNS)
          .unionAll((u) => u.selectFrom('deletedEndpoint').select(DESTINATION_COLUMNS))
          .as('endpoint'),
      (j) => j.onRef('endpoint.id', '=', 'd.endpointId').onRef('endpoint.tenantId', '=', 'd.tenantId'),
    )
    .select(['endpoint.id', 'endpoint.uid', 'endpoint.url', 'endpoint.description', 'endpoint.disabled', 'endpoint.eventTypes', 'endpoint.channels'])
    .select(['endpoint.throttleRate', 'endpoint.createdAt', 'endpoint.updatedAt'])
    .select(['d.status as deliveryStatus', 'd.nextAttemptAt as deliveryNextAttemptAt'])
    .where('d.tenantId', '=', tenantId)
    .where('d.msgId', '=', msgId);
  const rows = await pageQuery(q, page, 'd.endpointId').execute();
  return rows.map(({ deliveryStatus, deliveryNextAttemptAt, ...ep }) => ({ ...ep, delivery: { status: deliveryStatus, nextAttemptAt: deliveryNextAttemptAt } }));
}
