import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    -- The logo a tenant's customer portal shows (console Settings): an https URL or a small
    -- data:image URL; the API checks its form and size, this only bounds what a row may hold.
    ALTER TABLE tenant ADD COLUMN portal_logo text CHECK (length(portal_logo) <= 100000);
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE tenant DROP COLUMN portal_logo;`.execute(db);
}
