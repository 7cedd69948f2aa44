import { auditLogRepo, type AuditFilter, type AuditLogRow, type Database } from '@hookline/db';
import { idBoundary, newId } from '../ids.ts';
import { paginate, type ListPage, type ListParams } from '../pagination.ts';
import type { AuditAction, AuditTarget } from './auditActions.ts';
import type { AuditChanges } from './auditChanges.ts';
import type { Actor, RequestOrigin } from './actor.ts';
import type { AuditFilterQuery, AuditRecordOut } from './auditSchemas.ts';

/** Who acts, from where, on which tenant: what a domain function that changes something needs to audit it. */
export interface AuditContext {
  tenantId: string;
  actor: Actor;
  origin: RequestOrigin;
}

/** An audit context before its tenant is known (an operator creating a tenant). */
export type AuditBy = Omit<AuditContext, 'tenantId'>;

/** The part of a record the domain function knows: what it did, to what, and which fields changed. */
export interface AuditEntry {
  action: AuditAction;
  target: AuditTarget;
  changes?: AuditChanges;
}

/** The actor of changes made by the periodic maintenance and the delivery worker. */
export const maintenanceActor = (task: string): Actor => ({ kind: 'maintenance', id: task, displayName: `maintenance: ${task}` });

/** An audit context for maintenance work on a tenant (no request, so no origin). */
export const maintenanceAudit = (tenantId: string, task: string): AuditContext => ({ tenantId, actor: maintenanceActor(task), origin: {} });

/**
 * Appends the record of a change. Call it with the transaction that makes the change, so the
 * record exists exactly when the change does (see inAuditedTransaction).
 */
export async function recordAudit(db: Database, audit: AuditContext, entry: AuditEntry): Promise<void> {
  const at = new Date();
  await auditLogRepo.insertAuditRecord(db, {
    id: newId('audit', at),
    tenantId: audit.tenantId,
    at,
    actorKind: audit.actor.kind,
    actorId: audit.actor.id,
    actorName: audit.actor.displayName,
    action: entry.action,
    targetKind: entry.target.kind,
    targetId: entry.target.id,
    appId: entry.target.appId ?? null,
    clientAddress: audit.origin.clientAddress ?? null,
    userAgent: audit.origin.userAgent ?? null,
    requestId: audit.origin.requestId ?? null,
    changes: JSON.stringify(entry.changes ?? {}),
  });
}

/** Runs `work` in a transaction (or in the caller's, when `db` already is one): a change and its audit record commit together. */
export async function inAuditedTransaction<T>(db: Database, work: (trx: Database) => Promise<T>): Promise<T> {
  return db.isTransaction ? work(db) : db.transaction().execute(work);
}

export const toAuditRecordOut = (row: AuditLogRow): AuditRecordOut => ({
  id: row.id,
  tenantId: row.tenantId,
  at: row.at,
  actor: { kind: row.actorKind as AuditRecordOut['actor']['kind'], id: row.actorId, displayName: row.actorName },
  action: row.action as AuditRecordOut['action'],
  target: { kind: row.targetKind, id: row.targetId, appId: row.appId },
  origin: { clientAddress: row.clientAddress, userAgent: row.userAgent, requestId: row.requestId },
  changes: row.changes as AuditRecordOut['changes'],
});

function filterOf(query: AuditFilterQuery): AuditFilter {
  return {
    ...(query.actor !== undefined ? { actorId: query.actor } : {}),
    ...(query.action !== undefined ? { action: query.action } : {}),
    ...(query.target !== undefined ? { targetId: query.target } : {}),
    ...(query.app !== undefined ? { appId: query.app } : {}),
    ...(query.since ? { fromId: idBoundary('audit', query.since, 'start') } : {}),
    ...(query.until ? { toId: idBoundary('audit', query.until, 'end') } : {}),
  };
}

/** A page of the audit log, newest first; `tenantId` undefined lists every tenant's (the operator's view). */
export async function listAuditLog(db: Database, tenantId: string | undefined, params: ListParams, query: AuditFilterQuery): Promise<ListPage<AuditRecordOut>> {
  const filter = filterOf(query);
  return paginate(params, 'descending', (page) => auditLogRepo.listAuditRecords(db, tenantId, filter, page), toAuditRecordOut);
}

const EXPORT_BATCH = 500;

/** Every record that matches, oldest first, read a page at a time so an export of any size holds one page in memory. */
export async function* exportAuditLog(db: Database, tenantId: string | undefined, query: AuditFilterQuery): AsyncGenerator<AuditRecordOut> {
  const filter = filterOf(query);
  let afterId: string | undefined;
  for (;;) {
    const rows = await auditLogRepo.listAuditRecords(db, tenantId, filter, { limit: EXPORT_BATCH, direction: 'asc', ...(afterId ? { afterId } : {}) });
    for (const row of rows) yield toAuditRecordOut(row);
    if (rows.length < EXPORT_BATCH) return;
    afterId = rows[rows.length - 1]!.id;
  }
}

/** Deletes the records older than `retentionDays` (the only deletion the append-only trigger allows). */
export async function pruneAuditLog(db: Database, retentionDays: number, now: Date): Promise<number> {
  return auditLogRepo.deleteAuditRecordsBefore(db, idBoundary('audit', new Date(now.getTime() - retentionDays * 86_400_000), 'start'));
}
