import type { Database } from '../connect.ts';
import type { TenantSsoRow } from '../schema.ts';

export async function findSso(db: Database, tenantId: string): Promise<TenantSsoRow | undefined> {
  return db.selectFrom('tenantSso').selectAll().where('tenantId', '=', tenantId).executeTakeFirst();
}

/** Creates or replaces the tenant's single sign-on configuration. */
export async function upsertSso(db: Database, row: Omit<TenantSsoRow, 'updatedAt'>): Promise<TenantSsoRow> {
  const { tenantId: _tenantId, ...rest } = row;
  return db
    .insertInto('tenantSso')
    .values(row)
    .onConflict((oc) => oc.column('tenantId').doUpdateSet({ ...rest, updatedAt: new Date() }))
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function deleteSso(db: Database, tenantId: string): Promise<boolean> {
  const res = await db.deleteFrom('tenantSso').where('tenantId', '=', tenantId).executeTakeFirst();
  return res.numDeletedRows > 0n;
}

/** Whether the person belongs to a tenant whose single sign-on is on (with no password, SSO is then their only way in). */
export async function isMemberOfSsoTenant(db: Database, personId: string): Promise<boolean> {
  const row = await db
    .selectFrom('membership')
    .innerJoin('tenantSso', 'tenantSso.tenantId', 'membership.tenantId')
    .select('membership.tenantId')
    .where('membership.personId', '=', personId)
    .where('tenantSso.enabled', '=', true)
    .executeTakeFirst();
  return row !== undefined;
}
