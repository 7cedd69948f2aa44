import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    -- Svix moved from one featureFlag per event type to a set (featureFlags); the single flag
    -- becomes a set of one.
    ALTER TABLE event_type ADD COLUMN feature_flags text[];
    UPDATE event_type SET feature_flags = ARRAY[feature_flag] WHERE feature_flag IS NOT NULL;
    ALTER TABLE event_type DROP COLUMN feature_flag;

    -- Free-form tags a message can be listed by (Svix's MessageIn.tags, ?tag= on list). No index:
    -- the filter runs inside one application's id-ordered page, which message_app_idx serves.
    ALTER TABLE message ADD COLUMN tags text[];
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    ALTER TABLE message DROP COLUMN tags;
    ALTER TABLE event_type ADD COLUMN feature_flag text;
    UPDATE event_type SET feature_flag = feature_flags[1] WHERE feature_flags IS NOT NULL;
    ALTER TABLE event_type DROP COLUMN feature_flags;
  `.execute(db);
}
