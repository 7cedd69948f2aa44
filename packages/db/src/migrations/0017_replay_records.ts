import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    -- Replay records hold no credentials (see withIdempotency): the portal tokens stored before are
    -- dropped (one pass over the table, few rows deleted). Stored publish responses are left as
    -- they are: a replay takes the payload from the message row, never from the record, and
    -- rewriting a day of publishes here would hold up the upgrade; they are pruned within 24 hours.
    DELETE FROM idempotency_key WHERE request LIKE 'POST /api/v1/auth/app-portal-access/%';
  `.execute(db);
}

/** Nothing to undo: what was dropped is what no replay record may hold. */
export async function down(): Promise<void> {}
