import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    -- The first response to a POST with an idempotency-key, replayed for repeats of that key.
    CREATE TABLE idempotency_key (
      tenant_id text COLLATE "C" NOT NULL,
      key text NOT NULL,
      -- method and path the key was used on: the same key on another path is another request.
      request text NOT NULL,
      status_code integer,
      response_body text,
      created_at timestamptz NOT NULL DEFAULT now(),
      completed_at timestamptz,
      PRIMARY KEY (tenant_id, key, request)
    );
    CREATE INDEX idempotency_key_created_idx ON idempotency_key (created_at);

    -- Long-running work started by the API (e.g. endpoint recover), as Svix's background tasks.
    CREATE TABLE background_task (
      id text COLLATE "C" PRIMARY KEY,
      tenant_id text COLLATE "C" NOT NULL,
      task text NOT NULL,
      status text NOT NULL,
      data jsonb NOT NULL DEFAULT '{}',
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX background_task_tenant_idx ON background_task (tenant_id, id);
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE background_task, idempotency_key;`.execute(db);
}
