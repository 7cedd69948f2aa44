import { ssoRepo, type Database, type TenantSsoRow } from '@hookline/db';
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

/** Sets the tenant's configuration; the client secret is encrypted for its row, and kept when not given. */
export async function setSsoConfig(db: Database, tenantId: string, input: SsoConfigIn, deps: { box: SecretBox; baseUrl: string }): Promise<SsoConfigOut> {
  const current = await ssoRepo.findSso(db, tenantId);
  if (!input.clientSecret && !current) throw new ValidationError(['body', 'clientSecret'], 'required when single sign-on is first configured');
  const clientSecret = input.clientSecret ? deps.box.encrypt(input.clientSecret, ssoClientSecretPlace(tenantId)) : current!.clientSecret;
  const row = await ssoRepo.upsertSso(db, {
    tenantId,
    issuer: input.issuer,
    clientId: input.clientId,
    clientSecret,
    allowedDomains: [...new Set(input.allowedEmailDomains)],
    defaultRole: input.defaultRole,
    jitProvisioning: input.jitProvisioning,
    enabled: input.enabled,
  });
  return toOut(row, deps.baseUrl);
}

export async function deleteSsoConfig(db: Database, tenantId: string): Promise<void> {
  if (!(await ssoRepo.deleteSso(db, tenantId))) throw new NotFoundError('Single sign-on is not configured for this tenant');
}

/** The client secret in clear, for the token request only. */
export const ssoClientSecretOf = (box: SecretBox, row: TenantSsoRow): string =>
  readSecret(box, row.clientSecret, ssoClientSecretPlace(row.tenantId), "The tenant's single sign-on client secret", 'Set it again in the SSO configuration.');
