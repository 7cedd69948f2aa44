import type { Transaction } from '../connect.ts';
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
