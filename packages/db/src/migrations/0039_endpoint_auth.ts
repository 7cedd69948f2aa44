import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    -- How the worker authenticates to an endpoint besides the signature (issue 24): an OAuth 2.0
    -- client (Svix's EndpointOauthConfigIn, its secret apart and encrypted) and HTTP basic auth
    -- (the password encrypted). Kept out of the endpoint row so most endpoints carry nothing; the
    -- worker reads updated_at as the OAuth client's version, which keys its token cache.
    CREATE TABLE endpoint_auth (
      endpoint_id text COLLATE "C" PRIMARY KEY REFERENCES endpoint (id) ON DELETE CASCADE,
      tenant_id text COLLATE "C" NOT NULL,
      oauth jsonb,
      oauth_client_secret text,
      basic_username text,
      basic_password text,
      updated_at timestamptz NOT NULL DEFAULT now(),
      CHECK ((basic_username IS NULL) = (basic_password IS NULL)),
      CHECK (oauth IS NOT NULL OR oauth_client_secret IS NULL)
    );
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE endpoint_auth;`.execute(db);
}
