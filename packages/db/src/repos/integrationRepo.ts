import type { Database } from '../connect.ts';
import type { IntegrationRow } from '../schema.ts';
import { pageQuery, type Page } from './page.ts';

// An application's integrations; every query names the tenant and the application.

export async function insertIntegration(db: Database, row: Omit<IntegrationRow, 'createdAt' | 'updatedAt'> & { createdAt: Date }): Promise<IntegrationRow> {
  return db
    .insertInto('integration')
    .values({ ...row, updatedAt: row.createdAt })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function listIntegrations(db: Database, tenantId: string, appId: string, page: Page): Promise<IntegrationRow[]> {
  return pageQuery(db.selectFrom('integration').selectAll().where('tenantId', '=', tenantId).where('appId', '=', appId), page).execute();
}

export async function findIntegration(db: Database, tenantId: string, appId: string, id: string): Promise<IntegrationRow | undefined> {
  return db.selectFrom('integration').selectAll().where('tenantId', '=', tenantId).where('appId', '=', appId).where('id', '=', id).executeTakeFirst();
}

/** The row locked until the caller commits, so a rotation and a read or another rotation take turns. */
export async function lockIntegration(db: Database, tenantId: string, appId: string, id: string): Promise<IntegrationRow | undefined> {
  return db.selectFrom('integration').selectAll().where('tenantId', '=', tenantId).where('appId', '=', appId).where('id', '=', id).forUpdate().executeTakeFirst();
}

export async function updateIntegration(
  db: Database,
  tenantId: string,
  appId: string,
  id: string,
  update: { name?: string; featureFlags?: string[] | null; key?: string; updatedAt: Date },
): Promise<IntegrationRow | undefined> {
  return db.updateTable('integration').set(update).where('tenantId', '=', tenantId).where('appId', '=', appId).where('id', '=', id).returningAll().executeTakeFirst();
}

export async function deleteIntegration(db: Database, tenantId: string, appId: string, id: string): Promise<IntegrationRow | undefined> {
  return db.deleteFrom('integration').where('tenantId', '=', tenantId).where('appId', '=', appId).where('id', '=', id).returningAll().executeTakeFirst();
}
