import type { Database } from '../connect.ts';
import type { MessageAttemptRow, MessageDeliveryRow } from '../schema.ts';
import { pageQuery, type Page } from './page.ts';

export async function insertDeliveries(db: Database, rows: Array<Pick<MessageDeliveryRow, 'tenantId' | 'appId' | 'msgId' | 'endpointId' | 'status' | 'nextAttemptAt'>>): Promise<void> {
  if (rows.length === 0) return;
  await db.insertInto('messageDelivery').values(rows)
    .onConflict((oc) => oc.columns(['msgId', 'endpointId']).doNothing()).execute();
}

export async function findDelivery(db: Database, tenantId: string, msgId: string, endpointId: string): Promise<MessageDeliveryRow | undefined> {
  return db.selectFrom('messageDelivery').selectAll()
    .where('tenantId', '=', tenantId).where('msgId', '=', msgId).where('endpointId', '=', endpointId)
    .executeTakeFirst();
}

export async function updateDelivery(
  db: Database,
  key: { tenantId: string; msgId: string; endpointId: string },
  set: { status: number; attemptCount?: number; nextAttemptAt: Date | null },
): Promise<void> {
  await db.updateTable('messageDelivery').set({ ...set, updatedAt: new Date() })
    .where('tenantId', '=', key.tenantId).where('msgId', '=', key.msgId).where('endpointId', '=', key.endpointId)
    .execute();
}

export async function insertAttempt(db: Database, row: Omit<MessageAttemptRow, 'createdAt'> & { createdAt?: Date }): Promise<void> {
  await db.insertInto('messageAttempt').values(row).execute();
}

export async function listAttempts(
  db: Database,
  tenantId: string,
  appId: string,
  by: { msgId: string } | { endpointId: string },
  page: Page,
  filter: { status?: number },
): Promise<MessageAttemptRow[]> {
  let q = db.selectFrom('messageAttempt').selectAll().where('tenantId', '=', tenantId).where('appId', '=', appId);
  q = 'msgId' in by ? q.where('msgId', '=', by.msgId) : q.where('endpointId', '=', by.endpointId);
  if (filter.status !== undefined) q = q.where('status', '=', filter.status);
  return pageQuery(q, page).execute();
}
