import { sql, type Kysely } from 'kysely';

// Issue 22: Hookline's objects move out of the schema the migrations used to run in (usually
// `public`, where a vendor's own `messages` or `applications` live) into `hookline`. A fresh
// install creates them there already (every connection of Hookline has search_path = hookline) and
// this finds nothing to move. An old installation is moved: migrateDatabase has moved the migration
// table first and runs this with search_path `hookline, <old schema>`, so `tenant` resolves to the
// old one. SET SCHEMA only rewrites catalogue rows (no table is copied): see docs/architecture.md.

/** Every table of Hookline as of 0029; each one's partitions move with it. Named, so a vendor's tables in the same schema stay. */
const TABLES = [
  'tenant',
  'api_key',
  'application',
  'endpoint',
  'endpoint_secret',
  'endpoint_throttle',
  'event_type',
  'message',
  'message_delivery',
  'message_attempt',
  'message_event_id',
  'fanout_pending',
  'idempotency_key',
  'background_task',
  'delivery_stat',
  'delivery_status_count',
  'tenant_message_count',
  'api_rate_limit',
  'portal_rate_limit',
  'audit_log',
  'person',
  'person_session',
  'person_totp',
  'person_recovery_code',
  'membership',
  'invite',
  'password_reset',
  'sign_in_challenge',
  'tenant_sso',
  'setting',
];

/** The trigger and index functions earlier migrations created next to the tables. */
const FUNCTIONS = [
  'hookline_audit_log_append_only',
  'hookline_count_attempts',
  'hookline_count_delivery_changes',
  'hookline_count_fanned_out',
  'hookline_searchable_payload',
];

// A DO block takes no parameters: the names go in as literals.
const literals = (names: string[]) => sql`ARRAY[${sql.join(names.map((n) => sql.lit(n)))}]::text[]`;

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    DO $do$
    DECLARE
      src_oid oid := (SELECT c.relnamespace FROM pg_class c WHERE c.oid = to_regclass('tenant'));
      src name := (SELECT n.nspname FROM pg_namespace n WHERE n.oid = src_oid);
      t text;
      parent regclass;
      part name;
      f regprocedure;
    BEGIN
      IF src IS NULL OR src = 'hookline' THEN
        RETURN;
      END IF;
      FOREACH t IN ARRAY ${literals(TABLES)} LOOP
        -- The parent may already be in hookline: a migration before this one, run in this upgrade
        -- with hookline first on the search_path, created it there (0019's new message).
        parent := coalesce(to_regclass(format('hookline.%I', t)), to_regclass(format('%I.%I', src, t)));
        CONTINUE WHEN parent IS NULL;
        -- A partitioned table's SET SCHEMA leaves its partitions behind: each moves on its own.
        FOR part IN SELECT c.relname FROM pg_partition_tree(parent) p
          JOIN pg_class c ON c.oid = p.relid WHERE p.level > 0 AND c.relnamespace = src_oid LOOP
          EXECUTE format('ALTER TABLE %I.%I SET SCHEMA hookline', src, part);
        END LOOP;
        -- Indexes, constraints, triggers and identity sequences go with their table.
        IF (SELECT relnamespace FROM pg_class WHERE oid = parent) = src_oid THEN
          EXECUTE format('ALTER TABLE %I.%I SET SCHEMA hookline', src, t);
        END IF;
      END LOOP;
      FOR f IN SELECT p.oid FROM pg_proc p WHERE p.pronamespace = src_oid AND p.proname = ANY(${literals(FUNCTIONS)}) LOOP
        EXECUTE format('ALTER FUNCTION %s SET SCHEMA hookline', f);
      END LOOP;
      -- 0029's functions named the old schema on their search_path; they now read the tables here.
      FOR f IN SELECT p.oid FROM pg_proc p WHERE p.pronamespace = 'hookline'::regnamespace
        AND EXISTS (SELECT 1 FROM unnest(p.proconfig) c WHERE c LIKE 'search\\_path=%') LOOP
        EXECUTE format('ALTER FUNCTION %s SET search_path = pg_catalog, hookline, pg_temp', f);
      END LOOP;
    END $do$;
  `.execute(db);
  // Migrations after this one, in the same run, see Hookline's schema only.
  await sql`SELECT set_config('search_path', 'hookline', true)`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('0032_hookline_schema cannot be undone: every release from it on reads its tables in schema hookline');
}
