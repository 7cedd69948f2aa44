import { randomBytes } from 'node:crypto';
import { integrationRepo, type Database, type IntegrationRow } from '@hookline/db';
import type { AuditAction } from '../audit/auditActions.ts';
import { describeChanges } from '../audit/auditChanges.ts';
import { inAuditedTransaction, recordAudit, type AuditContext } from '../audit/auditLog.ts';
import { NotFoundError } from '../errors.ts';
import { newId } from '../ids.ts';
import { paginate, type ListPage, type ListParams } from '../pagination.ts';
import type { SecretBox } from '../secrets/secretBox.ts';
import { integrationKeyPlace, readSecret } from '../secrets/secretPlaces.ts';
import type { IntegrationIn, IntegrationKeyOut, IntegrationOut, IntegrationUpdate } from './integrationSchemas.ts';

// Svix's integrations: a named key per application that a vendor hands to a third party. Hookline
// stores, shows and rotates the key; it authenticates no Hookline route (docs/api.md#integrations).

/** 32 random bytes: as strong as an API key. */
const generateKey = (): string => `integsk_${randomBytes(32).toString('base64url')}`;

const AUDITED_FIELDS = ['name', 'featureFlags'] as const;

const flagsOf = (flags: readonly string[] | undefined): string[] | null => (flags && flags.length > 0 ? [...new Set(flags)] : null);

export const toIntegrationOut = (row: IntegrationRow): IntegrationOut => ({
  id: row.id,
  name: row.name,
  featureFlags: row.featureFlags ?? [],
  createdAt: row.createdAt,
  updatedAt: row.updatedAt,
});

async function auditIntegration(db: Database, audit: AuditContext, action: AuditAction, row: IntegrationRow, before?: IntegrationRow, after?: IntegrationRow) {
  await recordAudit(db, audit, {
    action,
    target: { kind: 'integration', id: row.id, appId: row.appId },
    ...(before || after ? { changes: describeChanges(before && toIntegrationOut(before), after && toIntegrationOut(after), AUDITED_FIELDS) } : {}),
  });
}

async function findIntegration(db: Database, tenantId: string, appId: string, id: string): Promise<IntegrationRow> {
  const row = await integrationRepo.findIntegration(db, tenantId, appId, id);
  if (!row) throw new NotFoundError('Integration not found');
  return row;
}

/** Creates an integration of application `appId` (an id, resolved by the caller) with a new key. */
export async function createIntegration(
  db: Database,
  tenantId: string,
  appId: string,
  input: IntegrationIn,
  box: SecretBox,
  audit: AuditContext,
): Promise<IntegrationOut> {
  const now = new Date();
  const id = newId('integ', now);
  return inAuditedTransaction(db, async (trx) => {
    const row = await integrationRepo.insertIntegration(trx, {
      id,
      tenantId,
      appId,
      name: input.name,
      featureFlags: flagsOf(input.featureFlags),
      key: box.encrypt(generateKey(), integrationKeyPlace({ id, tenantId })),
      createdAt: now,
    });
    await auditIntegration(trx, audit, 'integration.created', row, undefined, row);
    return toIntegrationOut(row);
  });
}

/** The application's integrations, oldest first as Svix lists them. */
export async function listIntegrations(db: Database, tenantId: string, appId: string, params: ListParams): Promise<ListPage<IntegrationOut>> {
  return paginate(params, 'ascending', (page) => integrationRepo.listIntegrations(db, tenantId, appId, page), toIntegrationOut);
}

export async function getIntegration(db: Database, tenantId: string, appId: string, id: string): Promise<IntegrationOut> {
  return toIntegrationOut(await findIntegration(db, tenantId, appId, id));
}

/** PUT: replaces the name and the feature flags; the key stays. */
export async function updateIntegration(
  db: Database,
  tenantId: string,
  appId: string,
  id: string,
  input: IntegrationUpdate,
  audit: AuditContext,
): Promise<IntegrationOut> {
  return inAuditedTransaction(db, async (trx) => {
    const before = await integrationRepo.lockIntegration(trx, tenantId, appId, id);
    if (!before) throw new NotFoundError('Integration not found');
    const after = await integrationRepo.updateIntegration(trx, tenantId, appId, id, {
      name: input.name,
      featureFlags: flagsOf(input.featureFlags),
      updatedAt: new Date(),
    });
    if (!after) throw new NotFoundError('Integration not found');
    await auditIntegration(trx, audit, 'integration.updated', after, before, after);
    return toIntegrationOut(after);
  });
}

export async function deleteIntegration(db: Database, tenantId: string, appId: string, id: string, audit: AuditContext): Promise<void> {
  await inAuditedTransaction(db, async (trx) => {
    const row = await integrationRepo.deleteIntegration(trx, tenantId, appId, id);
    if (!row) throw new NotFoundError('Integration not found');
    await auditIntegration(trx, audit, 'integration.deleted', row, row, undefined);
  });
}

const readKey = (box: SecretBox, row: IntegrationRow): string =>
  readSecret(box, row.key, integrationKeyPlace(row), "The integration's key", 'Rotate it to get a new one.');

/** The integration's key; the read is audited (names only), as reading an endpoint's secret is. */
export async function getIntegrationKey(db: Database, tenantId: string, appId: string, id: string, box: SecretBox, audit: AuditContext): Promise<IntegrationKeyOut> {
  const row = await findIntegration(db, tenantId, appId, id);
  const key = readKey(box, row);
  // Recorded before the key is shown: a read the log missed would be worse than a record of a failed send.
  await auditIntegration(db, audit, 'integration.key.read', row);
  return { key };
}

/** Replaces the key with a new one; as in Svix, the previous key is revoked at once (no grace period). */
export async function rotateIntegrationKey(db: Database, tenantId: string, appId: string, id: string, box: SecretBox, audit: AuditContext): Promise<IntegrationKeyOut> {
  return inAuditedTransaction(db, async (trx) => {
    const row = await integrationRepo.lockIntegration(trx, tenantId, appId, id);
    if (!row) throw new NotFoundError('Integration not found');
    const key = generateKey();
    // The integration's own settings are unchanged: updatedAt stays.
    await integrationRepo.updateIntegration(trx, tenantId, appId, id, { key: box.encrypt(key, integrationKeyPlace(row)), updatedAt: row.updatedAt });
    await recordAudit(trx, audit, {
      action: 'integration.key.rotated',
      target: { kind: 'integration', id: row.id, appId: row.appId },
      changes: { key: { changed: true } },
    });
    return { key };
  });
}
