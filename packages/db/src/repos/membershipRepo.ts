import type { Database } from '../connect.ts';
import type { MembershipRow, Role } from '../schema.ts';

export interface Member {
  personId: string;
  email: string;
  name: string;
  role: Role;
  createdAt: Date;
}

/** The person's role in the tenant, or undefined when not a member. */
export async function findRole(db: Database, tenantId: string, personId: string): Promise<Role | undefined> {
  const row = await db.selectFrom('membership').select('role').where('tenantId', '=', tenantId).where('personId', '=', personId).executeTakeFirst();
  return row?.role;
}

/** Every tenant the person belongs to, with its name and the role there. */
export async function listTenantsOf(db: Database, personId: string): Promise<Array<{ tenantId: string; name: string; role: Role }>> {
  return db
    .selectFrom('membership')
    .innerJoin('tenant', 'tenant.id', 'membership.tenantId')
    .select(['membership.tenantId', 'tenant.name', 'membership.role'])
    .where('membership.personId', '=', personId)
    .orderBy('tenant.name')
    .orderBy('membership.tenantId')
    .execute();
}

export async function listMembers(db: Database, tenantId: string): Promise<Member[]> {
  return db
    .selectFrom('membership')
    .innerJoin('person', 'person.id', 'membership.personId')
    .select(['membership.personId', 'person.email', 'person.name', 'membership.role', 'membership.createdAt'])
    .where('membership.tenantId', '=', tenantId)
    .orderBy('membership.createdAt')
    .orderBy('membership.personId')
    .execute();
}

/** Adds the person to the tenant; a member already keeps the role they have. */
export async function addMember(db: Database, row: { tenantId: string; personId: string; role: Role }): Promise<void> {
  await db
    .insertInto('membership')
    .values(row)
    .onConflict((oc) => oc.columns(['tenantId', 'personId']).doNothing())
    .execute();
}

/** Locks the tenant's owner rows, so two demotions cannot both leave it without an owner. */
export async function lockOwners(db: Database, tenantId: string): Promise<MembershipRow[]> {
  return db.selectFrom('membership').selectAll().where('tenantId', '=', tenantId).where('role', '=', 'owner').forUpdate().execute();
}

export async function setRole(db: Database, tenantId: string, personId: string, role: Role): Promise<boolean> {
  const res = await db.updateTable('membership').set({ role }).where('tenantId', '=', tenantId).where('personId', '=', personId).executeTakeFirst();
  return res.numUpdatedRows > 0n;
}

export async function removeMember(db: Database, tenantId: string, personId: string): Promise<boolean> {
  const res = await db.deleteFrom('membership').where('tenantId', '=', tenantId).where('personId', '=', personId).executeTakeFirst();
  return res.numDeletedRows > 0n;
}
