import { applicationRepo, tenantRepo, type Database } from '@hookline/db';
import { createApplication, getApplication } from '../applications/applications.ts';
import { inAuditedTransaction, recordAudit, type AuditContext } from '../audit/auditLog.ts';
import type { AppPortalAccessIn, AppPortalAccessOut, PortalCapability } from './portalAccessSchemas.ts';
import { PORTAL_CAPABILITIES } from './portalAccessSchemas.ts';
import type { PortalKeyRing } from './portalSigningKeys.ts';
import { signPortalToken } from './portalToken.ts';

const DEFAULT_EXPIRY_SECONDS = 7 * 86400;

/** Capabilities a token gets: as asked (ViewBase is always included), read-only, or all. */
export function resolveCapabilities(input: Pick<AppPortalAccessIn, 'capabilities' | 'readOnly'>): PortalCapability[] {
  if (input.capabilities && input.capabilities.length > 0) return [...new Set<PortalCapability>(['ViewBase', ...input.capabilities])];
  if (input.readOnly) return ['ViewBase'];
  return [...PORTAL_CAPABILITIES];
}

/**
 * A portal link for one application: `{url, token}` as Svix's app-portal-access. The token is in the
 * URL's fragment, which browsers never send to servers, so it stays out of access logs.
 * `input.application` creates the application when the path's id or uid does not exist yet.
 */
export async function createAppPortalAccess(
  db: Database,
  tenantId: string,
  appIdOrUid: string,
  input: AppPortalAccessIn,
  options: { keys: PortalKeyRing; portalBaseUrl: string },
  audit: AuditContext,
): Promise<AppPortalAccessOut> {
  // The token is signed, not stored: the record of its issue (never the token) is what the database keeps of it.
  const appId = await inAuditedTransaction(db, async (trx) => {
    const existing = await applicationRepo.findApplication(trx, tenantId, appIdOrUid);
    const id =
      existing?.id ??
      (input.application
        ? (await createApplication(trx, tenantId, { ...input.application, uid: input.application.uid ?? appIdOrUid }, audit)).id
        : (await getApplication(trx, tenantId, appIdOrUid)).id);
    await recordAudit(trx, audit, {
      action: 'portalAccess.created',
      target: { kind: 'application', id, appId: id },
      changes: {
        capabilities: { to: resolveCapabilities(input) },
        expirySeconds: { to: input.expiry ?? DEFAULT_EXPIRY_SECONDS },
        ...(input.sessionId ? { sessionId: { to: input.sessionId } } : {}),
        ...(input.featureFlags ? { featureFlags: { to: input.featureFlags } } : {}),
        ...(input.brand ? { brand: { to: input.brand } } : {}),
      },
    });
    return id;
  });
  const token = await signPortalToken(
    options.keys,
    {
      tenantId,
      appId,
      capabilities: resolveCapabilities(input),
      featureFlags: input.featureFlags,
      sessionId: input.sessionId,
      brand: input.brand,
    },
    input.expiry ?? DEFAULT_EXPIRY_SECONDS,
  );
  const url = `${options.portalBaseUrl.replace(/\/+$/, '')}/portal/${await portalQuery(db, tenantId, input.lang)}#token=${encodeURIComponent(token)}`;
  return { url, token };
}

/**
 * The tenant's portal defaults as the link's query (an embedder's own theme parameters replace
 * them): its theme, and `tenant` when it narrows frame-ancestors (servePortal reads it); and the
 * access's `lang`, which the portal prefers to the browser's languages.
 */
async function portalQuery(db: Database, tenantId: string, lang: AppPortalAccessIn['lang']): Promise<string> {
  const tenant = await tenantRepo.findTenant(db, tenantId);
  const params = new URLSearchParams();
  const theme = tenant?.portalTheme;
  if (theme?.primaryColor) params.set('primaryColor', theme.primaryColor);
  if (theme?.darkMode !== undefined) params.set('darkMode', String(theme.darkMode));
  if (theme?.fontFamily) params.set('fontFamily', theme.fontFamily);
  if (tenant?.portalFrameAncestors) params.set('tenant', tenantId);
  if (lang) params.set('lang', lang);
  const query = params.toString();
  return query ? `?${query}` : '';
}
