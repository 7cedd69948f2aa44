import { sql } from 'kysely';
import type { Database } from '../connect.ts';

/** After a success: the endpoint is healthy again. Writes only when it was failing. */
export async function markEndpointHealthy(db: Database, tenantId: string, endpointId: string): Promise<void> {
  await db.updateTable('endpoint').set({ failingSince: null })
    .where('tenantId', '=', tenantId).where('id', '=', endpointId).where('failingSince', 'is not', null)
    .execute();
}

/** After a failure: records since when the endpoint fails, and returns that time. */
export async function markEndpointFailing(db: Database, tenantId: string, endpointId: string, at: Date): Promise<Date | undefined> {
  const row = await db.updateTable('endpoint').set({ failingSince: sql<Date>`coalesce(failing_since, ${at})` })
    .where('tenantId', '=', tenantId).where('id', '=', endpointId)
    .returning('failingSince').executeTakeFirst();
  return row?.failingSince ?? undefined;
}

/** Disables an endpoint; returns false when it was already disabled (or is gone). */
export async function disableEndpoint(db: Database, tenantId: string, endpointId: string): Promise<boolean> {
  const res = await db.updateTable('endpoint').set({ disabled: true, updatedAt: new Date() })
    .where('tenantId', '=', tenantId).where('id', '=', endpointId).where('disabled', '=', false)
    .executeTakeFirst();
  return res.numUpdatedRows > 0n;
}
