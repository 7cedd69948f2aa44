import { randomBytes } from 'node:crypto';
import { membershipRepo, sessionRepo, type Database, type PersonSessionRow, type Role } from '@hookline/db';
import type { RequestOrigin } from '../audit/actor.ts';
import { inAuditedTransaction } from '../audit/auditLog.ts';
import { recordPersonAudit } from '../audit/personAudit.ts';
import { AuthenticationError, ForbiddenError, NotFoundError } from '../errors.ts';
import { newId } from '../ids.ts';
import { hashToken } from '../tenants/apiKeys.ts';
import type { SessionOut } from './accountSchemas.ts';

/** How long a session lives: `idleSeconds` after its last use, `maxSeconds` after sign-in at most. */
export interface SessionPolicy {
  idleSeconds: number;
  maxSeconds: number;
}

/** The session policy of a deployment's configuration. */
export function sessionPolicyOf(config: { sessionIdleSeconds: number; sessionMaxSeconds: number }): SessionPolicy {
  return { idleSeconds: config.sessionIdleSeconds, maxSeconds: config.sessionMaxSeconds };
}

/** A signed-in person as a request sees them: the session, its current tenant and the role there. */
export interface SessionPerson {
  sessionId: string;
  personId: string;
  email: string;
  name: string;
  /** The tenant the console works on; null when the person belongs to none. */
  tenantId: string | null;
  /** The person's role in `tenantId` (null: no tenant, or no longer a member). */
  role: Role | null;
  /** The only tenant of a session single sign-on started (see createSession); null for others. */
  ssoTenantId: string | null;
}

export interface NewSession {
  /** The cookie's value: returned once, only its hash is stored. */
  token: string;
  session: PersonSessionRow;
}

const TOKEN_PREFIX = 'hks_';
/** The idle expiry moves on at most this often, so most requests only read the session. */
const TOUCH_EVERY_MS = 60_000;

/**
 * Starts a session with a fresh random id (never one the client chose: no fixation). A session
 * that a tenant's single sign-on starts is confined to that tenant (`ssoTenantId`).
 */
export async function createSession(
  db: Database,
  personId: string,
  tenantId: string | null,
  policy: SessionPolicy,
  origin: RequestOrigin,
  options: { ssoTenantId?: string } = {},
): Promise<NewSession> {
  const token = `${TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`;
  const now = Date.now();
  const session = await sessionRepo.insertSession(db, {
    id: newId('ses'),
    tokenHash: hashToken(token),
    personId,
    currentTenantId: tenantId,
    idleExpiresAt: new Date(Math.min(now + policy.idleSeconds * 1000, now + policy.maxSeconds * 1000)),
    expiresAt: new Date(now + policy.maxSeconds * 1000),
    userAgent: origin.userAgent?.slice(0, 512) ?? null,
    clientAddress: origin.clientAddress ?? null,
    ssoTenantId: options.ssoTenantId ?? null,
  });
  return { token, session };
}

/** Resolves a session cookie to its person, or throws AuthenticationError (unknown, revoked or expired). */
export async function authenticateSession(db: Database, token: string, policy: SessionPolicy): Promise<SessionPerson> {
  if (!token.startsWith(TOKEN_PREFIX)) throw new AuthenticationError('Not signed in, or the session has ended');
  const row = await sessionRepo.findLiveSession(db, hashToken(token));
  if (!row) throw new AuthenticationError('Not signed in, or the session has ended');
  const now = Date.now();
  if (now - row.lastSeenAt.getTime() >= TOUCH_EVERY_MS) {
    const idleExpiresAt = new Date(Math.min(now + policy.idleSeconds * 1000, row.expiresAt.getTime()));
    void sessionRepo.touchSession(db, row.id, idleExpiresAt).catch(() => {});
  }
  return { sessionId: row.id, personId: row.personId, email: row.email, name: row.name, tenantId: row.currentTenantId, role: row.role, ssoTenantId: row.ssoTenantId };
}

export function toSessionOut(row: PersonSessionRow, currentSessionId: string): SessionOut {
  return {
    id: row.id,
    createdAt: row.createdAt,
    lastSeenAt: row.lastSeenAt,
    expiresAt: new Date(Math.min(row.idleExpiresAt.getTime(), row.expiresAt.getTime())),
    userAgent: row.userAgent,
    clientAddress: row.clientAddress,
    current: row.id === currentSessionId,
  };
}

export async function listSessions(db: Database, person: SessionPerson): Promise<SessionOut[]> {
  return (await sessionRepo.listLiveSessions(db, person.personId)).map((row) => toSessionOut(row, person.sessionId));
}

/**
 * Ends one of the person's own sessions; another person's id is a 404. Audited (`origin`) when it
 * ends another session of theirs; signing out (null) is not, as signing in is not.
 */
export async function revokeSession(db: Database, personId: string, sessionId: string, origin: RequestOrigin | null): Promise<void> {
  await inAuditedTransaction(db, async (trx) => {
    if (!(await sessionRepo.revokeSession(trx, personId, sessionId))) throw new NotFoundError('Session not found');
    // No session id in the record: the person and the time say whose session ended.
    if (origin) await recordPersonAudit(trx, personId, origin, { action: 'person.session.revoked' });
  });
}

/** Makes another of the person's tenants the session's current one; a tenant they are not in is a 404. */
export async function switchTenant(db: Database, person: SessionPerson, tenantId: string): Promise<void> {
  if (person.ssoTenantId !== null && person.ssoTenantId !== tenantId) throw new ForbiddenError('This session came from single sign-on and works on its tenant only');
  if (!(await membershipRepo.findRole(db, tenantId, person.personId))) throw new NotFoundError('Tenant not found');
  await sessionRepo.setCurrentTenant(db, person.sessionId, tenantId);
}
