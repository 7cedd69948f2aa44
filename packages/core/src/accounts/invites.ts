import { randomBytes } from 'node:crypto';
import { inviteRepo, membershipRepo, personRepo, tenantRepo, type Database, type Role } from '@hookline/db';
import type { RequestOrigin } from '../audit/actor.ts';
import { inAuditedTransaction, recordAudit, type AuditContext } from '../audit/auditLog.ts';
import { personActor } from '../audit/personAudit.ts';
import { AuthenticationError, NotFoundError, ValidationError } from '../errors.ts';
import { newId } from '../ids.ts';
import { hashToken } from '../tenants/apiKeys.ts';
import type { AcceptInviteIn, InviteOut, InvitePreviewOut } from './accountSchemas.ts';
import type { InviteMailer } from './inviteMail.ts';
import { assertMayManage, type ManagerRole } from './members.ts';
import { assertPasswordAcceptable, hashPassword, MIN_PASSWORD_LENGTH, verifyPassword } from './passwords.ts';
import type { SessionPolicy } from './sessions.ts';
import type { SignInThrottle } from './signInThrottle.ts';
import { sessionOrChallenge, type SignInResult } from './totp/signInChallenge.ts';

/** An invitation link works once, for this long. */
export const INVITE_VALID_SECONDS = 7 * 86_400;
export const INVITE_TOKEN_PREFIX = 'hki_';

/** The console page that takes an invitation; the token rides in the fragment, which no server log sees. */
export function inviteUrl(baseUrl: string, token: string): string {
  return `${baseUrl.replace(/\/+$/, '')}/console/invite#${token}`;
}

/** Creates an invitation and returns its single-use token (stored only hashed; see inviteUrl). */
export async function createInvite(
  db: Database,
  tenantId: string,
  input: { email: string | null; role: Role; inviterPersonId: string | null },
  audit: AuditContext,
): Promise<{ token: string; expiresAt: Date; tenantName: string }> {
  const tenant = await tenantRepo.findTenant(db, tenantId);
  if (!tenant) throw new NotFoundError('Tenant not found');
  const token = `${INVITE_TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`;
  const expiresAt = new Date(Date.now() + INVITE_VALID_SECONDS * 1000);
  const id = newId('inv');
  await inAuditedTransaction(db, async (trx) => {
    await inviteRepo.insertInvite(trx, {
      id,
      tokenHash: hashToken(token),
      tenantId,
      email: input.email,
      role: input.role,
      inviterPersonId: input.inviterPersonId,
      expiresAt,
    });
    // The address and role, never the link's token.
    await recordAudit(trx, audit, {
      action: 'member.invited',
      target: { kind: 'invite', id },
      changes: { email: { to: input.email }, role: { to: input.role }, expiresAt: { to: expiresAt } },
    });
  });
  return { token, expiresAt, tenantName: tenant.name };
}

/**
 * An owner or admin (or a key) invites an address with a role. With a mailer the link goes out by
 * email and the inviter does not see it (only the invitee should hold it); without one it is
 * returned to the inviter to pass on.
 */
export async function inviteMember(
  db: Database,
  tenantId: string,
  input: { email: string; role: Role },
  by: { personId: string | null; role: ManagerRole },
  deps: { baseUrl: string; mailer: InviteMailer | undefined; audit: AuditContext },
): Promise<InviteOut> {
  assertMayManage(by.role, input.role);
  const { token, expiresAt, tenantName } = await createInvite(db, tenantId, { email: input.email, role: input.role, inviterPersonId: by.personId }, deps.audit);
  const url = inviteUrl(deps.baseUrl, token);
  if (!deps.mailer) return { url, expiresAt, emailed: false };
  await deps.mailer.sendInvite({ to: input.email, url, tenantName, role: input.role, expiresAt });
  return { url: null, expiresAt, emailed: true };
}

/**
 * What an invitation link is for, without taking it: the tenant, the role, the address and whether
 * it has a password already, so the page asks for the right fields. Only the link's holder can ask.
 */
export async function previewInvite(db: Database, token: string): Promise<InvitePreviewOut> {
  const invite = await inviteRepo.findLiveInvite(db, hashToken(token));
  if (!invite) throw new NotFoundError('This invitation does not exist, was used already or has expired');
  const [tenant, person] = await Promise.all([tenantRepo.findTenant(db, invite.tenantId), invite.email ? personRepo.findPersonByEmail(db, invite.email) : undefined]);
  return { tenantName: tenant?.name ?? invite.tenantId, role: invite.role, email: invite.email, hasAccount: Boolean(person?.passwordHash), expiresAt: invite.expiresAt };
}

/**
 * Takes an invitation: a new address gets an account with the given password (and name), an
 * existing account must give its current password (the link alone never sets another person's
 * password); either way the person joins the tenant with the invited role and is signed in.
 * The link is marked used in the same transaction, so it works once. An account with a second
 * factor joins, then completes the sign-in with its code.
 */
export async function acceptInvite(
  db: Database,
  input: AcceptInviteIn,
  deps: { policy: SessionPolicy; origin: RequestOrigin; throttle: SignInThrottle },
): Promise<SignInResult> {
  const newHash = input.password.length >= MIN_PASSWORD_LENGTH ? await hashPassword(input.password) : undefined;
  return db.transaction().execute(async (trx) => {
    const invite = await inviteRepo.takeInvite(trx, hashToken(input.token));
    if (!invite) throw new NotFoundError('This invitation does not exist, was used already or has expired');
    const email = invite.email ?? input.email;
    if (!email) throw new ValidationError(['body', 'email'], 'this invitation names no address: give yours');
    let person = await personRepo.findPersonByEmail(trx, email);
    if (person?.passwordHash) {
      // A password check like sign-in's, and throttled like it: an invitation must not become a way to guess.
      deps.throttle.assertAllowed(email, deps.origin.clientAddress);
      if (!(await verifyPassword(input.password, person.passwordHash))) {
        deps.throttle.recordFailure(email, deps.origin.clientAddress);
        throw new AuthenticationError('This address has an account: give its current password');
      }
    } else {
      assertPasswordAcceptable(input.password);
      if (!newHash) throw new ValidationError(['body', 'password'], `must be at least ${MIN_PASSWORD_LENGTH} characters`);
      if (person) await personRepo.setPassword(trx, person.id, newHash);
      else person = await personRepo.insertPerson(trx, { id: newId('psn'), email, name: input.name ?? '', passwordHash: newHash });
    }
    if (input.name && person.name !== input.name) await personRepo.setName(trx, person.id, input.name);
    await membershipRepo.addMember(trx, { tenantId: invite.tenantId, personId: person.id, role: invite.role });
    await recordAudit(
      trx,
      { tenantId: invite.tenantId, actor: personActor({ id: person.id, name: input.name || person.name, email }), origin: deps.origin },
      { action: 'member.joined', target: { kind: 'person', id: person.id }, changes: { role: { to: invite.role }, by: { to: 'invitation' }, invite: { to: invite.id } } },
    );
    return sessionOrChallenge(trx, person.id, invite.tenantId, deps);
  });
}
