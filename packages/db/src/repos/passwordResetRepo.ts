import { sql } from 'kysely';
import type { Database } from '../connect.ts';
import type { PasswordResetRow } from '../schema.ts';

/**
 * Records a reset link for the person unless `limit` links were made for them since `since`
 * (the per-address throttle); returns false when throttled. One statement: the count and the
 * insert see the same rows.
 */
export async function insertPasswordResetUnlessThrottled(
  db: Database,
  row: { id: string; tokenHash: string; personId: string; expiresAt: Date },
  throttle: { limit: number; since: Date },
): Promise<boolean> {
  const res = await sql`
    INSERT INTO password_reset (id, token_hash, person_id, expires_at)
    SELECT ${row.id}, ${row.tokenHash}, ${row.personId}, ${row.expiresAt}
    WHERE (SELECT count(*) FROM password_reset WHERE person_id = ${row.personId} AND created_at >= ${throttle.since}) < ${throttle.limit}`.execute(db);
  return Number(res.numAffectedRows ?? 0n) > 0;
}

/**
 * Marks the unused, unexpired reset with this hash used and returns it; undefined when there is
 * none. One statement, so two holders of the link cannot both take it.
 */
export async function takePasswordReset(db: Database, tokenHash: string): Promise<PasswordResetRow | undefined> {
  return db
    .updateTable('passwordReset')
    .set({ usedAt: new Date() })
    .where('tokenHash', '=', tokenHash)
    .where('usedAt', 'is', null)
    .where('expiresAt', '>', new Date())
    .returningAll()
    .executeTakeFirst();
}

/** Voids every other unused link of the person (after one of them set a new password). */
export async function voidPasswordResets(db: Database, personId: string): Promise<void> {
  await db.updateTable('passwordReset').set({ usedAt: new Date() }).where('personId', '=', personId).where('usedAt', 'is', null).execute();
}

/** Deletes links that expired or were used before `before` (maintenance); returns how many. */
export async function deleteEndedPasswordResets(db: Database, before: Date): Promise<number> {
  const res = await db
    .deleteFrom('passwordReset')
    .where((eb) => eb.or([eb('expiresAt', '<', before), eb('usedAt', '<', before)]))
    .executeTakeFirst();
  return Number(res.numDeletedRows);
}
