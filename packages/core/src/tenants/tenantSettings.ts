import { tenantRepo, type Database, type TenantRow } from '@hookline/db';
import { inAuditedTransaction, recordAudit, type AuditContext } from '../audit/auditLog.ts';
import { describeChanges } from '../audit/auditChanges.ts';
import type { Config } from '../config.ts';
import { NotFoundError, ValidationError } from '../errors.ts';
import { listHttpEndpoints } from './httpsOnly.ts';
import { logoForAudit } from './portalLogo.ts';
import { mergeBrand, type PortalBrandOverride, type PortalBrandingOut } from './portalBrand.ts';
import type { TenantSettingsOut, TenantSettingsPatch } from './settingsSchemas.ts';

/** The installation's values that bound and stand in for a tenant's own. */
export type InstallationSettings = Pick<Config, 'retrySchedule' | 'messageRetentionDays' | 'payloadRetentionDays' | 'portalFrameAncestors'>;

async function toSettingsOut(db: Database, row: TenantRow, installation: InstallationSettings): Promise<TenantSettingsOut> {
  return {
    retrySchedule: row.retrySchedule,
    retentionDays: row.retentionDays,
    signatureHeaderNames: row.signatureHeaderNames,
    portal: { theme: row.portalTheme, frameAncestors: row.portalFrameAncestors, logo: row.portalLogo, brand: row.portalBrand },
    httpsOnly: row.httpsOnly,
    httpEndpoints: await listHttpEndpoints(db, row.id),
    installation: {
      retrySchedule: [...installation.retrySchedule],
      messageRetentionDays: installation.messageRetentionDays,
      payloadRetentionDays: installation.payloadRetentionDays,
      portalFrameAncestors: installation.portalFrameAncestors,
    },
  };
}

export async function getTenantSettings(db: Database, input: { tenantId: string; installation: InstallationSettings }): Promise<TenantSettingsOut> {
  const row = await tenantRepo.findTenant(db, input.tenantId);
  if (!row) throw new NotFoundError('Tenant not found');
  return toSettingsOut(db, row, input.installation);
}

/**
 * A tenant's frame-ancestors may only narrow the installation's: every source must be one of its
 * (or 'none'), so a portal link whose tenant was swapped can never be framed more widely than today.
 */
function outsideOf(sources: string, installation: string): string[] {
  const allowed = installation.split(' ');
  if (allowed.includes('*')) return [];
  return sources.split(' ').filter((s) => s !== "'none'" && !allowed.includes(s));
}

function checkFrameAncestors(sources: string, installation: string): void {
  const outside = outsideOf(sources, installation);
  if (outside.length > 0) {
    throw new ValidationError(
      ['body', 'portal', 'frameAncestors'],
      `${outside.join(' ')} not among the installation's frame-ancestors (${installation}): a tenant may only narrow them`,
    );
  }
}

// The settings a record names (old and new value): none of them is a secret.
const SETTINGS_FIELDS = ['retrySchedule', 'retentionDays', 'signatureHeaderNames', 'httpsOnly', 'portalTheme', 'portalFrameAncestors', 'portalBrand'] as const;

/** Changes what `patch` names (null: back to the installation's); validated whole before anything is written. */
export async function updateTenantSettings(
  db: Database,
  input: { tenantId: string; patch: TenantSettingsPatch; installation: InstallationSettings },
  audit: AuditContext,
): Promise<TenantSettingsOut> {
  const { patch, installation } = input;
  if (patch.retentionDays != null && patch.retentionDays > installation.messageRetentionDays) {
    throw new ValidationError(['body', 'retentionDays'], `at most the installation's message retention (${installation.messageRetentionDays} days)`);
  }
  if (patch.portal?.frameAncestors != null) checkFrameAncestors(patch.portal.frameAncestors, installation.portalFrameAncestors);
  const row = await inAuditedTransaction(db, async (trx) => {
    const before = await tenantRepo.findTenant(trx, input.tenantId);
    const after = await tenantRepo.updateTenant(trx, input.tenantId, {
      retrySchedule: patch.retrySchedule,
      retentionDays: patch.retentionDays,
      signatureHeaderNames: patch.signatureHeaderNames,
      httpsOnly: patch.httpsOnly,
      portalTheme: patch.portal?.theme,
      portalFrameAncestors: patch.portal?.frameAncestors,
      portalLogo: patch.portal?.logo,
      portalBrand: patch.portal?.brand,
    });
    if (!before || !after) throw new NotFoundError('Tenant not found');
    // The logo as its URL, or a data: URL's type and size: the record stays small and readable.
    const changes = describeChanges({ ...before, portalLogo: logoForAudit(before.portalLogo) }, { ...after, portalLogo: logoForAudit(after.portalLogo) }, [
      ...SETTINGS_FIELDS,
      'portalLogo',
    ]);
    await recordAudit(trx, audit, { action: 'tenant.settings.changed', target: { kind: 'tenant', id: input.tenantId }, changes });
    return after;
  });
  return toSettingsOut(db, row, installation);
}

/** What the customer portal shows of its tenant (GET /api/v1/portal-branding): the link's brand over the tenant's. */
export async function getPortalBranding(db: Database, tenantId: string, override?: PortalBrandOverride): Promise<PortalBrandingOut> {
  const row = await tenantRepo.findTenant(db, tenantId);
  if (!row) throw new NotFoundError('Tenant not found');
  return mergeBrand({ brand: row.portalBrand, logo: row.portalLogo }, override);
}

/**
 * The tenant's own portal frame-ancestors, if it has any and they are still within the
 * installation's (an operator may have narrowed those since); else undefined: the installation's.
 */
export async function tenantPortalFrameAncestors(db: Database, tenantId: string, installation: string): Promise<string | undefined> {
  if (tenantId.length > 64) return undefined;
  const own = (await tenantRepo.findTenant(db, tenantId))?.portalFrameAncestors;
  return own && outsideOf(own, installation).length === 0 ? own : undefined;
}
