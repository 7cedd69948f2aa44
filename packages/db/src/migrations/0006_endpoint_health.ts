import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    -- Since when every attempt to the endpoint has failed (null while it succeeds): drives the
    -- one-at-a-time limit for failing endpoints and the auto-disable after a long outage.
    ALTER TABLE endpoint ADD COLUMN failing_since timestamptz;
    -- Response headers of an attempt, for the delivery log.
    ALTER TABLE message_attempt ADD COLUMN response_headers jsonb;
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    ALTER TABLE message_attempt DROP COLUMN response_headers;
    ALTER TABLE endpoint DROP COLUMN failing_since;
  `.execute(db);
}
