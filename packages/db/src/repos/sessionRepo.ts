import type { Database } from '../connect.ts';
import type { PersonSessionRow, Role } from '../schema.ts';

export async function insertSession(
  db: Database,
  row: Omit<PersonSessionRow, 'createdAt' | 'lastSeenAt' | 'revokedAt' | 'ssoTenantId'> & { ssoTenantId?: string | null },
): Promise<PersonSessionRow> {
  return db.insertInto('personSession').values(row).returningAll().executeTakeFirstOrThrow();
}

/** A live session (not revoked, within both expiries) with this hash, and the role of its person in its current tenant. */
export async function findLiveSession(db: Database, tokenHash: string): Promise<(PersonSessionRow & { role: Role | null; email: string; name: string }) | undefined> {
  const now = new Date();
  return db
    .selectFrom('personSession as s')
    .innerJoin('person as p', 'p.id', 's.personId')
    .leftJoin('membership as m', (join) => join.onRef('m.personId', '=', 's.personId').onRef('m.tenantId', '=', 's.currentTenantId'))
    .selectAll('s')
    .select(['m.role', 'p.email', 'p.name'])
    .where('s.tokenHash', '=', tokenHash)
    .where('s.revokedAt', 'is', null)
    .where('s.expiresAt', '>', now)
    .where('s.idleExpiresAt', '>', now)
    .executeTakeFirst();
}

/** Moves the idle expiry on (the caller does it at most once a minute, so a request is mostly a read). */
export async function touchSession(db: Database, id: string, idleExpiresAt: Date): Promise<void> {
  await db.updateTable('personSession').set({ lastSeenAt: new Date(), idleExpiresAt }).where('id', '=', id).execute();
}

export async function setCurrentTenant(db: Database, id: string, tenantId: string): Promise<void> {
  await db.updateTable('personSession').set({ currentTenantId: tenantId }).where('id', '=', id).execute();
}

export async function listLiveSessions(db: Database, personId: string): Promise<PersonSessionRow[]> {
  const now = new Date();
  return db
    .selectFrom('personSession')
    .selectAll()
    .where('personId', '=', personId)
    .where('revokedAt', 'is', null)
    .where('expiresAt', '>', now)
    .where('idleExpiresAt', '>', now)
    .orderBy('createdAt', 'desc')
    .execute();
}

/** Revokes one of the person's sessions; false when the person has no such live session. */
export async function revokeSession(db: Database, personId: string, id: string): Promise<boolean> {
  const res = await db
    .updateTable('personSession')
    .set({ revokedAt: new Date() })
    .where('personId', '=', personId)
    .where('id', '=', id)
    .where('revokedAt', 'is', null)
    .executeTakeFirst();
  return res.numUpdatedRows > 0n;
}

export async function revokeAllSessions(db: Database, personId: string): Promise<void> {
  await db.updateTable('personSession').set({ revokedAt: new Date() }).where('personId', '=', personId).where('revokedAt', 'is', null).execute();
}

/** Deletes sessions that ended before `before` (maintenance). */
export async function deleteEndedSessions(db: Database, before: Date): Promise<number> {
  const res = await db
    .deleteFrom('personSession')
    .where((eb) => eb.or([eb('expiresAt', '<', before), eb('idleExpiresAt', '<', before), eb('revokedAt', '<', before)]))
    .executeTakeFirst();
  return Number(res.numDeletedRows);
}
