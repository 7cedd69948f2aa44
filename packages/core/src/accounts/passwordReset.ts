import { randomBytes } from 'node:crypto';
import { passwordResetRepo, personRepo, sessionRepo, ssoRepo, totpRepo, type Database } from '@hookline/db';
import type { RequestOrigin } from '../audit/actor.ts';
import { inAuditedTransaction } from '../audit/auditLog.ts';
import { recordPersonAudit } from '../audit/personAudit.ts';
import { BadRequestError, ForbiddenError, NotFoundError } from '../errors.ts';
import { newId } from '../ids.ts';
import { hashToken } from '../tenants/apiKeys.ts';
import type { PasswordResetCompleteIn, PasswordResetIn } from './accountSchemas.ts';
import { assertPasswordAcceptable, hashPassword } from './passwords.ts';
import type { PasswordResetMailer } from './passwordResetMail.ts';
import { PASSWORD_RESET_WINDOW_SECONDS, type PasswordResetThrottle } from './passwordResetThrottle.ts';

/** A reset link works once, for this long. */
export const PASSWORD_RESET_VALID_SECONDS = 30 * 60;
const TOKEN_PREFIX = 'hkr_';
const UNAVAILABLE =
  'Password reset by email is not available on this server: it needs an SMTP server (HOOKLINE_SMTP_URL) and its public address (HOOKLINE_PUBLIC_URL). Ask an owner of your team for a new invitation instead.';
const UNKNOWN_LINK = 'This password reset link does not exist, was used already or has expired';
const SSO_ONLY = 'This account signs in with single sign-on only: it has no password, and a reset link does not give it one while a tenant of its uses single sign-on';

/**
 * An SSO-only person: provisioned by single sign-on (no password) and a member of a tenant whose
 * SSO is on. A password would open a second way in that the tenant's provider no longer controls;
 * once no tenant of theirs uses SSO, a reset is how they get one (as the SSO settings say).
 */
const isSsoOnly = async (db: Database, person: { id: string; passwordHash: string | null }) =>
  person.passwordHash === null && (await ssoRepo.isMemberOfSsoTenant(db, person.id));

/** The console page a reset email links to; the token rides in the fragment, which no server log sees. */
export function passwordResetUrl(publicUrl: string, token: string): string {
  return `${publicUrl.replace(/\/+$/, '')}/console/reset#${token}`;
}

export interface PasswordResetRequestDeps {
  mailer: PasswordResetMailer | undefined;
  /**
   * HOOKLINE_PUBLIC_URL, the only base the link may have: a request's own Host header is the
   * caller's to choose, and would send a stranger's link to the caller's site.
   */
  publicUrl: string | undefined;
  /** Links one person may be sent per hour. */
  emailLimit: number;
  throttle: PasswordResetThrottle;
  origin: RequestOrigin;
}

/**
 * Starts a password reset: for an address with an account, records a single-use link (its token
 * stored only hashed) and returns the sending of its email, for the caller to run after answering;
 * for any other address, or one sent `emailLimit` links in the last hour, returns undefined and
 * does nothing. The caller answers alike either way, so the answer tells no one which addresses
 * have accounts. Refused (400 `password_reset_unavailable`) where email or the public address is
 * not configured, and (429) for a client address over its limit.
 */
export async function requestPasswordReset(db: Database, input: PasswordResetIn, deps: PasswordResetRequestDeps): Promise<(() => Promise<void>) | undefined> {
  const { mailer, publicUrl } = deps;
  if (!mailer || !publicUrl) throw new BadRequestError(UNAVAILABLE, 'password_reset_unavailable');
  deps.throttle.assertAllowed(deps.origin.clientAddress);
  deps.throttle.record(deps.origin.clientAddress);
  const person = await personRepo.findPersonByEmail(db, input.email);
  // Answered like an unknown address: the reply must not tell who signs in with SSO.
  if (!person || (await isSsoOnly(db, person))) return undefined;
  const token = `${TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`;
  const expiresAt = new Date(Date.now() + PASSWORD_RESET_VALID_SECONDS * 1000);
  const recorded = await passwordResetRepo.insertPasswordResetUnlessThrottled(
    db,
    { id: newId('pwr'), tokenHash: hashToken(token), personId: person.id, expiresAt },
    { limit: deps.emailLimit, since: new Date(Date.now() - PASSWORD_RESET_WINDOW_SECONDS * 1000) },
  );
  if (!recorded) return undefined;
  // To the address on the account, not the one typed (they differ at most in case).
  return () => mailer.sendPasswordReset({ to: person.email, url: passwordResetUrl(publicUrl, token), expiresAt });
}

/**
 * Sets a new password with a reset link's token: the link is used up, every other link of the
 * person voided, every session of theirs and every pending sign-in ended, and the change recorded
 * in the audit log of each of their tenants, all in one transaction. The person then signs in
 * afresh (with their second factor, if they have one). A password too short is a 422 that leaves
 * the link usable; an unknown, used or expired token a 404, counted against the client address;
 * an SSO-only person's link a 403 (see isSsoOnly).
 */
export async function completePasswordReset(
  db: Database,
  input: PasswordResetCompleteIn,
  deps: { throttle: PasswordResetThrottle; origin: RequestOrigin },
): Promise<void> {
  deps.throttle.assertAllowed(deps.origin.clientAddress);
  assertPasswordAcceptable(input.password);
  const passwordHash = await hashPassword(input.password);
  const taken = await inAuditedTransaction(db, async (trx) => {
    const reset = input.token.startsWith(TOKEN_PREFIX) ? await passwordResetRepo.takePasswordReset(trx, hashToken(input.token)) : undefined;
    if (!reset) return false;
    // A link mailed before the person's tenant turned SSO on; refused, and left as it is (the transaction rolls back).
    const person = await personRepo.findPerson(trx, reset.personId);
    if (person && (await isSsoOnly(trx, person))) throw new ForbiddenError(SSO_ONLY);
    await personRepo.setPassword(trx, reset.personId, passwordHash);
    await passwordResetRepo.voidPasswordResets(trx, reset.personId);
    await sessionRepo.revokeAllSessions(trx, reset.personId);
    await totpRepo.deleteChallengesOf(trx, reset.personId);
    await recordPersonAudit(trx, reset.personId, deps.origin, {
      action: 'person.password.reset',
      changes: { password: { changed: true }, sessions: { to: 'all ended' }, by: { to: 'email link' } },
    });
    return true;
  });
  if (!taken) {
    deps.throttle.record(deps.origin.clientAddress);
    throw new NotFoundError(UNKNOWN_LINK);
  }
}
