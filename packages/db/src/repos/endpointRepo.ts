import { sql } from 'kysely';
import type { Database, Transaction } from '../connect.ts';
import type { EndpointRow, EndpointUpdate, MessageDeliveryRow, NewEndpointRow } from '../schema.ts';
import { pageQuery, type Page } from './page.ts';

/** Inserts an endpoint and its first secret together: in the caller's transaction when `db` is one, else in a new one. */
export async function insertEndpoint(db: Database, row: NewEndpointRow, secret: { id: string; secret: string }): Promise<EndpointRow> {
  const insert = async (trx: Database) => {
    const ep = await trx.insertInto('endpoint').values(row).returningAll().executeTakeFirstOrThrow();
    await trx.insertInto('endpointSecret').values({ id: secret.id, tenantId: row.tenantId, endpointId: ep.id, secret: secret.secret }).execute();
    return ep;
  };
  return db.isTransaction ? insert(db) : db.transaction().execute(insert);
}

/** Finds an endpoint of the tenant's application by id or uid. */
export async function findEndpoint(db: Database, tenantId: string, appId: string, idOrUid: string): Promise<EndpointRow | undefined> {
  return db
    .selectFrom('endpoint')
    .selectAll()
    .where('tenantId', '=', tenantId)
    .where('appId', '=', appId)
    .where((eb) => eb.or([eb('id', '=', idOrUid), eb('uid', '=', idOrUid)]))
    .orderBy((eb) => eb.case().when('id', '=', idOrUid).then(0).else(1).end())
    .limit(1)
    .executeTakeFirst();
}

/** Loads an endpoint and locks its row until the transaction ends, so read-modify-writes of it serialize. */
export async function lockEndpoint(trx: Transaction, tenantId: string, endpointId: string): Promise<EndpointRow | undefined> {
  return trx.selectFrom('endpoint').selectAll().where('tenantId', '=', tenantId).where('id', '=', endpointId).forUpdate().executeTakeFirst();
}

export async function findEndpointById(db: Database, tenantId: string, endpointId: string): Promise<EndpointRow | undefined> {
  return db.selectFrom('endpoint').selectAll().where('tenantId', '=', tenantId).where('id', '=', endpointId).executeTakeFirst();
}

/** How many endpoints the application has. */
export async function countEndpoints(db: Database, tenantId: string, appId: string): Promise<number> {
  const row = await db
    .selectFrom('endpoint')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('tenantId', '=', tenantId)
    .where('appId', '=', appId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function listEndpoints(db: Database, tenantId: string, appId: string, page: Page): Promise<EndpointRow[]> {
  return pageQuery(db.selectFrom('endpoint').selectAll().where('tenantId', '=', tenantId).where('appId', '=', appId), page).execute();
}

export async function updateEndpoint(db: Database, tenantId: string, endpointId: string, patch: EndpointUpdate): Promise<EndpointRow | undefined> {
  return (
    db
      .updateTable('endpoint')
      // Enabling an endpoint starts its failure clock afresh, or the next failure would disable it again.
      .set({ ...patch, ...(patch.disabled === false ? { failingSince: null } : {}), updatedAt: new Date(), version: sql`version + 1` })
      .where('tenantId', '=', tenantId)
      .where('id', '=', endpointId)
      .returningAll()
      .executeTakeFirst()
  );
}

/** What happens to the deleted endpoint's deliveries still waiting for an attempt (statuses `waiting`): they end in `status`. */
export interface DeliveriesEnd {
  waiting: readonly number[];
  status: number;
}

/**
 * Deletes an endpoint in one statement, keeping its history: its deliveries and attempts stay (no
 * foreign key since 0043), a tombstone keeps what the lists show of it, and its deliveries still
 * waiting end as `end` says, so no attempt is made after the deletion. Its secrets, headers and
 * settings go with its row.
 */
export async function deleteEndpoint(db: Database, tenantId: string, endpointId: string, end: DeliveriesEnd): Promise<boolean> {
  const kept = ['id', 'tenantId', 'appId', 'uid', 'url', 'description', 'disabled', 'eventTypes', 'channels', 'throttleRate', 'createdAt', 'updatedAt'] as const;
  const deleted = await db
    .with('gone', (d) => d.deleteFrom('endpoint').where('tenantId', '=', tenantId).where('id', '=', endpointId).returning(kept))
    .with('tombstone', (d) =>
      d
        .insertInto('deletedEndpoint')
        .columns(kept)
        // The tenant as a plain value, not copied from `gone`: a tenant-scoped handle checks it.
        .expression((eb) => eb.selectFrom('gone').select(kept.map((c) => (c === 'tenantId' ? eb.val(tenantId).as('tenantId') : c))))
        .onConflict((oc) => oc.column('id').doNothing()),
    )
    .with('ended', (d) =>
      d
        .updateTable('messageDelivery')
        .set({ status: end.status, nextAttemptAt: null, updatedAt: new Date() })
        .where('tenantId', '=', tenantId)
        .where('endpointId', '=', endpointId)
        .where('status', 'in', [...end.waiting])
        .where((eb) => eb.exists(eb.selectFrom('gone').select('id'))),
    )
    .selectFrom('gone')
    .select('id')
    .execute();
  return deleted.length > 0;
}

/** Secrets that sign deliveries now (encrypted, with their row ids): the current one first, then any still in their grace period, newest first. */
export async function listLiveSecrets(db: Database, tenantId: string, endpointId: string): Promise<Array<{ id: string; secret: string }>> {
  return db
    .selectFrom('endpointSecret')
    .select(['id', 'secret'])
    .where('tenantId', '=', tenantId)
    .where('endpointId', '=', endpointId)
    .where((eb) => eb.or([eb('expiresAt', 'is', null), eb('expiresAt', '>', new Date())]))
    .orderBy(sql`expires_at IS NULL`, 'desc')
    .orderBy('createdAt', 'desc')
    .orderBy('id', 'desc')
    .execute();
}

/** Old secrets still in their grace period at `now` (the current secret has no expiry). */
export async function countGraceSecrets(db: Database, tenantId: string, endpointId: string, now: Date): Promise<number> {
  const { n } = await db
    .selectFrom('endpointSecret')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('tenantId', '=', tenantId)
    .where('endpointId', '=', endpointId)
    .where('expiresAt', '>', now)
    .executeTakeFirstOrThrow();
  return Number(n);
}

/** Drops secrets whose grace period is over: they never sign again. */
export async function deleteExpiredSecrets(db: Database, tenantId: string, endpointId: string, now: Date): Promise<void> {
  await db.deleteFrom('endpointSecret').where('tenantId', '=', tenantId).where('endpointId', '=', endpointId).where('expiresAt', '<=', now).execute();
}

/** Gives the current secret an end: it keeps signing (as an old one) until `expiresAt`. */
export async function expireCurrentSecret(db: Database, tenantId: string, endpointId: string, expiresAt: Date): Promise<void> {
  await db
    .updateTable('endpointSecret')
    .set({ expiresAt })
    .where('tenantId', '=', tenantId)
    .where('endpointId', '=', endpointId)
    .where('expiresAt', 'is', null)
    .execute();
}

export async function insertSecret(db: Database, row: { id: string; tenantId: string; endpointId: string; secret: string; createdAt: Date }): Promise<void> {
  await db.insertInto('endpointSecret').values(row).execute();
}

/** Message ids of an endpoint's deliveries: `from` inclusive, `to` inclusive (see idBoundary). */
export interface MsgIdRange {
  fromMsgId: string;
  toMsgId?: string | undefined;
}

/** The endpoint's deliveries in `status` (messages in the range), oldest message first; at most `limit` of them. */
export async function listDeliveriesInStatus(
  db: Database,
  tenantId: string,
  endpointId: string,
  status: number,
  range: MsgIdRange,
  limit?: number,
): Promise<Array<Pick<MessageDeliveryRow, 'msgId' | 'attemptCount'>>> {
  let q = db
    .selectFrom('messageDelivery')
    .select(['msgId', 'attemptCount'])
    .where('tenantId', '=', tenantId)
    .where('endpointId', '=', endpointId)
    .where('status', '=', status)
    .where('msgId', '>=', range.fromMsgId);
  if (range.toMsgId !== undefined) q = q.where('msgId', '<=', range.toMsgId);
  if (limit !== undefined) q = q.limit(limit);
  return q.orderBy('msgId').execute();
}

/** Each endpoint's application and event-type filter (null: every type), of the tenant's applications but the operational one, by application. */
export async function listEventTypeFilters(db: Database, tenantId: string): Promise<Array<{ appId: string; eventTypes: string[] | null }>> {
  return db
    .selectFrom('endpoint as e')
    .innerJoin('application as a', (j) => j.onRef('a.id', '=', 'e.appId').onRef('a.tenantId', '=', 'e.tenantId'))
    .select(['e.appId', 'e.eventTypes'])
    .where('e.tenantId', '=', tenantId)
    .where('a.operational', '=', false)
    .orderBy('e.appId')
    .execute();
}

/** The tenant's endpoints with an http:// URL (the first `limit` by id, with whether each is an operational webhook endpoint) and how many there are. */
export async function findHttpEndpoints(
  db: Database,
  tenantId: string,
  limit: number,
): Promise<{ count: number; rows: Array<{ id: string; appId: string; url: string; operational: boolean }> }> {
  const plainHttp = sql<boolean>`lower(left(e.url, 7)) = 'http://'`;
  const [rows, total] = await Promise.all([
    db
      .selectFrom('endpoint as e')
      .innerJoin('application as a', (j) => j.onRef('a.tenantId', '=', 'e.tenantId').onRef('a.id', '=', 'e.appId'))
      .select(['e.id', 'e.appId', 'e.url', 'a.operational'])
      .where('e.tenantId', '=', tenantId)
      .where(plainHttp)
      .orderBy('e.id')
      .limit(limit)
      .execute(),
    db
      .selectFrom('endpoint as e')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('e.tenantId', '=', tenantId)
      .where(plainHttp)
      .executeTakeFirstOrThrow(),
  ]);
  return { count: Number(total.n), rows };
}
