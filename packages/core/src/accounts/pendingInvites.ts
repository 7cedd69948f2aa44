import { randomBytes } from 'node:crypto';
import { inviteRepo, tenantRepo, type Database } from '@hookline/db';
import { inAuditedTransaction, recordAudit, type AuditContext } from '../audit/auditLog.ts';
import { NotFoundError } from '../errors.ts';
import { hashToken } from '../tenants/apiKeys.ts';
import type { InviteOut, PendingInviteOut } from './accountSchemas.ts';
import type { InviteMailer } from './inviteMail.ts';
import { INVITE_TOKEN_PREFIX, INVITE_VALID_SECONDS, inviteUrl } from './invites.ts';
import { assertMayManage, type ManagerRole } from './members.ts';

// Invitations sent and not taken yet: who may invite sees them, sends one again (a new link, the
// old one void) or revokes it (deleted, so its link stops working). Only an owner touches an owner's.

const NOT_FOUND = 'No pending invitation with this id (it was taken, revoked or has expired)';

export async function listPendingInvites(db: Database, tenantId: string): Promise<PendingInviteOut[]> {
  const rows = await inviteRepo.listPendingInvites(db, tenantId);
  return rows.map((r) => ({
    id: r.id,
    email: r.email,
    role: r.role,
    invitedBy: r.inviterPersonId ? { personId: r.inviterPersonId, email: r.inviterEmail, name: r.inviterName } : null,
    createdAt: r.createdAt,
    expiresAt: r.expiresAt,
  }));
}

/** Sends a pending invitation again: a new single-use link valid 7 days from now; the previous link stops working. */
export async function resendInvite(
  db: Database,
  tenantId: string,
  inviteId: string,
  manager: ManagerRole,
  deps: { baseUrl: string; mailer: InviteMailer | undefined; audit: AuditContext },
): Promise<InviteOut> {
  const token = `${INVITE_TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`;
  const expiresAt = new Date(Date.now() + INVITE_VALID_SECONDS * 1000);
  const invite = await inAuditedTransaction(db, async (trx) => {
    const found = await inviteRepo.lockPendingInvite(trx, tenantId, inviteId);
    if (!found) throw new NotFoundError(NOT_FOUND);
    assertMayManage(manager, found.role);
    await inviteRepo.reissueInvite(trx, tenantId, inviteId, { tokenHash: hashToken(token), expiresAt });
    await recordAudit(trx, deps.audit, {
      action: 'member.invite.resent',
      target: { kind: 'invite', id: inviteId },
      changes: { email: { to: found.email }, expiresAt: { from: found.expiresAt, to: expiresAt } },
    });
    return found;
  });
  const url = inviteUrl(deps.baseUrl, token);
  // A link that names no address (an operator's first-owner link) has nobody to mail: it goes back to the caller.
  if (!deps.mailer || !invite.email) return { url, expiresAt, emailed: false };
  const tenant = await tenantRepo.findTenant(db, tenantId);
  await deps.mailer.sendInvite({ to: invite.email, url, tenantName: tenant?.name ?? tenantId, role: invite.role, expiresAt });
  return { url: null, expiresAt, emailed: true };
}

/** Revokes a pending invitation: deleted, so its link answers 404 from now on. */
export async function revokeInvite(db: Database, tenantId: string, inviteId: string, manager: ManagerRole, audit: AuditContext): Promise<void> {
  await inAuditedTransaction(db, async (trx) => {
    const found = await inviteRepo.lockPendingInvite(trx, tenantId, inviteId);
    if (!found) throw new NotFoundError(NOT_FOUND);
    assertMayManage(manager, found.role);
    await inviteRepo.deleteInvite(trx, tenantId, inviteId);
    await recordAudit(trx, audit, {
      action: 'member.invite.revoked',
      target: { kind: 'invite', id: inviteId },
      changes: { email: { from: found.email }, role: { from: found.role } },
    });
  });
}
