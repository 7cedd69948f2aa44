import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    -- The headers an attempt was sent with, as the worker set them ({name: value}); a credential's
    -- value is never stored (JSON null: see packages/core/src/delivery/sentHeaders.ts). NULL on
    -- attempts recorded before this column existed: the API then shows what it can reconstruct.
    -- json, not jsonb: kept as the text the worker wrote (in the order sent), with no conversion on
    -- the delivery path; nothing queries inside it.
    -- Adding a nullable column without a default rewrites nothing, on the parent and every partition.
    ALTER TABLE message_attempt ADD COLUMN request_headers json;
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE message_attempt DROP COLUMN request_headers;`.execute(db);
}
