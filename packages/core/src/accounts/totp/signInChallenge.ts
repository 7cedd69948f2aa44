import { randomBytes } from 'node:crypto';
import { totpRepo, type Database } from '@hookline/db';
import { AuthenticationError } from '../../errors.ts';
import { newId } from '../../ids.ts';
import { hashToken } from '../../tenants/apiKeys.ts';
import { createSession, type NewSession, type SessionPolicy } from '../sessions.ts';
import { assertCode, hasSecondFactor, type SecondFactorDeps } from './totp.ts';

/** A password sign-in must be completed with its code within this time. */
export const CHALLENGE_SECONDS = 300;
/** The cookie that holds the pending sign-in (HttpOnly, on the sign-in routes only). */
export const CHALLENGE_COOKIE = 'hookline_2fa';
const TOKEN_PREFIX = 'hkc_';

/** What a correct password leads to: a session, or (second factor on) a pending sign-in that is not a session. */
export type SignInResult = { session: NewSession } | { challenge: { token: string; expiresAt: Date } };

/** A session for the person, unless they have a second factor: then a challenge (token stored hashed, 5 minutes). */
export async function sessionOrChallenge(
  db: Database,
  personId: string,
  tenantId: string | null,
  deps: { policy: SessionPolicy; origin: SecondFactorDeps['origin'] },
): Promise<SignInResult> {
  if (!(await hasSecondFactor(db, personId))) return { session: await createSession(db, personId, tenantId, deps.policy, deps.origin) };
  const token = `${TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`;
  const expiresAt = new Date(Date.now() + CHALLENGE_SECONDS * 1000);
  await totpRepo.insertChallenge(db, { id: newId('chl'), tokenHash: hashToken(token), personId, sessionTenantId: tenantId, expiresAt });
  return { challenge: { token, expiresAt } };
}

/**
 * Completes a pending sign-in with a TOTP code or a recovery code: throttled like a password, the
 * challenge works once, and the session is new.
 */
export async function completeSecondFactor(
  db: Database,
  token: string | undefined,
  code: string,
  deps: SecondFactorDeps & { policy: SessionPolicy },
): Promise<NewSession> {
  const challenge = token?.startsWith(TOKEN_PREFIX) ? await totpRepo.findChallenge(db, hashToken(token)) : undefined;
  if (!challenge) throw new AuthenticationError('No sign-in waits for a code, or it took too long: sign in again');
  return db.transaction().execute(async (trx) => {
    // In the transaction: a recovery code's use and its audit record commit with the session.
    await assertCode(trx, challenge.personId, challenge.email, code, { ...deps, recovery: true });
    if (!(await totpRepo.deleteChallenge(trx, challenge.id))) throw new AuthenticationError('This sign-in was completed already: sign in again');
    return createSession(trx, challenge.personId, challenge.sessionTenantId, deps.policy, deps.origin);
  });
}
