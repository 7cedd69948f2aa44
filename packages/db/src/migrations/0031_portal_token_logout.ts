import { sql, type Kysely } from 'kysely';

// Svix's auth/logout ends the one portal token it is called with. Portal tokens are stateless
// JWTs, so a logged-out token's id (jti) is kept here until the token would have expired anyway;
// expire-all's rules on the application (0013) cover whole applications or sessions instead.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE portal_token_logout (
      tenant_id text COLLATE "C" NOT NULL,
      app_id text COLLATE "C" NOT NULL REFERENCES application (id) ON DELETE CASCADE,
      token_id text COLLATE "C" NOT NULL,
      expires_at timestamptz NOT NULL,
      PRIMARY KEY (tenant_id, token_id)
    );
    CREATE INDEX portal_token_logout_app_idx ON portal_token_logout (app_id, expires_at);
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE portal_token_logout;`.execute(db);
}
