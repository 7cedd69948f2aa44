import { applicationRepo, type ApplicationRow, type ApplicationUpdate, type Database } from '@hookline/db';
import { inAuditedTransaction, recordAudit, type AuditContext } from '../audit/auditLog.ts';
import { describeChanges } from '../audit/auditChanges.ts';
import { ConflictError, NotFoundError } from '../errors.ts';
import { newId } from '../ids.ts';
import { paginate, type ListPage, type ListParams } from '../pagination.ts';
import { isUniqueViolation } from '../postgresErrors.ts';
import type { ApplicationIn, ApplicationOut, ApplicationPatch } from './applicationSchemas.ts';

/** An application and whether this call created it (201) or found / updated it (200). */
export interface ApplicationResult {
  application: ApplicationOut;
  created: boolean;
}

const UID_TAKEN = 'An application with this uid already exists';

export const toApplicationOut = (row: ApplicationRow): ApplicationOut => ({
  id: row.id,
  uid: row.uid,
  name: row.name,
  throttleRate: row.throttleRate,
  metadata: row.metadata,
  createdAt: row.createdAt,
  updatedAt: row.updatedAt,
});

const AUDITED_FIELDS = ['uid', 'name', 'throttleRate', 'metadata'] as const;
const auditTarget = (app: ApplicationOut) => ({ kind: 'application' as const, id: app.id, appId: app.id });

/** Runs a write that may set a uid, turning the unique index's refusal into a 409. */
async function uidChecked<T>(write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (err) {
    if (isUniqueViolation(err)) throw new ConflictError(UID_TAKEN);
    throw err;
  }
}

/** Every field of an ApplicationIn, with Svix's defaults for the absent ones (a PUT replaces them all). */
function fieldsOf(input: ApplicationIn) {
  return {
    uid: input.uid ?? null,
    name: input.name,
    throttleRate: input.throttleRate ?? null,
    metadata: JSON.stringify(input.metadata ?? {}),
  };
}

/** Creates an application; 409 when its uid is taken. */
export async function createApplication(db: Database, tenantId: string, input: ApplicationIn, audit: AuditContext): Promise<ApplicationOut> {
  return uidChecked(() =>
    inAuditedTransaction(db, async (trx) => {
      const app = toApplicationOut(await applicationRepo.insertApplication(trx, { id: newId('app'), tenantId, ...fieldsOf(input) }));
      await recordAudit(trx, audit, { action: 'application.created', target: auditTarget(app), changes: describeChanges(undefined, app, AUDITED_FIELDS) });
      return app;
    }),
  );
}

/**
 * Svix's `get_if_exists`: the application with the input's uid when there is one (unchanged,
 * whatever the input says), else a new one. Two concurrent calls for a new uid both get the one
 * that won the insert.
 */
export async function getOrCreateApplication(db: Database, tenantId: string, input: ApplicationIn, audit: AuditContext): Promise<ApplicationResult> {
  const findExisting = async () => (input.uid ? applicationRepo.findApplication(db, tenantId, input.uid) : undefined);
  const existing = await findExisting();
  if (existing) return { application: toApplicationOut(existing), created: false };
  try {
    return { application: await createApplication(db, tenantId, input, audit), created: true };
  } catch (err) {
    const winner = err instanceof ConflictError ? await findExisting() : undefined;
    if (winner) return { application: toApplicationOut(winner), created: false };
    throw err;
  }
}

/** Loads an application of the tenant by id or uid, or throws NotFoundError. */
export async function getApplication(db: Database, tenantId: string, idOrUid: string): Promise<ApplicationRow> {
  const row = await applicationRepo.findApplication(db, tenantId, idOrUid);
  if (!row) throw new NotFoundError('Application not found');
  return row;
}

/** A page of the tenant's applications, oldest first; with `search`, those whose name or uid contains it. */
export async function listApplications(db: Database, tenantId: string, params: ListParams & { search?: string | undefined }): Promise<ListPage<ApplicationOut>> {
  return paginate(params, 'ascending', (page) => applicationRepo.listApplications(db, tenantId, page, params.search), toApplicationOut);
}

async function updateApplicationRow(db: Database, before: ApplicationRow, update: ApplicationUpdate, audit: AuditContext): Promise<ApplicationOut> {
  return uidChecked(() =>
    inAuditedTransaction(db, async (trx) => {
      const row = await applicationRepo.updateApplication(trx, before.tenantId, before.id, { ...update, updatedAt: new Date() });
      // Deleted between the lookup and the update.
      if (!row) throw new NotFoundError('Application not found');
      const app = toApplicationOut(row);
      await recordAudit(trx, audit, { action: 'application.updated', target: auditTarget(app), changes: describeChanges(toApplicationOut(before), app, AUDITED_FIELDS) });
      return app;
    }),
  );
}

/**
 * PUT: replaces every field of the application at `idOrUid`, or creates one when there is none.
 * As in Svix, a created application takes its uid from the body, not from the path (a PUT to an
 * unknown path without a uid in the body creates an application without a uid).
 */
export async function upsertApplication(db: Database, tenantId: string, idOrUid: string, input: ApplicationIn, audit: AuditContext): Promise<ApplicationResult> {
  const existing = await applicationRepo.findApplication(db, tenantId, idOrUid);
  if (!existing) return { application: await createApplication(db, tenantId, input, audit), created: true };
  return { application: await updateApplicationRow(db, existing, fieldsOf(input), audit), created: false };
}

/** PATCH: changes the fields present in `patch`; `null` clears uid or throttleRate. */
export async function patchApplication(db: Database, tenantId: string, idOrUid: string, patch: ApplicationPatch, audit: AuditContext): Promise<ApplicationOut> {
  const app = await getApplication(db, tenantId, idOrUid);
  const update: ApplicationUpdate = {};
  if (patch.name !== undefined) update.name = patch.name;
  if (patch.uid !== undefined) update.uid = patch.uid;
  if (patch.throttleRate !== undefined) update.throttleRate = patch.throttleRate;
  if (patch.metadata !== undefined) update.metadata = JSON.stringify(patch.metadata);
  return updateApplicationRow(db, app, update, audit);
}

/** Deletes the application and everything under it; its uid is free for a new application at once. */
export async function deleteApplication(db: Database, tenantId: string, idOrUid: string, audit: AuditContext): Promise<void> {
  const app = await getApplication(db, tenantId, idOrUid);
  await inAuditedTransaction(db, async (trx) => {
    await applicationRepo.deleteApplication(trx, tenantId, app.id);
    await recordAudit(trx, audit, {
      action: 'application.deleted',
      target: auditTarget(toApplicationOut(app)),
      changes: describeChanges(toApplicationOut(app), undefined, AUDITED_FIELDS),
    });
  });
}
