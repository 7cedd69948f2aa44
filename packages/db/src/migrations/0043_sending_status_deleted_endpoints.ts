import { sql, type Kysely } from 'kysely';

// Two of Svix's behaviours (docs/api.md, Differences from Svix):
//
// - A delivery whose attempt failed and that waits for a retry is `sending` (3), no longer
//   `pending` (1). The deliveries already in that state are converted here. Only endpoints whose
//   delivery counters (0020) hold pending deliveries are visited, each through its
//   (endpoint_id, msg_id) index, so the statement reads the backlog, not the history.
// - Deleting an endpoint keeps its deliveries and attempts: the cascade from endpoint to
//   message_delivery and message_attempt goes, and a small tombstone of the endpoint stays for
//   the lists that still show it. Dropping a foreign key validates nothing and rewrites nothing.
export async function up(db: Kysely<unknown>): Promise<void> {
  const keys = await sql<{ table: string; name: string }>`
    SELECT c.conrelid::regclass::text AS table, c.conname AS name FROM pg_constraint c
    WHERE c.contype = 'f' AND c.confrelid = 'endpoint'::regclass AND c.conparentid = 0
      AND c.conrelid IN (
        SELECT t.oid FROM (VALUES ('message_delivery'::regclass), ('message_attempt'::regclass)) AS t(oid)
        UNION ALL SELECT i.inhrelid FROM pg_inherits i WHERE i.inhparent IN ('message_delivery'::regclass, 'message_attempt'::regclass))
    ORDER BY c.conrelid IN ('message_delivery'::regclass, 'message_attempt'::regclass) DESC`.execute(db);
  // The parents' first: that drops the partitions' inherited copies; a partition's own key (not
  // adopted from a parent) is dropped after.
  for (const k of keys.rows) await sql`ALTER TABLE ${sql.raw(k.table)} DROP CONSTRAINT ${sql.id(k.name)}`.execute(db);

  await sql`
    -- What the attempted destinations of a message show of an endpoint deleted since (never its
    -- secrets or headers). Goes with its application; maintenance drops it once its deliveries
    -- have left history.
    CREATE TABLE deleted_endpoint (
      id text COLLATE "C" PRIMARY KEY,
      tenant_id text COLLATE "C" NOT NULL,
      app_id text COLLATE "C" NOT NULL REFERENCES application (id) ON DELETE CASCADE,
      uid text,
      url text NOT NULL,
      description text NOT NULL,
      disabled boolean NOT NULL,
      event_types text[],
      channels text[],
      throttle_rate integer,
      created_at timestamptz NOT NULL,
      updated_at timestamptz NOT NULL,
      deleted_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX deleted_endpoint_app_idx ON deleted_endpoint (app_id);
    CREATE INDEX deleted_endpoint_deleted_at_idx ON deleted_endpoint (deleted_at);

    UPDATE message_delivery SET status = 3
    WHERE endpoint_id IN (SELECT DISTINCT endpoint_id FROM delivery_status_count WHERE status = 1 AND n > 0)
      AND status = 1 AND attempt_count > 0;

    -- The backlog (the console overview) is pending and sending deliveries alike.
    DROP INDEX IF EXISTS delivery_status_count_pending_idx;
    CREATE INDEX delivery_status_count_pending_idx ON delivery_status_count (tenant_id, endpoint_id) WHERE status IN (1, 3);
  `.execute(db);
}

/** The foreign keys are not put back: rows of deleted endpoints written since would fail them. */
export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    DROP INDEX IF EXISTS delivery_status_count_pending_idx;
    CREATE INDEX delivery_status_count_pending_idx ON delivery_status_count (tenant_id, endpoint_id) WHERE status = 1;
    UPDATE message_delivery SET status = 1 WHERE status = 3;
    DROP TABLE deleted_endpoint;
  `.execute(db);
}
