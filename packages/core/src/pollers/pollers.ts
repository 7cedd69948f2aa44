import { pollerRepo, type Database, type PollerRow } from '@hookline/db';
import { getApplication } from '../applications/applications.ts';
import { describeChanges } from '../audit/auditChanges.ts';
import { inAuditedTransaction, recordAudit, type AuditContext } from '../audit/auditLog.ts';
import type { AuditTarget } from '../audit/auditActions.ts';
import { ConflictError, NotFoundError } from '../errors.ts';
import { idBoundary, newId } from '../ids.ts';
import { paginate, type ListPage, type ListParams } from '../pagination.ts';
import { isUniqueViolation } from '../postgresErrors.ts';
import type { PollerIn, PollerOut } from './pollerSchemas.ts';

// Managing an application's pollers (Svix's polling endpoints, which Svix creates in its portal
// only): create, list, delete. Reading them is polling.ts.

const FIELDS = ['uid', 'description', 'eventTypes', 'channels'] as const;

export const toPollerOut = (row: PollerRow): PollerOut => ({
  id: row.id,
  uid: row.uid,
  description: row.description,
  eventTypes: row.eventTypes,
  channels: row.channels,
  path: `/api/v1/app/${row.appId}/poller/${row.id}`,
  createdAt: row.createdAt,
});

const pollerTarget = (row: PollerRow): AuditTarget => ({ kind: 'poller', id: row.id, appId: row.appId });

/** The application's poller by id or uid; 404 when the application or the poller is not the tenant's. */
export async function getPoller(db: Database, tenantId: string, appIdOrUid: string, idOrUid: string): Promise<PollerRow> {
  const app = await getApplication(db, tenantId, appIdOrUid);
  const row = await pollerRepo.findPoller(db, tenantId, app.id, idOrUid);
  if (!row) throw new NotFoundError('Poller not found');
  return row;
}

/** A new poller: it reads the application's messages published from now on that pass its filter. */
export async function createPoller(db: Database, tenantId: string, appIdOrUid: string, input: PollerIn, audit: AuditContext): Promise<PollerOut> {
  const app = await getApplication(db, tenantId, appIdOrUid);
  const now = new Date();
  try {
    return await inAuditedTransaction(db, async (trx) => {
      const row = await pollerRepo.insertPoller(trx, {
        id: newId('poll', now),
        tenantId,
        appId: app.id,
        uid: input.uid ?? null,
        description: input.description ?? '',
        eventTypes: input.eventTypes ?? null,
        channels: input.channels ?? null,
        // Every id made from this millisecond on sorts above it.
        startAfter: idBoundary('msg', now, 'start'),
        createdAt: now,
      });
      await recordAudit(trx, audit, { action: 'poller.created', target: pollerTarget(row), changes: describeChanges(undefined, row, FIELDS) });
      return toPollerOut(row);
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw new ConflictError('A poller with this uid already exists');
    throw err;
  }
}

export async function listPollers(db: Database, tenantId: string, appIdOrUid: string, params: ListParams): Promise<ListPage<PollerOut>> {
  const app = await getApplication(db, tenantId, appIdOrUid);
  return paginate(params, 'ascending', (page) => pollerRepo.listPollers(db, tenantId, app.id, page), toPollerOut);
}

/** Deletes a poller and its consumers' positions. */
export async function deletePoller(db: Database, tenantId: string, appIdOrUid: string, idOrUid: string, audit: AuditContext): Promise<void> {
  const current = await getPoller(db, tenantId, appIdOrUid, idOrUid);
  await inAuditedTransaction(db, async (trx) => {
    if (!(await pollerRepo.deletePoller(trx, tenantId, current.id))) return;
    await recordAudit(trx, audit, { action: 'poller.deleted', target: pollerTarget(current), changes: describeChanges(current, undefined, FIELDS) });
  });
}
