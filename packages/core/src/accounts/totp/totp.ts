import { randomBytes } from 'node:crypto';
import { Secret, TOTP } from 'otpauth';
import { personRepo, totpRepo, type Database } from '@hookline/db';
import type { RequestOrigin } from '../../audit/actor.ts';
import { inAuditedTransaction } from '../../audit/auditLog.ts';
import { recordPersonAudit } from '../../audit/personAudit.ts';
import { AuthenticationError, ConflictError, NotFoundError } from '../../errors.ts';
import { newId } from '../../ids.ts';
import type { SecretBox, SecretPlace } from '../../secrets/secretBox.ts';
import { readSecret } from '../../secrets/secretPlaces.ts';
import { hashToken } from '../../tenants/apiKeys.ts';
import { verifyPassword } from '../passwords.ts';
import type { SessionPerson } from '../sessions.ts';
import type { SignInThrottle } from '../signInThrottle.ts';

// RFC 6238 through otpauth: SHA-1, 6 digits, 30-second steps (what every authenticator app
// accepts), a 160-bit secret, one step of clock drift either way, and each step taken once.
const PERIOD = 30;
const DIGITS = 6;
const WINDOW = 1;
const RECOVERY_CODES = 10;

/** Where a person's TOTP secret is stored: its envelope decrypts only in that row. */
export const totpSecretPlace = (personId: string): SecretPlace => ({ table: 'person_totp', column: 'secret', rowId: personId, tenantId: '' });

const totpOf = (secret: string, email: string) =>
  new TOTP({ issuer: 'Hookline', label: email, algorithm: 'SHA1', digits: DIGITS, period: PERIOD, secret: Secret.fromBase32(secret) });

export interface SecondFactorDeps {
  box: SecretBox;
  throttle: SignInThrottle;
  origin: RequestOrigin;
}

/** Starts enrolment: a new secret (stored encrypted, unconfirmed) shown once with its otpauth:// URI. */
export async function startTotpEnrolment(db: Database, person: SessionPerson, deps: { box: SecretBox; origin: RequestOrigin }): Promise<{ secret: string; uri: string }> {
  const secret = new Secret({ size: 20 }).base32;
  await inAuditedTransaction(db, async (trx) => {
    if (!(await totpRepo.startEnrolment(trx, person.personId, deps.box.encrypt(secret, totpSecretPlace(person.personId))))) {
      throw new ConflictError('A second factor is already on: disable it first', 'totp_enabled');
    }
    await recordPersonAudit(trx, person.personId, deps.origin, { action: 'person.totp.enrolled' });
  });
  return { secret, uri: totpOf(secret, person.email).toString() };
}

/** Confirms enrolment with a first code; returns 10 single-use recovery codes (stored hashed), shown once. */
export async function confirmTotpEnrolment(db: Database, person: SessionPerson, code: string, deps: SecondFactorDeps): Promise<{ recoveryCodes: string[] }> {
  const row = await totpRepo.findTotp(db, person.personId);
  if (!row || row.confirmedAt) throw new NotFoundError('No enrolment in progress: start one first');
  await assertCode(db, person.personId, person.email, code, { ...deps, recovery: false });
  const recoveryCodes = Array.from({ length: RECOVERY_CODES }, newRecoveryCode);
  await db.transaction().execute(async (trx) => {
    await totpRepo.confirm(trx, person.personId);
    await totpRepo.replaceRecoveryCodes(
      trx,
      person.personId,
      recoveryCodes.map((c) => ({ id: newId('rcv'), codeHash: hashToken(normalizeRecovery(c)) })),
    );
    await recordPersonAudit(trx, person.personId, deps.origin, { action: 'person.totp.enabled', changes: { recoveryCodes: { changed: true } } });
  });
  return { recoveryCodes };
}

/** Turns the second factor off: needs the password and a code (or a recovery code), both throttled like sign-in. */
export async function disableTotp(db: Database, person: SessionPerson, input: { password: string; code: string }, deps: SecondFactorDeps): Promise<void> {
  const row = await personRepo.findPerson(db, person.personId);
  if (!row) throw new NotFoundError('Person not found');
  deps.throttle.assertAllowed(row.email, deps.origin.clientAddress);
  if (!row.passwordHash || !(await verifyPassword(input.password, row.passwordHash))) {
    deps.throttle.recordFailure(row.email, deps.origin.clientAddress);
    throw new AuthenticationError('The password or the code is wrong');
  }
  if (!(await totpRepo.findTotp(db, person.personId))?.confirmedAt) throw new NotFoundError('The second factor is not on');
  await inAuditedTransaction(db, async (trx) => {
    await assertCode(trx, person.personId, row.email, input.code, { ...deps, recovery: true });
    await totpRepo.removeTotp(trx, person.personId);
    await recordPersonAudit(trx, person.personId, deps.origin, { action: 'person.totp.disabled' });
  });
}

/** True when the person has a confirmed second factor (sign-in then asks for a code). */
export async function hasSecondFactor(db: Database, personId: string): Promise<boolean> {
  return Boolean((await totpRepo.findTotp(db, personId))?.confirmedAt);
}

/**
 * Checks a TOTP code (each time step once) or, where allowed, an unused recovery code (used up by
 * this); a wrong one counts against the account and the client like a wrong password.
 */
export async function assertCode(db: Database, personId: string, email: string, code: string, deps: SecondFactorDeps & { recovery: boolean }): Promise<void> {
  deps.throttle.assertAllowed(email, deps.origin.clientAddress);
  if (!(await codeIsGood(db, personId, email, code.trim(), deps))) {
    deps.throttle.recordFailure(email, deps.origin.clientAddress);
    throw new AuthenticationError('The code is wrong or was used already');
  }
}

async function codeIsGood(
  db: Database,
  personId: string,
  email: string,
  code: string,
  deps: { box: SecretBox; recovery: boolean; origin: RequestOrigin },
): Promise<boolean> {
  if (/^\d{6}$/.test(code)) {
    const row = await totpRepo.findTotp(db, personId);
    if (!row) return false;
    const secret = readSecret(deps.box, row.secret, totpSecretPlace(personId), 'The second factor’s secret', 'Ask an owner to reset it.');
    const now = Date.now();
    const delta = totpOf(secret, email).validate({ token: code, timestamp: now, window: WINDOW });
    if (delta === null) return false;
    return totpRepo.takeStep(db, personId, Math.floor(now / 1000 / PERIOD) + delta);
  }
  if (!deps.recovery || !(await totpRepo.takeRecoveryCode(db, personId, hashToken(normalizeRecovery(code))))) return false;
  // Recorded with the code's use (the caller's transaction); never the code itself.
  await recordPersonAudit(db, personId, deps.origin, { action: 'person.recoveryCode.used' });
  return true;
}

// 10 characters of a 32-letter alphabet (50 bits), shown as xxxxx-xxxxx; dashes and case are ignored when typed.
const ALPHABET = 'abcdefghjkmnpqrstuvwxyz023456789';
function newRecoveryCode(): string {
  const chars = [...randomBytes(10)].map((b) => ALPHABET[b % ALPHABET.length]!).join('');
  return `${chars.slice(0, 5)}-${chars.slice(5)}`;
}
const normalizeRecovery = (code: string): string => code.toLowerCase().replace(/[^a-z0-9]/g, '');
