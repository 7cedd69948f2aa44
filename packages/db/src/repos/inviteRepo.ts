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

/** Deletes invitations used or expired before `before` (maintenance); returns how many. */
export async function deleteEndedInvites(db: Database, before: Date): Promise<number> {
  const res = await db
    .deleteFrom('invite')
    .where((eb) => eb.or([eb('expiresAt', '<', before), eb('usedAt', '<', before)]))
    .executeTakeFirst();
  return Number(res.numDeletedRows);
}
