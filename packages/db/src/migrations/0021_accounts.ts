import { sql, type Kysely } from 'kysely';

// People of the vendor's team, their role in each tenant, their server-side sessions and the
// invitations that bring them in (docs/security.md). Credentials are stored only as hashes:
// passwords as scrypt strings, session ids and invite tokens as SHA-256 of 256-bit random values.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE person (
      id text COLLATE "C" PRIMARY KEY,
      email text NOT NULL,
      name text NOT NULL DEFAULT '',
      -- scrypt$N$r$p$salt$hash; null until the person sets a password (an invite not yet taken).
      password_hash text,
      password_changed_at timestamptz,
      created_at timestamptz NOT NULL DEFAULT now()
    );
    -- One person per address, whatever its case.
    CREATE UNIQUE INDEX person_email_key ON person (lower(email));

    CREATE TABLE membership (
      tenant_id text COLLATE "C" NOT NULL REFERENCES tenant (id) ON DELETE CASCADE,
      person_id text COLLATE "C" NOT NULL REFERENCES person (id) ON DELETE CASCADE,
      role text NOT NULL CHECK (role IN ('owner', 'admin', 'developer', 'viewer')),
      created_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (tenant_id, person_id)
    );
    CREATE INDEX membership_person_idx ON membership (person_id);

    CREATE TABLE person_session (
      -- Public id (listing, revoking); the cookie's value is never stored, only its hash.
      id text COLLATE "C" PRIMARY KEY,
      token_hash text COLLATE "C" NOT NULL UNIQUE,
      person_id text COLLATE "C" NOT NULL REFERENCES person (id) ON DELETE CASCADE,
      -- The tenant the console works on; not tenant_id: a session belongs to a person, not a tenant.
      current_tenant_id text COLLATE "C" REFERENCES tenant (id) ON DELETE SET NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      last_seen_at timestamptz NOT NULL DEFAULT now(),
      idle_expires_at timestamptz NOT NULL,
      expires_at timestamptz NOT NULL,
      revoked_at timestamptz,
      user_agent text,
      client_address text
    );
    CREATE INDEX person_session_person_idx ON person_session (person_id);
    CREATE INDEX person_session_expires_idx ON person_session (expires_at);

    CREATE TABLE invite (
      id text COLLATE "C" PRIMARY KEY,
      token_hash text COLLATE "C" NOT NULL UNIQUE,
      tenant_id text COLLATE "C" NOT NULL REFERENCES tenant (id) ON DELETE CASCADE,
      -- Null: whoever holds the link names their address (the first start's owner link).
      email text,
      role text NOT NULL CHECK (role IN ('owner', 'admin', 'developer', 'viewer')),
      -- Null: the operator or the first start invited.
      inviter_person_id text COLLATE "C" REFERENCES person (id) ON DELETE SET NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      expires_at timestamptz NOT NULL,
      used_at timestamptz
    );
    CREATE INDEX invite_tenant_idx ON invite (tenant_id, created_at);
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE invite; DROP TABLE person_session; DROP TABLE membership; DROP TABLE person;`.execute(db);
}
