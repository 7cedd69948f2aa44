import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    -- Portal tokens are stateless JWTs; "expire-all" records per application which of them stop
    -- working: rules {before, at, sid?} in epoch milliseconds (see core's portal/portalRevocation.ts).
    -- Kept short: rules older than the longest token lifetime are dropped on the next write.
    ALTER TABLE application ADD COLUMN portal_token_revocations jsonb NOT NULL DEFAULT '[]';
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE application DROP COLUMN portal_token_revocations;`.execute(db);
}
