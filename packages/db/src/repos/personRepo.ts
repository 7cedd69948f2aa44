import { sql } from 'kysely';
import type { Database } from '../connect.ts';
import type { PersonRow } from '../schema.ts';

export async function insertPerson(db: Database, row: { id: string; email: string; name: string; passwordHash: string | null }): Promise<PersonRow> {
  return db
    .insertInto('person')
    .values({ ...row, passwordChangedAt: row.passwordHash ? new Date() : null })
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** The person with this address, whatever its case (the unique index is on lower(email)). */
export async function findPersonByEmail(db: Database, email: string): Promise<PersonRow | undefined> {
  return db
    .selectFrom('person')
    .selectAll()
    .where(sql<string>`lower(email)`, '=', email.toLowerCase())
    .executeTakeFirst();
}

export async function findPerson(db: Database, id: string): Promise<PersonRow | undefined> {
  return db.selectFrom('person').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function setPassword(db: Database, id: string, passwordHash: string): Promise<void> {
  await db.updateTable('person').set({ passwordHash, passwordChangedAt: new Date() }).where('id', '=', id).execute();
}

export async function setName(db: Database, id: string, name: string): Promise<void> {
  await db.updateTable('person').set({ name }).where('id', '=', id).execute();
}
