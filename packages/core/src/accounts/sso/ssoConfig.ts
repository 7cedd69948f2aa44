import { ssoRepo, type Database, type TenantSsoRow } from '@hookline/db';
import { inAuditedTransaction, recordAudit, type AuditContext } from '../../audit/auditLog.ts';
import { describeChanges } from '../../audit/auditChanges.ts';
import { NotFoundError, ValidationError } from '../../errors.ts';
import type { SecretBox, SecretPlace } from '../../secrets/secretBox.ts';
import { readSecret } from '../../secrets/secretPlaces.ts';
import type { SsoConfigIn, SsoConfigOut } from './ssoSchemas.ts';

/** Where a tenant's client secret is stored: its envelope decrypts only in that row. */
export const ssoClientSecretPlace = (tenantId: string): SecretPlace => ({ table: 'tenant_sso', column: 'client_secret', rowId: tenantId, tenantId });

/** The callback every tenant's provider sends people back to (the tenant rides in the sign-in's cookie). */
export const ssoRedirectUri = (baseUrl: string): string => `${baseUrl.replace(/\/+$/, '')}/console/v1/sso/callback`;

const toOut = (row: TenantSsoRow, baseUrl: string): SsoConfigOut => ({
  issuer: row.issuer,
  clientId: row.clientId,
  clientSecretSet: row.clientSecret.length > 0,
  allowedEmailDomains: row.allowedDomains,
  defaultRole: row.defaultRole,
  jitProvisioning: row.jitProvisioning,
  enabled: row.enabled,
  redirectUri: ssoRedirectUri(baseUrl),
  startUrl: `${baseUrl.replace(/\/+$/, '')}/console/v1/sso/start?tenant=${encodeURIComponent(row.tenantId)}`,
  updatedAt: row.updatedAt,
});

export async function getSsoConfig(db: Database, tenantId: string, deps: { baseUrl: string }): Promise<SsoConfigOut> {
  const row = await ssoRepo.findSso(db, tenantId);
  if (!row) throw new NotFoundError('Single sign-on is not configured for this tenant');
  return toOut(row, deps.baseUrl);
}

/**
 * Whether a tenant offers single sign-on, for the sign-in page's button. Public: tenant ids are
 * random, so this names nothing a guess could find, and the start route already tells the same.
 */
export async function ssoOffered(db: Database, tenantId: string): Promise<boolean> {
  return (await ssoRepo.findSso(db, tenantId))?.enabled === true;
}

/** Sets the tenant's configuration; the client secret is encrypted for its row, and kept when not given. */
export async function setSsoConfig(
  db: Database,
  tenantId: string,
  input: SsoConfigIn,
  deps: { box: SecretBox; baseUrl: string; audit: AuditContext },
): Promise<SsoConfigOut> {
  return inAuditedTransaction(db, async (trx) => {
    const current = await ssoRepo.findSso(trx, tenantId);
    const row = await writeSsoConfig(trx, tenantId, input, current, deps.box);
    // The client secret only as changed or not: never its value (nor its envelope).
    const changes = { ...describeChanges(current, row, SSO_FIELDS), ...(input.clientSecret ? { clientSecret: { changed: true as const } } : {}) };
    await recordAudit(trx, deps.audit, { action: 'sso.config.updated', target: { kind: 'sso', id: tenantId }, changes });
    return toOut(row, deps.baseUrl);
  });
}

const SSO_FIELDS = ['issuer', 'clientId', 'allowedDomains', 'defaultRole', 'jitProvisioning', 'enabled'] as const;

async function writeSsoConfig(db: Database, tenantId: string, input: SsoConfigIn, current: TenantSsoRow | undefined, box: SecretBox): Promise<TenantSsoRow> {
  if (!input.clientSecret && !current) throw new ValidationError(['body', 'clientSecret'], 'required when single sign-on is first configured');
  const clientSecret = input.clientSecret ? box.encrypt(input.clientSecret, ssoClientSecretPlace(tenantId)) : current!.clientSecret;
  return ssoRepo.upsertSso(db, {
    tenantId,
    issuer: input.issuer,
    clientId: input.clientId,
    clientSecret,
    allowedDomains: [...new Set(input.allowedEmailDomains)],
    defaultRole: input.defaultRole,
    jitProvisioning: input.jitProvisioning,
    enabled: input.enabled,
  });
}

export async function deleteSsoConfig(db: Database, tenantId: string, audit: AuditContext): Promise<void> {
  await inAuditedTransaction(db, async (trx) => {
    const current = await ssoRepo.findSso(trx, tenantId);
    if (!current || !(await ssoRepo.deleteSso(trx, tenantId))) throw new NotFoundError('Single sign-on is not configured for this tenant');
    await recordAudit(trx, audit, { action: 'sso.config.deleted', target: { kind: 'sso', id: tenantId }, changes: describeChanges(current, undefined, SSO_FIELDS) });
  });
}

/** The client secret in clear, for the token request only. */
export const ssoClientSecretOf = (box: SecretBox, row: TenantSsoRow): string =>
  readSecret(box, row.clientSecret, ssoClientSecretPlace(row.tenantId), "The tenant's single sign-on client secret", 'Set it again in the SSO configuration.');
