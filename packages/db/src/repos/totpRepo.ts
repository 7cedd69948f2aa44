import type { Database } from '../connect.ts';
import type { PersonTotpRow } from '../schema.ts';

export async function findTotp(db: Database, personId: string): Promise<PersonTotpRow | undefined> {
  return db.selectFrom('personTotp').selectAll().where('personId', '=', personId).executeTakeFirst();
}

/** Starts (or restarts) an enrolment with a new secret; false when a confirmed one is in place. */
export async function startEnrolment(db: Database, personId: string, secret: string): Promise<boolean> {
  const row = await db
    .insertInto('personTotp')
    .values({ personId, secret })
    .onConflict((oc) => oc.column('personId').doUpdateSet({ secret, lastUsedStep: null }).where('personTotp.confirmedAt', 'is', null))
    .returning('personId')
    .executeTakeFirst();
  return row !== undefined;
}

/**
 * Takes a code's time step: true when it is later than the last one taken (a code works once),
 * in one statement so two requests with the same code cannot both pass.
 */
export async function takeStep(db: Database, personId: string, step: number): Promise<boolean> {
  const res = await db
    .updateTable('personTotp')
    .set({ lastUsedStep: step })
    .where('personId', '=', personId)
    .where((eb) => eb.or([eb('lastUsedStep', 'is', null), eb('lastUsedStep', '<', String(step))]))
    .executeTakeFirst();
  return res.numUpdatedRows > 0n;
}

export async function confirm(db: Database, personId: string): Promise<void> {
  await db.updateTable('personTotp').set({ confirmedAt: new Date() }).where('personId', '=', personId).execute();
}

/** Removes the second factor and its recovery codes. */
export async function removeTotp(db: Database, personId: string): Promise<void> {
  await db.deleteFrom('personRecoveryCode').where('personId', '=', personId).execute();
  await db.deleteFrom('personTotp').where('personId', '=', personId).execute();
}

export async function replaceRecoveryCodes(db: Database, personId: string, codes: Array<{ id: string; codeHash: string }>): Promise<void> {
  await db.deleteFrom('personRecoveryCode').where('personId', '=', personId).execute();
  await db
    .insertInto('personRecoveryCode')
    .values(codes.map((c) => ({ ...c, personId })))
    .execute();
}

/** Marks an unused recovery code used; false when there is none with this hash. */
export async function takeRecoveryCode(db: Database, personId: string, codeHash: string): Promise<boolean> {
  const res = await db
    .updateTable('personRecoveryCode')
    .set({ usedAt: new Date() })
    .where('personId', '=', personId)
    .where('codeHash', '=', codeHash)
    .where('usedAt', 'is', null)
    .executeTakeFirst();
  return res.numUpdatedRows > 0n;
}

export async function insertChallenge(
  db: Database,
  row: { id: string; tokenHash: string; personId: string; sessionTenantId: string | null; expiresAt: Date },
): Promise<void> {
  await db.insertInto('signInChallenge').values(row).execute();
}

export async function findChallenge(
  db: Database,
  tokenHash: string,
): Promise<{ id: string; personId: string; sessionTenantId: string | null; email: string } | undefined> {
  return db
    .selectFrom('signInChallenge as c')
    .innerJoin('person as p', 'p.id', 'c.personId')
    .select(['c.id', 'c.personId', 'c.sessionTenantId', 'p.email'])
    .where('c.tokenHash', '=', tokenHash)
    .where('c.expiresAt', '>', new Date())
    .executeTakeFirst();
}

/** Deletes a challenge; false when another request took it first. */
export async function deleteChallenge(db: Database, id: string): Promise<boolean> {
  const res = await db.deleteFrom('signInChallenge').where('id', '=', id).executeTakeFirst();
  return res.numDeletedRows > 0n;
}

/** Deletes challenges that expired before `before` (maintenance); returns how many. */
export async function deleteExpiredChallenges(db: Database, before: Date): Promise<number> {
  const res = await db.deleteFrom('signInChallenge').where('expiresAt', '<', before).executeTakeFirst();
  return Number(res.numDeletedRows);
}

/** Deletes the person's pending sign-ins (each proved a password that no longer holds). */
export async function deleteChallengesOf(db: Database, personId: string): Promise<void> {
  await db.deleteFrom('signInChallenge').where('personId', '=', personId).execute();
}
