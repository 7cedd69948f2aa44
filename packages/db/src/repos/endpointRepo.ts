import { sql } from 'kysely';
import type { Database } from '../connect.ts';
import type { EndpointRow, EndpointUpdate, NewEndpointRow } from '../schema.ts';
import { pageQuery, type Page } from './page.ts';

export async function insertEndpoint(db: Database, row: NewEndpointRow, secret: { id: string; secret: string }): Promise<EndpointRow> {
  return db.transaction().execute(async (trx) => {
    const ep = await trx.insertInto('endpoint').values(row).returningAll().executeTakeFirstOrThrow();
    await trx.insertInto('endpointSecret').values({ id: secret.id, tenantId: row.tenantId, endpointId: ep.id, secret: secret.secret }).execute();
    return ep;
  });
}

/** Finds an endpoint of the tenant's application by id or uid. */
export async function findEndpoint(db: Database, tenantId: string, appId: string, idOrUid: string): Promise<EndpointRow | undefined> {
  return db.selectFrom('endpoint').selectAll()
    .where('tenantId', '=', tenantId)
    .where('appId', '=', appId)
    .where((eb) => eb.or([eb('id', '=', idOrUid), eb('uid', '=', idOrUid)]))
    .orderBy((eb) => eb.case().when('id', '=', idOrUid).then(0).else(1).end())
    .limit(1)
    .executeTakeFirst();
}

export async function listEndpoints(db: Database, tenantId: string, appId: string, page: Page): Promise<EndpointRow[]> {
  return pageQuery(db.selectFrom('endpoint').selectAll().where('tenantId', '=', tenantId).where('appId', '=', appId), page).execute();
}

export async function updateEndpoint(db: Database, tenantId: string, endpointId: string, patch: EndpointUpdate): Promise<EndpointRow | undefined> {
  return db.updateTable('endpoint')
    .set({ ...patch, updatedAt: new Date(), version: sql`version + 1` })
    .where('tenantId', '=', tenantId).where('id', '=', endpointId)
    .returningAll().executeTakeFirst();
}

export async function deleteEndpoint(db: Database, tenantId: string, endpointId: string): Promise<boolean> {
  const res = await db.deleteFrom('endpoint').where('tenantId', '=', tenantId).where('id', '=', endpointId).executeTakeFirst();
  return res.numDeletedRows > 0n;
}

/** Secrets that sign deliveries now: the current one and any still in their grace period, newest first. */
export async function listLiveSecrets(db: Database, tenantId: string, endpointId: string): Promise<string[]> {
  const rows = await db.selectFrom('endpointSecret').select('secret')
    .where('tenantId', '=', tenantId).where('endpointId', '=', endpointId)
    .where((eb) => eb.or([eb('expiresAt', 'is', null), eb('expiresAt', '>', new Date())]))
    .orderBy('createdAt', 'desc').orderBy('id', 'desc')
    .execute();
  return rows.map((r) => r.secret);
}

/** Enabled endpoints of an application that subscribe to the event type and channels (null = all). */
export async function findSubscribedEndpoints(
  db: Database,
  tenantId: string,
  appId: string,
  eventType: string,
  channels: string[] | null,
): Promise<Pick<EndpointRow, 'id'>[]> {
  let q = db.selectFrom('endpoint').select('id')
    .where('tenantId', '=', tenantId).where('appId', '=', appId).where('disabled', '=', false)
    .where((eb) => eb.or([eb('eventTypes', 'is', null), sql<boolean>`${eventType} = ANY(event_types)`]));
  // An endpoint that names channels only receives messages on one of them (as in Svix).
  q = channels && channels.length > 0
    ? q.where((eb) => eb.or([eb('channels', 'is', null), sql<boolean>`channels && ${channels}::text[]`]))
    : q.where('channels', 'is', null);
  return q.execute();
}
