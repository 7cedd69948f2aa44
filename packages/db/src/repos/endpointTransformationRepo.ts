import type { Database } from '../connect.ts';
import type { EndpointTransformationRow } from '../schema.ts';

// An endpoint's transformation row (see migration 0033): one per endpoint at most, written by
// PATCH …/transformation and read by the API and, code only, by the worker.

export async function findTransformation(db: Database, tenantId: string, endpointId: string): Promise<EndpointTransformationRow | undefined> {
  return db.selectFrom('endpointTransformation').selectAll().where('tenantId', '=', tenantId).where('endpointId', '=', endpointId).executeTakeFirst();
}

/** The row locked for a read-modify-write (the caller holds a transaction). */
export async function lockTransformation(trx: Database, tenantId: string, endpointId: string): Promise<EndpointTransformationRow | undefined> {
  return trx.selectFrom('endpointTransformation').selectAll().where('tenantId', '=', tenantId).where('endpointId', '=', endpointId).forUpdate().executeTakeFirst();
}

export async function saveTransformation(
  trx: Database,
  row: { tenantId: string; endpointId: string; code: string | null; enabled: boolean; variables: Record<string, string> | null; updatedAt: Date },
): Promise<void> {
  const values = { ...row, variables: row.variables === null ? null : JSON.stringify(row.variables) };
  await trx
    .insertInto('endpointTransformation')
    .values(values)
    .onConflict((oc) => oc.column('endpointId').doUpdateSet({ code: values.code, enabled: values.enabled, variables: values.variables, updatedAt: values.updatedAt }))
    .execute();
}

/** The enabled code of one endpoint and its version, for the worker's cache. */
export async function findEnabledCode(db: Database, tenantId: string, endpointId: string): Promise<{ code: string; updatedAt: Date } | undefined> {
  const row = await db
    .selectFrom('endpointTransformation')
    .select(['code', 'updatedAt'])
    .where('tenantId', '=', tenantId)
    .where('endpointId', '=', endpointId)
    .where('enabled', '=', true)
    .executeTakeFirst();
  return row?.code == null ? undefined : { code: row.code, updatedAt: row.updatedAt };
}
