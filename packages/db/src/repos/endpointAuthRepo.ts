import type { Database } from '../connect.ts';
import type { EndpointAuthRow, EndpointOauthConfig } from '../schema.ts';

// An endpoint's OAuth client and basic-auth credentials (see migration 0039): one row per endpoint
// at most, written by the …/oauth and …/basic-auth routes, read by the API and the worker's loader.

export type EndpointAuthValues = {
  oauth: EndpointOauthConfig | null;
  oauthClientSecret: string | null;
  basicUsername: string | null;
  basicPassword: string | null;
};

export async function findEndpointAuth(db: Database, tenantId: string, endpointId: string): Promise<EndpointAuthRow | undefined> {
  return db.selectFrom('endpointAuth').selectAll().where('tenantId', '=', tenantId).where('endpointId', '=', endpointId).executeTakeFirst();
}

/** The row locked for a read-modify-write (the caller holds a transaction and the endpoint's lock). */
export async function lockEndpointAuth(trx: Database, tenantId: string, endpointId: string): Promise<EndpointAuthRow | undefined> {
  return trx.selectFrom('endpointAuth').selectAll().where('tenantId', '=', tenantId).where('endpointId', '=', endpointId).forUpdate().executeTakeFirst();
}

/** Writes the row; one that holds nothing any more is deleted. */
export async function saveEndpointAuth(trx: Database, tenantId: string, endpointId: string, values: EndpointAuthValues, updatedAt: Date): Promise<void> {
  if (values.oauth === null && values.basicUsername === null) {
    await trx.deleteFrom('endpointAuth').where('tenantId', '=', tenantId).where('endpointId', '=', endpointId).execute();
    return;
  }
  const row = { ...values, oauth: values.oauth === null ? null : JSON.stringify(values.oauth), updatedAt };
  await trx
    .insertInto('endpointAuth')
    .values({ tenantId, endpointId, ...row })
    .onConflict((oc) => oc.column('endpointId').doUpdateSet(row))
    .execute();
}
