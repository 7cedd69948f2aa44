import type { Database, Transaction } from '../connect.ts';
import type { PortalTokenRevocation } from '../schema.ts';

/** The application's portal token revocation rules, its row locked until the transaction ends; undefined when there is no such application. */
export async function lockPortalTokenRevocations(trx: Transaction, tenantId: string, appId: string): Promise<PortalTokenRevocation[] | undefined> {
  const row = await trx
    .selectFrom('application')
    .select('portalTokenRevocations')
    .where('tenantId', '=', tenantId)
    .where('id', '=', appId)
    .forUpdate()
    .executeTakeFirst();
  return row?.portalTokenRevocations;
}

export async function setPortalTokenRevocations(trx: Transaction, tenantId: string, appId: string, rules: PortalTokenRevocation[]): Promise<void> {
  await trx
    .updateTable('application')
    .set({ portalTokenRevocations: JSON.stringify(rules) })
    .where('tenantId', '=', tenantId)
    .where('id', '=', appId)
    .execute();
}

/** Records a portal token as logged out until `expiresAt` (its own expiry), dropping the application's records already past theirs. */
export async function insertTokenLogout(db: Database, tenantId: string, appId: string, tokenId: string, expiresAt: Date): Promise<void> {
  await db.deleteFrom('portalTokenLogout').where('tenantId', '=', tenantId).where('appId', '=', appId).where('expiresAt', '<', new Date()).execute();
  await db
    .insertInto('portalTokenLogout')
    .values({ tenantId, appId, tokenId, expiresAt })
    .onConflict((oc) => oc.columns(['tenantId', 'tokenId']).doNothing())
    .execute();
}

export async function isTokenLoggedOut(db: Database, tenantId: string, tokenId: string): Promise<boolean> {
  const row = await db.selectFrom('portalTokenLogout').select('tokenId').where('tenantId', '=', tenantId).where('tokenId', '=', tokenId).executeTakeFirst();
  return row !== undefined;
}
