import { sql } from 'kysely';
import type { Database } from '../connect.ts';
import type { AuditLogRow, NewAuditLogRow } from '../schema.ts';
import { pageQuery, type Page } from './page.ts';

/** What a list of audit records may be narrowed to; every field is an exact match (ids are time-ordered, so a time range is an id range). */
export interface AuditFilter {
  actorId?: string;
  action?: string;
  targetId?: string;
  appId?: string;
  /** Ids at or after this one (the start of a time range). */
  fromId?: string;
  /** Ids at or before this one (the end of a time range). */
  toId?: string;
}

/** Appends one record, in the caller's transaction (the change it records). */
export async function insertAuditRecord(db: Database, row: NewAuditLogRow): Promise<void> {
  await db.insertInto('auditLog').values(row).execute();
}

/** A page of a tenant's records, or of every tenant's (the operator's view) when tenantId is undefined. */
export async function listAuditRecords(db: Database, tenantId: string | undefined, filter: AuditFilter, page: Page): Promise<AuditLogRow[]> {
  let q = db.selectFrom('auditLog').selectAll();
  if (tenantId !== undefined) q = q.where('tenantId', '=', tenantId);
  if (filter.actorId !== undefined) q = q.where('actorId', '=', filter.actorId);
  if (filter.action !== undefined) q = q.where('action', '=', filter.action);
  if (filter.targetId !== undefined) q = q.where('targetId', '=', filter.targetId);
  if (filter.appId !== undefined) q = q.where('appId', '=', filter.appId);
  if (filter.fromId !== undefined) q = q.where('id', '>=', filter.fromId);
  if (filter.toId !== undefined) q = q.where('id', '<=', filter.toId);
  return pageQuery(q, page).execute();
}

// Retention deletes in batches, each its own short transaction: the log is written on every change,
// so one long delete would hold back vacuum and lock more than it needs.
const BATCH = 5000;

/**
 * Deletes the records with ids below `beforeId` (older than the retention), the only DELETE the
 * append-only trigger lets through: the setting is local to each batch's transaction.
 */
export async function deleteAuditRecordsBefore(db: Database, beforeId: string): Promise<number> {
  let total = 0;
  for (;;) {
    const n = await db.transaction().execute(async (trx) => {
      await sql`SELECT set_config('hookline.audit_retention', 'on', true)`.execute(trx);
      const res = await sql`
        DELETE FROM audit_log WHERE id IN (SELECT id FROM audit_log WHERE id < ${beforeId} ORDER BY id LIMIT ${sql.lit(BATCH)})
      `.execute(trx);
      return Number(res.numAffectedRows ?? 0n);
    });
    total += n;
    if (n < BATCH) return total;
  }
}
