import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    -- One running recovery per endpoint: a second POST …/recover while one runs is refused (409).
    ALTER TABLE background_task ADD COLUMN endpoint_id text COLLATE "C";
    CREATE UNIQUE INDEX background_task_one_running_idx ON background_task (tenant_id, endpoint_id, task)
      WHERE status = 'running' AND endpoint_id IS NOT NULL;

    -- Portal sessions' own rate budget, per application (GCRA state as api_rate_limit): a portal
    -- token's requests never spend the tenant's API budget.
    CREATE UNLOGGED TABLE portal_rate_limit (
      tenant_id text COLLATE "C" NOT NULL REFERENCES tenant (id) ON DELETE CASCADE,
      app_id text COLLATE "C" NOT NULL,
      tat timestamptz NOT NULL,
      allowed boolean NOT NULL,
      PRIMARY KEY (tenant_id, app_id)
    ) WITH (fillfactor = 50);
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    DROP TABLE portal_rate_limit;
    DROP INDEX background_task_one_running_idx;
    ALTER TABLE background_task DROP COLUMN endpoint_id;
  `.execute(db);
}
