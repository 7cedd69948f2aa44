import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    -- An endpoint's mutual TLS settings (Svix's …/endpoint/{id}/mtls): the client certificate
    -- chain (public, kept as PEM), its private key (a SecretBox envelope bound to this row) and the
    -- CA bundle that the endpoint's server certificate must chain to. Kept out of the endpoint row
    -- so loading endpoints never reads them; the worker reads updated_at as the version and
    -- fetches the rest only when its pool of TLS agents lacks that version.
    CREATE TABLE endpoint_mtls (
      endpoint_id text COLLATE "C" PRIMARY KEY REFERENCES endpoint (id) ON DELETE CASCADE,
      tenant_id text COLLATE "C" NOT NULL,
      client_cert text CHECK (octet_length(client_cert) <= 65536),
      client_key text CHECK (octet_length(client_key) <= 65536),
      server_ca_cert text CHECK (octet_length(server_ca_cert) <= 524288),
      updated_at timestamptz NOT NULL DEFAULT now(),
      CHECK ((client_cert IS NULL) = (client_key IS NULL)),
      CHECK (client_cert IS NOT NULL OR server_ca_cert IS NOT NULL)
    );
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE endpoint_mtls;`.execute(db);
}
