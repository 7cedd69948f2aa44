import { applicationRepo, portalTokenRepo, type ApplicationRow, type Database, type PortalTokenRevocation } from '@hookline/db';
import { inAuditedTransaction, recordAudit, type AuditContext } from '../audit/auditLog.ts';
import { AuthenticationError, BadRequestError } from '../errors.ts';
import { getApplication } from '../applications/applications.ts';
import { MAX_PORTAL_TOKEN_SECONDS, type AppPortalExpireAllIn } from './portalAccessSchemas.ts';
import type { PortalKeyRing } from './portalSigningKeys.ts';
import { verifyPortalToken, type PortalClaims } from './portalToken.ts';

// Portal tokens are stateless JWTs, so "expire-all" (Svix's v1.authentication.expire-all) stores
// rules on the application: tokens issued before `before` stop working at `at`, all of them or one
// session's. A rule matters only while a token it covers can still be unexpired, so rules older
// than the longest token lifetime are dropped, and the list stays short.

const MAX_LIFETIME_MS = MAX_PORTAL_TOKEN_SECONDS * 1000;
/** Beyond this many rules, they are folded into one rule for every token (revoking more, never less). */
const MAX_RULES = 100;

const covers = (q: PortalTokenRevocation, r: PortalTokenRevocation): boolean => q.sid === undefined || q.sid === r.sid;
/** q makes r redundant: it covers r's tokens, issued up to a later time, from an earlier moment on. */
const dominates = (q: PortalTokenRevocation, r: PortalTokenRevocation): boolean => covers(q, r) && q.before >= r.before && q.at <= r.at;

/** Adds rules and compacts the list: drops the ones that no longer matter or that another rule makes redundant. */
export function addRevocations(rules: readonly PortalTokenRevocation[], added: readonly PortalTokenRevocation[], nowMs: number): PortalTokenRevocation[] {
  // A rule already in force is the same as one in force since ever: normalizing `at` lets them dominate each other.
  const live = [...rules, ...added].filter((r) => r.before + MAX_LIFETIME_MS > nowMs).map((r) => (r.at <= nowMs ? { ...r, at: 0 } : r));
  const unique = [...new Map(live.map((r) => [JSON.stringify([r.before, r.at, r.sid ?? null]), r])).values()];
  let kept = unique.filter((r) => !unique.some((q) => q !== r && dominates(q, r)));
  if (kept.length > MAX_RULES) kept = [{ before: Math.max(...kept.map((r) => r.before)), at: Math.min(...kept.map((r) => r.at)) }];
  return kept.sort((x, y) => x.before - y.before);
}

/** Whether a token with these claims is revoked by the application's rules at `nowMs`. */
export function isPortalTokenRevoked(rules: readonly PortalTokenRevocation[], claims: Pick<PortalClaims, 'issuedAt' | 'sessionId'>, nowMs: number): boolean {
  const issued = claims.issuedAt.getTime();
  return rules.some((r) => issued < r.before && nowMs >= r.at && (r.sid === undefined || r.sid === claims.sessionId));
}

/**
 * Expires the application's portal tokens issued until now: at once, or after `expiry` seconds;
 * every token, or only those of the given sessions. Tokens issued afterwards keep working.
 */
export async function expireAllPortalTokens(db: Database, tenantId: string, appIdOrUid: string, input: AppPortalExpireAllIn, audit: AuditContext): Promise<void> {
  const appId = (await getApplication(db, tenantId, appIdOrUid)).id;
  await db.transaction().execute(async (trx) => {
    const rules = await portalTokenRepo.lockPortalTokenRevocations(trx, tenantId, appId);
    if (rules === undefined) return; // deleted meanwhile: its tokens no longer find it anyway
    const now = Date.now();
    const at = now + (input.expiry ?? 0) * 1000;
    const sessions = input.sessionIds ?? [];
    const added = sessions.length > 0 ? [...new Set(sessions)].map((sid) => ({ before: now, at, sid })) : [{ before: now, at }];
    await portalTokenRepo.setPortalTokenRevocations(trx, tenantId, appId, addRevocations(rules, added, now));
    await recordAudit(trx, audit, {
      action: 'portalAccess.expiredAll',
      target: { kind: 'application', id: appId, appId },
      changes: { expirySeconds: { to: input.expiry ?? 0 }, ...(sessions.length > 0 ? { sessionIds: { to: [...new Set(sessions)] } } : {}) },
    });
  });
}

/**
 * Authenticates a portal token: a valid signature and expiry, an application that still exists,
 * no expire-all that covers it, and not logged out (auth/logout). Every failure is a 401, which the portal shows as "revoked".
 */
export async function authenticatePortalToken(db: Database, keys: PortalKeyRing, token: string): Promise<{ claims: PortalClaims; app: ApplicationRow }> {
  const claims = await verifyPortalToken(keys, token);
  const app = await applicationRepo.findApplication(db, claims.tenantId, claims.appId);
  if (!app || app.id !== claims.appId) throw new AuthenticationError('Portal token for an application that no longer exists');
  if (isPortalTokenRevoked(app.portalTokenRevocations, claims, Date.now())) throw new AuthenticationError('Portal token revoked');
  if (claims.tokenId !== null && (await portalTokenRepo.isTokenLoggedOut(db, claims.tenantId, claims.tokenId))) throw new AuthenticationError('Portal token logged out');
  return { claims, app };
}

/**
 * Ends the portal token a request was made with (Svix's auth/logout): from now on it is refused
 * with 401. Other tokens of the same application or session keep working.
 */
export async function logoutPortalToken(db: Database, claims: PortalClaims, audit: AuditContext): Promise<void> {
  if (claims.tokenId === null) throw new BadRequestError('This portal token has no id and cannot be logged out; use expire-all for its application');
  const { tokenId } = claims;
  await inAuditedTransaction(db, async (trx) => {
    await portalTokenRepo.insertTokenLogout(trx, claims.tenantId, claims.appId, tokenId, claims.expiresAt);
    await recordAudit(trx, audit, {
      action: 'portalAccess.loggedOut',
      target: { kind: 'application', id: claims.appId, appId: claims.appId },
      changes: claims.sessionId ? { sessionId: { to: claims.sessionId } } : {},
    });
  });
}
