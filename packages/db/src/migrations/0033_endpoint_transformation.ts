import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    -- An endpoint's transformation (Svix's handler(webhook) code), kept out of the endpoint row so
    -- that listing and loading endpoints never read up to 64 KB of code; the worker reads
    -- updated_at as the code's version and fetches the code only when its cache lacks it.
    CREATE TABLE endpoint_transformation (
      endpoint_id text COLLATE "C" PRIMARY KEY REFERENCES endpoint (id) ON DELETE CASCADE,
      tenant_id text COLLATE "C" NOT NULL,
      code text CHECK (octet_length(code) <= 65536),
      enabled boolean NOT NULL DEFAULT false,
      variables jsonb,
      updated_at timestamptz NOT NULL DEFAULT now()
    );
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE endpoint_transformation;`.execute(db);
}
