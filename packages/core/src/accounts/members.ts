import { membershipRepo, type Database, type Member, type Role } from '@hookline/db';
import { recordAudit, type AuditContext } from '../audit/auditLog.ts';
import { ConflictError, ForbiddenError, NotFoundError } from '../errors.ts';

/**
 * Who changes the team: a person with a role, or an API key / the operator (null), which hold the
 * tenant's full power.
 */
export type ManagerRole = Role | null;

export async function listMembers(db: Database, tenantId: string): Promise<Member[]> {
  return membershipRepo.listMembers(db, tenantId);
}

/** Only an owner (or a key) may hand out or take away the owner role. */
export function assertMayManage(manager: ManagerRole, ...roles: Role[]): void {
  if (manager !== null && manager !== 'owner' && roles.includes('owner')) throw new ForbiddenError('Only an owner can manage owners');
}

/** Changes a member's role; the last owner cannot be demoted. */
export async function changeMemberRole(db: Database, tenantId: string, personId: string, role: Role, manager: ManagerRole, audit: AuditContext): Promise<Member> {
  return db.transaction().execute(async (trx) => {
    const owners = await membershipRepo.lockOwners(trx, tenantId);
    const current = await membershipRepo.findRole(trx, tenantId, personId);
    if (!current) throw new NotFoundError('Member not found');
    assertMayManage(manager, current, role);
    if (current === 'owner' && role !== 'owner' && owners.length <= 1) throw new ConflictError('The last owner cannot be demoted', 'last_owner');
    await membershipRepo.setRole(trx, tenantId, personId, role);
    if (current !== role)
      await recordAudit(trx, audit, { action: 'member.role.changed', target: { kind: 'person', id: personId }, changes: { role: { from: current, to: role } } });
    const member = (await membershipRepo.listMembers(trx, tenantId)).find((m) => m.personId === personId);
    if (!member) throw new NotFoundError('Member not found');
    return member;
  });
}

/** Removes a member from the tenant (the person and their other tenants stay); never the last owner. */
export async function removeMember(db: Database, tenantId: string, personId: string, manager: ManagerRole, audit: AuditContext): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const owners = await membershipRepo.lockOwners(trx, tenantId);
    const current = await membershipRepo.findRole(trx, tenantId, personId);
    if (!current) throw new NotFoundError('Member not found');
    assertMayManage(manager, current);
    if (current === 'owner' && owners.length <= 1) throw new ConflictError('The last owner cannot be removed', 'last_owner');
    await membershipRepo.removeMember(trx, tenantId, personId);
    await recordAudit(trx, audit, { action: 'member.removed', target: { kind: 'person', id: personId }, changes: { role: { from: current } } });
  });
}
