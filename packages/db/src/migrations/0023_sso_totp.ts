import { sql, type Kysely } from 'kysely';

// Per-tenant OpenID Connect single sign-on and the optional TOTP second factor (docs/security.md).
// The SSO client secret and TOTP secrets are SecretBox envelopes bound to their row; recovery
// codes and sign-in challenge tokens are stored only as SHA-256 of high-entropy random values.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE tenant_sso (
      tenant_id text COLLATE "C" PRIMARY KEY REFERENCES tenant (id) ON DELETE CASCADE,
      issuer text NOT NULL,
      client_id text NOT NULL,
      client_secret text NOT NULL,
      -- Lower-case domains whose verified addresses may sign in; empty: none.
      allowed_domains text[] NOT NULL DEFAULT '{}',
      default_role text NOT NULL CHECK (default_role IN ('admin', 'developer', 'viewer')),
      jit_provisioning boolean NOT NULL DEFAULT false,
      enabled boolean NOT NULL DEFAULT true,
      updated_at timestamptz NOT NULL DEFAULT now()
    );

    -- A session started by a tenant's single sign-on is confined to that tenant: the tenant's
    -- provider vouches for nobody's access to other tenants (docs/security.md).
    ALTER TABLE person_session ADD COLUMN sso_tenant_id text COLLATE "C" REFERENCES tenant (id) ON DELETE CASCADE;

    CREATE TABLE person_totp (
      person_id text COLLATE "C" PRIMARY KEY REFERENCES person (id) ON DELETE CASCADE,
      secret text NOT NULL,
      -- Null while enrolment waits for its first code: sign-in does not ask for it yet.
      confirmed_at timestamptz,
      -- The last time step a code was taken for: each code works once.
      last_used_step bigint,
      created_at timestamptz NOT NULL DEFAULT now()
    );

    CREATE TABLE person_recovery_code (
      id text COLLATE "C" PRIMARY KEY,
      person_id text COLLATE "C" NOT NULL REFERENCES person (id) ON DELETE CASCADE,
      code_hash text COLLATE "C" NOT NULL,
      used_at timestamptz
    );
    CREATE INDEX person_recovery_code_person_idx ON person_recovery_code (person_id, code_hash);

    -- Half signed in: the password was right, the second factor is still to come. Not a session.
    CREATE TABLE sign_in_challenge (
      id text COLLATE "C" PRIMARY KEY,
      token_hash text COLLATE "C" NOT NULL UNIQUE,
      person_id text COLLATE "C" NOT NULL REFERENCES person (id) ON DELETE CASCADE,
      -- The tenant the session will work on; not tenant_id: a challenge belongs to a person.
      session_tenant_id text COLLATE "C" REFERENCES tenant (id) ON DELETE SET NULL,
      expires_at timestamptz NOT NULL
    );
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE sign_in_challenge; DROP TABLE person_recovery_code; DROP TABLE person_totp; ALTER TABLE person_session DROP COLUMN sso_tenant_id; DROP TABLE tenant_sso;`.execute(
    db,
  );
}
