import { sql, type Kysely } from 'kysely';

// Svix's integrations (issue 23): a named, app-scoped key a vendor hands to a third party. The key
// is stored encrypted, bound to its row (core's secrets/secretPlaces.ts: integrationKeyPlace), as
// it is shown again on request; deleting the application deletes its integrations.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE integration (
      id text COLLATE "C" PRIMARY KEY,
      tenant_id text COLLATE "C" NOT NULL,
      app_id text COLLATE "C" NOT NULL REFERENCES application (id) ON DELETE CASCADE,
      name text NOT NULL,
      feature_flags text[],
      key text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX integration_app_idx ON integration (tenant_id, app_id, id);
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE integration;`.execute(db);
}
