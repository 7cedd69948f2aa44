import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    -- A tenant's own retry schedule (delays in seconds); null: the deployment's default.
    ALTER TABLE tenant ADD COLUMN retry_schedule integer[];

    -- The next free send slot of each throttled endpoint, shared by every worker (GCRA).
    CREATE TABLE endpoint_throttle (
      endpoint_id text COLLATE "C" PRIMARY KEY REFERENCES endpoint (id) ON DELETE CASCADE,
      next_at timestamptz NOT NULL
    );
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    DROP TABLE endpoint_throttle;
    ALTER TABLE tenant DROP COLUMN retry_schedule;
  `.execute(db);
}
