import { sql, type Kysely } from 'kysely';

// Encryption at rest needs the master key, which migrations never see (they run without the
// application's configuration). So nothing is rewritten here: rows written before this version
// stay plaintext and are still read as such, and `hookline reencrypt` (also run by the scheduled
// maintenance) encrypts them, as it re-encrypts rows of a rotated-out key. This migration only
// documents the stored form where an operator looking at the database will see it.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    COMMENT ON COLUMN endpoint_secret.secret IS
      'Signing key, AES-256-GCM encrypted: hl1:<master key id>:<base64 iv|ciphertext|tag>; plaintext only in rows from before encryption at rest, until hookline reencrypt';
    COMMENT ON COLUMN endpoint.headers IS
      'Custom headers: names in clear, each value encrypted as hl1:<master key id>:<base64 iv|ciphertext|tag> (plaintext only in rows from before encryption at rest)';
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    COMMENT ON COLUMN endpoint_secret.secret IS NULL;
    COMMENT ON COLUMN endpoint.headers IS NULL;
  `.execute(db);
}
