import { sql } from 'kysely';
import type { Database, Transaction } from '../connect.ts';
import type { ApplicationRow, ApplicationUpdate, NewApplicationRow } from '../schema.ts';
import { pageQuery, type Page } from './page.ts';

export async function insertApplication(db: Database, row: NewApplicationRow): Promise<ApplicationRow> {
  return db.insertInto('application').values(row).returningAll().executeTakeFirstOrThrow();
}

/**
 * Locks an application's row until the transaction ends, so writes that check a count of its
 * children (endpoints) serialize. FOR NO KEY UPDATE: publishes, which only reference the row, go on.
 */
export async function lockApplication(trx: Transaction, tenantId: string, appId: string): Promise<boolean> {
  const row = await trx.selectFrom('application').select('id').where('tenantId', '=', tenantId).where('id', '=', appId).forNoKeyUpdate().executeTakeFirst();
  return row !== undefined;
}

/**
 * Finds an application of the tenant by id or by uid. The tenant's operational application is
 * never found (see operationalRepo): no application route, portal token or publish reaches it.
 */
export async function findApplication(db: Database, tenantId: string, idOrUid: string): Promise<ApplicationRow | undefined> {
  return applicationByIdOrUid(db, tenantId, idOrUid).selectAll().executeTakeFirst();
}

/** The lookup of findApplication, without its select list: also a subquery (see messageRepo.insertMessageIntoApplication). */
export function applicationByIdOrUid(db: Database, tenantId: string, idOrUid: string) {
  return db
    .selectFrom('application')
    .where('tenantId', '=', tenantId)
    .where('operational', '=', false)
    .where((eb) => eb.or([eb('id', '=', idOrUid), eb('uid', '=', idOrUid)]))
    .orderBy((eb) => eb.case().when('id', '=', idOrUid).then(0).else(1).end())
    .limit(1);
}

/** The tenant's applications (not the operational one) whose id or uid is among `idsOrUids`. */
export async function findApplicationsByIdOrUid(db: Database, tenantId: string, idsOrUids: readonly string[]): Promise<Array<{ id: string; uid: string | null }>> {
  if (idsOrUids.length === 0) return [];
  const keys = [...idsOrUids];
  return db
    .selectFrom('application')
    .select(['id', 'uid'])
    .where('tenantId', '=', tenantId)
    .where('operational', '=', false)
    .where((eb) => eb.or([eb('id', 'in', keys), eb('uid', 'in', keys)]))
    .execute();
}

/** `text` as a LIKE pattern that matches it anywhere, its wildcards taken literally (backslash is PostgreSQL's default escape). */
const containing = (text: string): string => `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/**
 * A page of the tenant's applications; with `search`, only those whose name or uid contains it,
 * whatever its case. A search reads the tenant's applications in id order until the page is full.
 */
export async function listApplications(db: Database, tenantId: string, page: Page, search?: string): Promise<ApplicationRow[]> {
  let q = db.selectFrom('application').selectAll().where('tenantId', '=', tenantId).where('operational', '=', false);
  if (search !== undefined) {
    const pattern = containing(search);
    q = q.where((eb) => eb.or([eb('name', 'ilike', pattern), eb('uid', 'ilike', pattern)]));
  }
  return pageQuery(q, page).execute();
}

/** Endpoints of each of the applications: all, failing now (and enabled), disabled. Applications without any are absent. */
export async function countEndpointsByState(
  db: Database,
  tenantId: string,
  appIds: readonly string[],
): Promise<Array<{ appId: string; endpoints: number; failing: number; disabled: number }>> {
  if (appIds.length === 0) return [];
  const rows = await db
    .selectFrom('endpoint')
    .select((eb) => [
      'appId',
      eb.fn.countAll<string>().as('endpoints'),
      sql<string>`count(*) FILTER (WHERE failing_since IS NOT NULL AND NOT disabled)`.as('failing'),
      sql<string>`count(*) FILTER (WHERE disabled)`.as('disabled'),
    ])
    .where('tenantId', '=', tenantId)
    .where('appId', 'in', appIds)
    .groupBy('appId')
    .execute();
  return rows.map((r) => ({ appId: r.appId, endpoints: Number(r.endpoints), failing: Number(r.failing), disabled: Number(r.disabled) }));
}

/**
 * Deletes an application with its messages and their eventId claims, in one statement: messages
 * have no foreign key to their application (migration 0016: its check locked the application's row
 * on every publish), nor deliveries and attempts to their message (0019: partitions) or endpoint
 * (0043: they outlive a deleted endpoint). Those go by the application's endpoints, live and
 * deleted (each is the delivery to one of them), through the endpoint indexes; the endpoints and
 * tombstones themselves go by cascade.
 */
export async function deleteApplication(db: Database, tenantId: string, appId: string): Promise<boolean> {
  const deleted = await db
    .with('app', (d) => d.deleteFrom('application').where('tenantId', '=', tenantId).where('id', '=', appId).returning('id'))
    .with('endpoints', (d) =>
      d
        .selectFrom('endpoint')
        .select('id')
        .where('tenantId', '=', tenantId)
        .where('appId', '=', appId)
        .unionAll((eb) => eb.selectFrom('deletedEndpoint').select('id').where('tenantId', '=', tenantId).where('appId', '=', appId)),
    )
    .with('deliveries', (d) =>
      d
        .deleteFrom('messageDelivery')
        .where('tenantId', '=', tenantId)
        .where('endpointId', 'in', (s) => s.selectFrom('endpoints').select('id'))
        .where((eb) => eb.exists(eb.selectFrom('app').select('id'))),
    )
    .with('attempts', (d) =>
      d
        .deleteFrom('messageAttempt')
        .where('tenantId', '=', tenantId)
        .where('endpointId', 'in', (s) => s.selectFrom('endpoints').select('id'))
        .where((eb) => eb.exists(eb.selectFrom('app').select('id'))),
    )
    .with('messages', (d) =>
      d
        .deleteFrom('message')
        .where('tenantId', '=', tenantId)
        .where('appId', 'in', (s) => s.selectFrom('app').select('id')),
    )
    .with('eventIds', (d) =>
      d
        .deleteFrom('messageEventId')
        .where('tenantId', '=', tenantId)
        .where('appId', 'in', (s) => s.selectFrom('app').select('id')),
    )
    .selectFrom('app')
    .select('id')
    .execute();
  return deleted.length > 0;
}

/** Updates the given columns of one application; undefined when it does not exist. */
export async function updateApplication(db: Database, tenantId: string, appId: string, update: ApplicationUpdate): Promise<ApplicationRow | undefined> {
  return db.updateTable('application').set(update).where('tenantId', '=', tenantId).where('id', '=', appId).returningAll().executeTakeFirst();
}
