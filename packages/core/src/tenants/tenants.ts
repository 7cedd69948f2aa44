import { tenantRepo, type Database, type TenantRow } from '@hookline/db';
import { describeChanges } from '../audit/auditChanges.ts';
import { inAuditedTransaction, maintenanceActor, recordAudit, type AuditBy, type AuditContext } from '../audit/auditLog.ts';
import { newId } from '../ids.ts';
import { paginate, type ListPage, type ListParams } from '../pagination.ts';
import { NotFoundError } from '../errors.ts';
import type { TenantOut, TenantPatch } from './tenantSchemas.ts';
import { createInvite } from '../accounts/invites.ts';
import { createApiKey, generateToken, hashToken, tokensEqual } from './apiKeys.ts';

const toTenantOut = (row: TenantRow): TenantOut => ({ id: row.id, name: row.name, retrySchedule: row.retrySchedule, createdAt: row.createdAt });

export async function getTenant(db: Database, tenantId: string): Promise<TenantOut> {
  const row = await tenantRepo.findTenant(db, tenantId);
  if (!row) throw new NotFoundError('Tenant not found');
  return toTenantOut(row);
}

/** Renames a tenant or sets its own retry schedule (null returns it to the deployment's). */
export async function updateTenant(db: Database, tenantId: string, patch: TenantPatch, audit: AuditContext): Promise<TenantOut> {
  return inAuditedTransaction(db, async (trx) => {
    const before = await tenantRepo.findTenant(trx, tenantId);
    const row = await tenantRepo.updateTenant(trx, tenantId, patch);
    if (!before || !row) throw new NotFoundError('Tenant not found');
    await recordAudit(trx, audit, { action: 'tenant.updated', target: { kind: 'tenant', id: tenantId }, changes: describeChanges(before, row, TENANT_FIELDS) });
    return toTenantOut(row);
  });
}

const TENANT_FIELDS = ['name', 'retrySchedule'] as const;
/** Who creates a tenant outside any request: the first start, and scripts. */
const SETUP: AuditBy = { actor: maintenanceActor('setup'), origin: {} };

/** Creates a tenant; its record is the first of its audit log. */
export async function createTenant(db: Database, input: { name: string }, by: AuditBy = SETUP): Promise<TenantOut> {
  return inAuditedTransaction(db, async (trx) => {
    const row = await tenantRepo.insertTenant(trx, { id: newId('org'), name: input.name });
    await recordAudit(
      trx,
      { tenantId: row.id, ...by },
      { action: 'tenant.created', target: { kind: 'tenant', id: row.id }, changes: describeChanges(undefined, row, TENANT_FIELDS) },
    );
    return toTenantOut(row);
  });
}

export async function listTenants(db: Database, params: ListParams): Promise<ListPage<TenantOut>> {
  return paginate(params, 'ascending', (page) => tenantRepo.listTenants(db, page), toTenantOut);
}

const ADMIN_TOKEN_SETTING = 'admin_token_hash';

/** Checks the operator token: the configured one, else the one generated at first start. */
export async function verifyAdminToken(db: Database, configured: string | undefined, token: string): Promise<boolean> {
  if (configured) return tokensEqual(configured, token);
  const stored = await tenantRepo.getSetting(db, ADMIN_TOKEN_SETTING);
  return stored !== undefined && tokensEqual(stored, hashToken(token));
}

export interface BootstrapResult {
  tenant: TenantOut;
  apiKey: string;
  /** Set only when no admin token was configured and one was generated. */
  adminToken?: string;
  /** A single-use invitation that makes its holder the first owner of the tenant (its link: inviteUrl). */
  ownerInviteToken: string;
}

/**
 * On the first start against an empty database: a default tenant with one API key, and an admin
 * token when none is configured. Runs under an advisory lock so concurrent starters create one.
 */
export async function bootstrapIfEmpty(db: Database, configuredAdminToken: string | undefined): Promise<BootstrapResult | undefined> {
  return db.transaction().execute(async (trx) => {
    await tenantRepo.lockBootstrap(trx);
    if ((await tenantRepo.countTenants(trx)) > 0) return undefined;
    const tenant = await createTenant(trx, { name: 'default' });
    const { key } = await createApiKey(trx, tenant.id, { name: 'default' }, { tenantId: tenant.id, ...SETUP });
    let adminToken: string | undefined;
    if (!configuredAdminToken && (await tenantRepo.getSetting(trx, ADMIN_TOKEN_SETTING)) === undefined) {
      adminToken = generateToken('hka_');
      await tenantRepo.putSetting(trx, ADMIN_TOKEN_SETTING, hashToken(adminToken));
    }
    const invite = await createInvite(trx, tenant.id, { email: null, role: 'owner', inviterPersonId: null }, { tenantId: tenant.id, ...SETUP });
    return { tenant, apiKey: key, ownerInviteToken: invite.token, ...(adminToken ? { adminToken } : {}) };
  });
}
