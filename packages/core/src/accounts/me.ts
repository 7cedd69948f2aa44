import { membershipRepo, personRepo, sessionRepo, type Database } from '@hookline/db';
import type { RequestOrigin } from '../audit/actor.ts';
import { recordPersonAudit } from '../audit/personAudit.ts';
import { AuthenticationError, NotFoundError } from '../errors.ts';
import type { MeOut } from './accountSchemas.ts';
import { assertPasswordAcceptable, hashPassword, verifyPassword } from './passwords.ts';
import { hasSecondFactor } from './totp/totp.ts';
import { createSession, type NewSession, type SessionPerson, type SessionPolicy } from './sessions.ts';
import type { SignInThrottle } from './signInThrottle.ts';

/** The signed-in person: profile, every tenant they belong to (with the role there), the current one, and how they sign in. */
export async function getMe(db: Database, person: SessionPerson): Promise<MeOut> {
  const [all, row, totpEnabled] = await Promise.all([
    membershipRepo.listTenantsOf(db, person.personId),
    personRepo.findPerson(db, person.personId),
    hasSecondFactor(db, person.personId),
  ]);
  const tenants = person.ssoTenantId === null ? all : all.filter((t) => t.tenantId === person.ssoTenantId);
  return {
    id: person.personId,
    email: person.email,
    name: person.name,
    tenants: tenants.map((t) => ({ id: t.tenantId, name: t.name, role: t.role })),
    currentTenantId: person.tenantId,
    role: person.role,
    totpEnabled,
    hasPassword: Boolean(row?.passwordHash),
  };
}

/**
 * Replaces the person's password after checking the current one, ends every session they have
 * (a stolen cookie stops working) and starts a new one for the caller.
 */
export async function changePassword(
  db: Database,
  person: SessionPerson,
  input: { currentPassword: string; newPassword: string },
  deps: { policy: SessionPolicy; origin: RequestOrigin; throttle: SignInThrottle },
): Promise<NewSession> {
  assertPasswordAcceptable(input.newPassword, 'newPassword');
  const row = await personRepo.findPerson(db, person.personId);
  if (!row) throw new NotFoundError('Person not found');
  // Throttled like sign-in: a stolen session must not become a way to guess the password.
  deps.throttle.assertAllowed(row.email, deps.origin.clientAddress);
  if (!row.passwordHash || !(await verifyPassword(input.currentPassword, row.passwordHash))) {
    deps.throttle.recordFailure(row.email, deps.origin.clientAddress);
    throw new AuthenticationError('The current password is wrong');
  }
  const passwordHash = await hashPassword(input.newPassword);
  return db.transaction().execute(async (trx) => {
    await personRepo.setPassword(trx, person.personId, passwordHash);
    await sessionRepo.revokeAllSessions(trx, person.personId);
    await recordPersonAudit(trx, person.personId, deps.origin, {
      action: 'person.password.changed',
      changes: { password: { changed: true }, sessions: { to: 'all ended' } },
    });
    return createSession(trx, person.personId, person.tenantId, deps.policy, deps.origin, person.ssoTenantId ? { ssoTenantId: person.ssoTenantId } : {});
  });
}
