import type { Database } from '../connect.ts';
import type { EndpointMtlsRow } from '../schema.ts';

// An endpoint's mutual TLS row (see migration 0040): one per endpoint at most, written by
// PUT/DELETE …/mtls, read by the API (never the key) and, whole, by the worker.

export type EndpointMtlsValues = Pick<EndpointMtlsRow, 'clientCert' | 'clientKey' | 'serverCaCert'>;

/** What the API shows: everything but the key. */
export async function findMtlsSettings(
  db: Database,
  tenantId: string,
  endpointId: string,
): Promise<Pick<EndpointMtlsRow, 'clientCert' | 'serverCaCert' | 'updatedAt'> | undefined> {
  return db
    .selectFrom('endpointMtls')
    .select(['clientCert', 'serverCaCert', 'updatedAt'])
    .where('tenantId', '=', tenantId)
    .where('endpointId', '=', endpointId)
    .executeTakeFirst();
}

/** The whole row (the key still encrypted), for the worker's TLS agent. */
export async function findMtls(db: Database, tenantId: string, endpointId: string): Promise<EndpointMtlsRow | undefined> {
  return db.selectFrom('endpointMtls').selectAll().where('tenantId', '=', tenantId).where('endpointId', '=', endpointId).executeTakeFirst();
}

/** The row locked for a replace or delete (the caller holds a transaction). */
export async function lockMtls(trx: Database, tenantId: string, endpointId: string): Promise<EndpointMtlsRow | undefined> {
  return trx.selectFrom('endpointMtls').selectAll().where('tenantId', '=', tenantId).where('endpointId', '=', endpointId).forUpdate().executeTakeFirst();
}

export async function saveMtls(trx: Database, row: EndpointMtlsValues & { tenantId: string; endpointId: string; updatedAt: Date }): Promise<void> {
  await trx
    .insertInto('endpointMtls')
    .values(row)
    .onConflict((oc) =>
      oc.column('endpointId').doUpdateSet({ clientCert: row.clientCert, clientKey: row.clientKey, serverCaCert: row.serverCaCert, updatedAt: row.updatedAt }),
    )
    .execute();
}

export async function deleteMtls(trx: Database, tenantId: string, endpointId: string): Promise<boolean> {
  const result = await trx.deleteFrom('endpointMtls').where('tenantId', '=', tenantId).where('endpointId', '=', endpointId).executeTakeFirst();
  return result.numDeletedRows > 0n;
}
