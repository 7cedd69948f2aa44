import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    -- An endpoint's payload filter (a JSON condition on the message payload); null: every message.
    -- Messages it leaves out get a canceled delivery (status 4) at fan-out instead of an attempt.
    ALTER TABLE endpoint ADD COLUMN filter jsonb;
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    ALTER TABLE endpoint DROP COLUMN filter;
  `.execute(db);
}
