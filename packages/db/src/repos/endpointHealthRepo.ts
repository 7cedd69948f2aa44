import type { Database } from '../connect.ts';

// An attempt's own health update (failing since, or healthy again) is written with its row: see deliveryAttemptRepo.

/** Disables an endpoint; returns false when it was already disabled (or is gone). */
export async function disableEndpoint(db: Database, tenantId: string, endpointId: string): Promise<boolean> {
  const res = await db
    .updateTable('endpoint')
    .set({ disabled: true, updatedAt: new Date() })
    .where('tenantId', '=', tenantId)
    .where('id', '=', endpointId)
    .where('disabled', '=', false)
    .executeTakeFirst();
  return res.numUpdatedRows > 0n;
}
