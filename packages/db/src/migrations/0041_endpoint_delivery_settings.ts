import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    -- An endpoint's own delivery settings (issue 24), each null for its tenant's or the
    -- installation's; and a tenant that accepts only https:// endpoint URLs.
    ALTER TABLE endpoint
      ADD COLUMN retry_schedule integer[],
      ADD COLUMN timeout_ms integer CHECK (timeout_ms BETWEEN 1000 AND 300000),
      ADD COLUMN max_attempts integer CHECK (max_attempts BETWEEN 1 AND 51);
    ALTER TABLE tenant ADD COLUMN https_only boolean NOT NULL DEFAULT false;
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    ALTER TABLE tenant DROP COLUMN https_only;
    ALTER TABLE endpoint DROP COLUMN retry_schedule, DROP COLUMN timeout_ms, DROP COLUMN max_attempts;
  `.execute(db);
}
