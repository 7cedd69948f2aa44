import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    -- A tenant's portal brand (console Settings): name, colours, font, corner radius, "powered by".
    -- The API checks each field strictly; this only bounds what a row may hold.
    ALTER TABLE tenant ADD COLUMN portal_brand jsonb CHECK (length(portal_brand::text) <= 4000);
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE tenant DROP COLUMN portal_brand;`.execute(db);
}
