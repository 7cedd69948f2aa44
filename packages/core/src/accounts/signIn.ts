import { membershipRepo, personRepo, type Database } from '@hookline/db';
import type { RequestOrigin } from '../audit/actor.ts';
import { AuthenticationError } from '../errors.ts';
import type { SignInIn } from './accountSchemas.ts';
import { verifyAgainstDummy, verifyPassword } from './passwords.ts';
import type { SessionPolicy } from './sessions.ts';
import type { SignInThrottle } from './signInThrottle.ts';
import { sessionOrChallenge, type SignInResult } from './totp/signInChallenge.ts';

/** The one answer to every failed sign-in, so the message tells no one which addresses have accounts. */
const FAILED = 'Wrong email address or password';

/**
 * Checks an email and password and starts a new session on the requested tenant (or the first one
 * the person belongs to), or a pending sign-in when the person has a second factor. Unknown
 * addresses cost a full scrypt too, and every failure counts against the account and the client address.
 */
export async function signIn(db: Database, input: SignInIn, deps: { throttle: SignInThrottle; policy: SessionPolicy; origin: RequestOrigin }): Promise<SignInResult> {
  deps.throttle.assertAllowed(input.email, deps.origin.clientAddress);
  const person = await personRepo.findPersonByEmail(db, input.email);
  const ok = person?.passwordHash ? await verifyPassword(input.password, person.passwordHash) : await verifyAgainstDummy(input.password);
  if (!person || !ok) {
    deps.throttle.recordFailure(input.email, deps.origin.clientAddress);
    throw new AuthenticationError(FAILED);
  }
  const tenants = await membershipRepo.listTenantsOf(db, person.id);
  const tenantId = tenants.find((t) => t.tenantId === input.tenantId)?.tenantId ?? tenants[0]?.tenantId ?? null;
  return sessionOrChallenge(db, person.id, tenantId, deps);
}
