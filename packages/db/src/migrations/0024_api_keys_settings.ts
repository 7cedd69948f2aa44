import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    -- A tenant's own settings (console: /console/v1/settings); null: the installation's.
    -- retention_days only shortens: payloads of older messages are expired by maintenance, while
    -- the messages themselves leave with their partition at the installation's retention.
    ALTER TABLE tenant
      ADD COLUMN retention_days double precision CHECK (retention_days > 0),
      ADD COLUMN portal_theme jsonb,
      ADD COLUMN portal_frame_ancestors text,
      -- Every message of the tenant below this id has had its payload cleared for retention_days,
      -- so each maintenance run reads only the messages that passed the cutoff since the last.
      ADD COLUMN retention_cleared_before text COLLATE "C";
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    ALTER TABLE tenant DROP COLUMN retention_days, DROP COLUMN portal_theme, DROP COLUMN portal_frame_ancestors, DROP COLUMN retention_cleared_before;
  `.execute(db);
}
