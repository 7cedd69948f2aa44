import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    -- A tenant's own settings (console: /console/v1/settings); null: the installation's.
    -- retention_days only shortens: payloads of older messages are expired by maintenance, while
    -- the messages themselves leave with their partition at the installation's retention.
    ALTER TABLE tenant
      ADD COLUMN retention_days double precision CHECK (retention_days > 0),
      ADD COLUMN portal_theme jsonb,
      ADD COLUMN portal_frame_ancestors text;
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    ALTER TABLE tenant DROP COLUMN retention_days, DROP COLUMN portal_theme, DROP COLUMN portal_frame_ancestors;
  `.execute(db);
}
