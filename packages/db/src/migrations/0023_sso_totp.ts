import { sql, type Kysely } from 'kysely';

// Per-tenant OpenID Connect single sign-on (docs/security.md). The client secret is stored as a
// SecretBox envelope bound to its row (table tenant_sso, column client_secret, the tenant's id).
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
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE person_session DROP COLUMN sso_tenant_id; DROP TABLE tenant_sso;`.execute(db);
}
