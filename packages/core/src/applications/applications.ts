import { applicationRepo, type ApplicationRow, type Database } from '@hookline/db';
import { ConflictError, NotFoundError } from '../errors.ts';
import { newId } from '../ids.ts';
import { paginate, type ListPage, type ListParams } from '../pagination.ts';
import { isUniqueViolation } from '../postgresErrors.ts';
import type { ApplicationIn, ApplicationOut } from './applicationSchemas.ts';


export const toApplicationOut = (row: ApplicationRow): ApplicationOut => ({
  id: row.id,
  uid: row.uid,
  name: row.name,
  throttleRate: row.throttleRate,
  metadata: row.metadata,
  createdAt: row.createdAt,
  updatedAt: row.updatedAt,
});

export async function createApplication(db: Database, tenantId: string, input: ApplicationIn): Promise<ApplicationOut> {
  try {
    const row = await applicationRepo.insertApplication(db, {
      id: newId('app'),
      tenantId,
      uid: input.uid ?? null,
      name: input.name,
      throttleRate: input.throttleRate ?? null,
      metadata: JSON.stringify(input.metadata ?? {}),
    });
    return toApplicationOut(row);
  } catch (err) {
    if (isUniqueViolation(err)) throw new ConflictError('An application with this uid already exists');
    throw err;
  }
}

/** Loads an application of the tenant by id or uid, or throws NotFoundError. */
export async function getApplication(db: Database, tenantId: string, idOrUid: string): Promise<ApplicationRow> {
  const row = await applicationRepo.findApplication(db, tenantId, idOrUid);
  if (!row) throw new NotFoundError('Application not found');
  return row;
}

export async function listApplications(db: Database, tenantId: string, params: ListParams): Promise<ListPage<ApplicationOut>> {
  return paginate(params, 'ascending', (page) => applicationRepo.listApplications(db, tenantId, page), toApplicationOut);
}

export async function deleteApplication(db: Database, tenantId: string, idOrUid: string): Promise<void> {
  const app = await getApplication(db, tenantId, idOrUid);
  await applicationRepo.deleteApplication(db, tenantId, app.id);
}
