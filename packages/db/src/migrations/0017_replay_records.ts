import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    -- Replay records hold no credentials and no payloads (see withIdempotency): portal tokens stored
    -- before are dropped, and stored message responses lose their payload (a replay rebuilds it
    -- from the message row, so deleted or expired content stays gone).
    DELETE FROM idempotency_key WHERE request LIKE 'POST /api/v1/auth/app-portal-access/%';
    UPDATE idempotency_key SET response_body = (response_body::jsonb - 'payload')::text
      WHERE request ~ '^POST /api/v1/app/[^/]+/msg$' AND response_body IS NOT NULL AND response_body::jsonb ? 'payload';
  `.execute(db);
}

/** Nothing to undo: what was dropped is what no replay record may hold. */
export async function down(): Promise<void> {}
