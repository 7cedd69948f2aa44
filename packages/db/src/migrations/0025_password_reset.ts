import { sql, type Kysely } from 'kysely';

// Password reset by email (docs/security.md): a single-use link valid 30 minutes. Its token is
// stored only as the SHA-256 of 256 random bits, as invitations' are; a reset belongs to a person,
// not a tenant, so it has no tenant_id.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE password_reset (
      id text COLLATE "C" PRIMARY KEY,
      token_hash text COLLATE "C" NOT NULL UNIQUE,
      person_id text COLLATE "C" NOT NULL REFERENCES person (id) ON DELETE CASCADE,
      created_at timestamptz NOT NULL DEFAULT now(),
      expires_at timestamptz NOT NULL,
      used_at timestamptz
    );
    -- How many links a person was sent lately (the per-address throttle), and their links to void.
    CREATE INDEX password_reset_person_idx ON password_reset (person_id, created_at);
    CREATE INDEX password_reset_expires_idx ON password_reset (expires_at);
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE password_reset;`.execute(db);
}
