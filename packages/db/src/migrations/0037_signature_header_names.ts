import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    -- Which names the id, timestamp and signature headers of a delivery carry (issue 23): the
    -- Standard Webhooks names (webhook-*), Svix's (svix-*), or both, so receivers written for Svix
    -- keep working. The tenant's choice, and an endpoint's own (null: the tenant's).
    ALTER TABLE tenant ADD COLUMN signature_header_names text NOT NULL DEFAULT 'webhook'
      CHECK (signature_header_names IN ('webhook', 'svix', 'both'));
    ALTER TABLE endpoint ADD COLUMN signature_header_names text
      CHECK (signature_header_names IN ('webhook', 'svix', 'both'));
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    ALTER TABLE endpoint DROP COLUMN signature_header_names;
    ALTER TABLE tenant DROP COLUMN signature_header_names;
  `.execute(db);
}
