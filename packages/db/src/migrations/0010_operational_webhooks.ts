import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    -- The tenant's hidden application whose endpoints receive operational webhooks (events about
    -- the tenant's own delivery health). At most one per tenant; never listed nor found by the
    -- application routes.
    ALTER TABLE application ADD COLUMN operational boolean NOT NULL DEFAULT false;
    CREATE UNIQUE INDEX application_operational_idx ON application (tenant_id) WHERE operational;
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    DROP INDEX application_operational_idx;
    ALTER TABLE application DROP COLUMN operational;
  `.execute(db);
}
