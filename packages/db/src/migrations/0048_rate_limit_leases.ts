import { sql, type Kysely } from 'kysely';

// An api process takes a tenant's requests from the shared budget a few at a time (core's
// ApiRateLeases) and counts them in memory: `granted` says how many a statement just took. Both
// tables share countRequest (apiRateLimitRepo), so both have it. Unlogged and small: instant.

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    ALTER TABLE api_rate_limit ADD COLUMN granted integer NOT NULL DEFAULT 0;
    ALTER TABLE portal_rate_limit ADD COLUMN granted integer NOT NULL DEFAULT 0;
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    ALTER TABLE api_rate_limit DROP COLUMN granted;
    ALTER TABLE portal_rate_limit DROP COLUMN granted;
  `.execute(db);
}
