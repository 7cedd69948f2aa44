import { sql } from 'kysely';
import type { Database } from '../connect.ts';
import type { InviteRow } from '../schema.ts';

export async function insertInvite(db: Database, row: Omit<InviteRow, 'createdAt' | 'usedAt'>): Promise<InviteRow> {
  return db.insertInto('invite').values(row).returningAll().executeTakeFirstOrThrow();
}

/**
 * Marks the unused, unexpired invite with this hash used and returns it; undefined when there is
 * none. One statement, so two holders of the link cannot both take it.
 */
export async function takeInvite(db: Database, tokenHash: string): Promise<InviteRow | undefined> {
  return db
    .updateTable('invite')
    .set({ usedAt: new Date() })
    .where('tokenHash', '=', tokenHash)
    .where('usedAt', 'is', null)
    .where('expiresAt', '>', new Date())
    .returningAll()
    .executeTakeFirst();
}

/** The unused, unexpired invite with this hash, left as it is (what the invitation page shows before it is taken). */
export async function findLiveInvite(db: Database, tokenHash: string): Promise<InviteRow | undefined> {
  return db.selectFrom('invite').selectAll().where('tokenHash', '=', tokenHash).where('usedAt', 'is', null).where('expiresAt', '>', new Date()).executeTakeFirst();
}

/** Deletes invitations used or expired before `before` (maintenance); returns how many. */
export async function deleteEndedInvites(db: Database, before: Date): Promise<number> {
  const res = await db
    .deleteFrom('invite')
    .where((eb) => eb.or([eb('expiresAt', '<', before), eb('usedAt', '<', before)]))
    .executeTakeFirst();
  return Number(res.numDeletedRows);
}

/**
 * Takes the newest unused, unexpired invitation of the tenant for this address (whatever its
 * case), as single sign-on does once the provider has verified the address; undefined when none.
 */
export async function takeInviteForEmail(db: Database, tenantId: string, email: string): Promise<InviteRow | undefined> {
  const pending = db
    .selectFrom('invite')
    .select('id')
    .where('tenantId', '=', tenantId)
    .where(sql<string>`lower(email)`, '=', email.toLowerCase())
    .where('usedAt', 'is', null)
    .where('expiresAt', '>', new Date())
    .orderBy('createdAt', 'desc')
    .limit(1)
    .forUpdate()
    .skipLocked();
  return db
    .updateTable('invite')
    .set({ usedAt: new Date() })
    .where('tenantId', '=', tenantId)
    .where('id', '=', (eb) => eb.selectFrom(pending.as('p')).select('p.id'))
    .returningAll()
    .executeTakeFirst();
}

/** An invitation not taken yet and not expired, with who sent it (null: an API key or the operator, or a person since deleted). */
export interface PendingInvite {
  id: string;
  email: string | null;
  role: InviteRow['role'];
  inviterPersonId: string | null;
  inviterEmail: string | null;
  inviterName: string | null;
  createdAt: Date;
  expiresAt: Date;
}

/** The tenant's pending invitations, newest first. */
export async function listPendingInvites(db: Database, tenantId: string): Promise<PendingInvite[]> {
  return db
    .selectFrom('invite')
    .leftJoin('person', 'person.id', 'invite.inviterPersonId')
    .select([
      'invite.id',
      'invite.email',
      'invite.role',
      'invite.inviterPersonId',
      'person.email as inviterEmail',
      'person.name as inviterName',
      'invite.createdAt',
      'invite.expiresAt',
    ])
    .where('invite.tenantId', '=', tenantId)
    .where('invite.usedAt', 'is', null)
    .where('invite.expiresAt', '>', new Date())
    .orderBy('invite.createdAt', 'desc')
    .orderBy('invite.id', 'desc')
    .execute();
}

/** The tenant's pending invitation with this id, locked for a resend or revoke. */
export async function lockPendingInvite(db: Database, tenantId: string, id: string): Promise<InviteRow | undefined> {
  return db
    .selectFrom('invite')
    .selectAll()
    .where('tenantId', '=', tenantId)
    .where('id', '=', id)
    .where('usedAt', 'is', null)
    .where('expiresAt', '>', new Date())
    .forUpdate()
    .executeTakeFirst();
}

/** Gives a pending invitation a new token and expiry: the link sent before stops working. */
export async function reissueInvite(db: Database, tenantId: string, id: string, change: { tokenHash: string; expiresAt: Date }): Promise<void> {
  await db.updateTable('invite').set(change).where('tenantId', '=', tenantId).where('id', '=', id).execute();
}

export async function deleteInvite(db: Database, tenantId: string, id: string): Promise<boolean> {
  const res = await db.deleteFrom('invite').where('tenantId', '=', tenantId).where('id', '=', id).executeTakeFirst();
  return res.numDeletedRows > 0n;
}
