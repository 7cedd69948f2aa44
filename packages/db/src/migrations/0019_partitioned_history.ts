import { sql, type Kysely } from 'kysely';
import { idBoundary, idTime } from '../ksuidTime.ts';

// History becomes range-partitioned on the message id (docs/architecture.md, "History partitions"),
// so retention drops whole partitions instead of deleting row by row. No row is copied: each
// existing table is renamed `*_legacy` and attached, as it is, as the partition of every id below
// the start of the next minute; retention drops it whole once that bound is past. Partitions from
// there on are made by migrateDatabase right after (ensureHistoryPartitions, with the configured
// width), and a DEFAULT partition takes any row no range takes.
//
// The cost, under an exclusive lock on the three tables: one unique index (msg_id, id) built on
// the attempts (the primary key of a partitioned table must include its partition key), the
// eventIds copied to their own table, and one scan of each table as it is attached
// (docs/operations.md has the time per GB).
//
// @migration-safe rename: the tables keep their names as partitioned parents and old processes read
// and write them unchanged, except a publish with an eventId by an older api: its ON CONFLICT
// names the (app_id, event_id) index that no partitioned table can have, so it fails until the api
// is replaced. docs/operations.md says to upgrade this release with the api stopped.
// @migration-safe index-on-big-table: indexes created on the new partitioned parents are built on
// no rows (the legacy tables' own indexes are attached, not rebuilt); the one index built on a big
// table is message_attempt_legacy (msg_id, id), the cost described above.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`LOCK TABLE message, message_delivery, message_attempt IN ACCESS EXCLUSIVE MODE`.execute(db);
  const { rows } = await sql<{ max: string | null }>`SELECT max(id) AS max FROM message`.execute(db);
  // Every existing id sorts below the bound, even one made by a clock a little ahead of this one.
  const newest = Math.max(Date.now(), rows[0]!.max ? idTime(rows[0]!.max).getTime() : 0);
  const bound = sql.lit(idBoundary('msg', new Date(Math.ceil(newest / 60_000) * 60_000 + 60_000), 'start'));

  await sql`
    ALTER TABLE message RENAME TO message_legacy;
    ALTER TABLE message_delivery RENAME TO message_delivery_legacy;
    ALTER TABLE message_attempt RENAME TO message_attempt_legacy;
    ALTER INDEX message_pkey RENAME TO message_legacy_pkey;
    ALTER INDEX message_app_idx RENAME TO message_legacy_app_idx;
    ALTER INDEX message_expires_idx RENAME TO message_legacy_expires_idx;
    ALTER INDEX message_app_event_type_idx RENAME TO message_legacy_app_event_type_idx;
    ALTER INDEX message_delivery_pkey RENAME TO message_delivery_legacy_pkey;
    ALTER INDEX message_delivery_endpoint_status_idx RENAME TO message_delivery_legacy_endpoint_status_idx;
    ALTER INDEX message_attempt_endpoint_idx RENAME TO message_attempt_legacy_endpoint_idx;

    -- A message, its deliveries and attempts share a partition and are dropped together.
    ALTER TABLE message_delivery_legacy DROP CONSTRAINT message_delivery_msg_id_fkey;
    ALTER TABLE message_attempt_legacy DROP CONSTRAINT message_attempt_msg_id_fkey;

    -- Svix's 409 on a repeated eventId: the claim lives in a table of its own (not partitioned),
    -- which the publish statement inserts into first. Rows exist only for messages with an eventId.
    CREATE TABLE message_event_id (
      app_id text COLLATE "C" NOT NULL,
      event_id text NOT NULL,
      tenant_id text COLLATE "C" NOT NULL,
      msg_id text COLLATE "C" NOT NULL,
      PRIMARY KEY (app_id, event_id)
    );
    INSERT INTO message_event_id (app_id, event_id, tenant_id, msg_id)
      SELECT app_id, event_id, tenant_id, id FROM message_legacy WHERE event_id IS NOT NULL;
    CREATE INDEX message_event_id_msg_idx ON message_event_id (msg_id);
    DROP INDEX message_event_id_idx;

    -- The attempts' key must include the partition key: (msg_id, id) replaces (id), and also
    -- serves what message_attempt_msg_idx (msg_id, id) did.
    CREATE UNIQUE INDEX message_attempt_legacy_pkey_new ON message_attempt_legacy (msg_id, id);
    ALTER TABLE message_attempt_legacy DROP CONSTRAINT message_attempt_pkey;
    ALTER TABLE message_attempt_legacy ADD CONSTRAINT message_attempt_legacy_pkey PRIMARY KEY USING INDEX message_attempt_legacy_pkey_new;
    DROP INDEX message_attempt_msg_idx;

    -- The parents, with the legacy tables' columns and indexes, so ATTACH adopts their indexes.
    CREATE TABLE message (LIKE message_legacy INCLUDING DEFAULTS INCLUDING CONSTRAINTS) PARTITION BY RANGE (id);
    ALTER TABLE message ADD PRIMARY KEY (id);
    CREATE INDEX message_app_idx ON message (tenant_id, app_id, id);
    CREATE INDEX message_expires_idx ON message (expires_at) WHERE payload IS NOT NULL;
    CREATE INDEX message_app_event_type_idx ON message (app_id, event_type, id);

    CREATE TABLE message_delivery (LIKE message_delivery_legacy INCLUDING DEFAULTS INCLUDING CONSTRAINTS) PARTITION BY RANGE (msg_id);
    ALTER TABLE message_delivery ADD PRIMARY KEY (msg_id, endpoint_id);
    ALTER TABLE message_delivery ADD FOREIGN KEY (endpoint_id) REFERENCES endpoint (id) ON DELETE CASCADE;
    CREATE INDEX message_delivery_endpoint_status_idx ON message_delivery (endpoint_id, msg_id) INCLUDE (tenant_id, status);

    CREATE TABLE message_attempt (LIKE message_attempt_legacy INCLUDING DEFAULTS INCLUDING CONSTRAINTS) PARTITION BY RANGE (msg_id);
    ALTER TABLE message_attempt ADD PRIMARY KEY (msg_id, id);
    ALTER TABLE message_attempt ADD FOREIGN KEY (endpoint_id) REFERENCES endpoint (id) ON DELETE CASCADE;
    CREATE INDEX message_attempt_endpoint_idx ON message_attempt (endpoint_id, id);
  `.execute(db);

  // ATTACH adopts the legacy tables' equal endpoint foreign keys as they are (no re-validation).
  await sql`
    ALTER TABLE message ATTACH PARTITION message_legacy FOR VALUES FROM (MINVALUE) TO (${bound});
    ALTER TABLE message_delivery ATTACH PARTITION message_delivery_legacy FOR VALUES FROM (MINVALUE) TO (${bound});
    ALTER TABLE message_attempt ATTACH PARTITION message_attempt_legacy FOR VALUES FROM (MINVALUE) TO (${bound});
    CREATE TABLE message_default PARTITION OF message DEFAULT;
    CREATE TABLE message_delivery_default PARTITION OF message_delivery DEFAULT;
    CREATE TABLE message_attempt_default PARTITION OF message_attempt DEFAULT;
  `.execute(db);
}

/** Not undone: rows written since would have to be copied back into one table; restore a backup instead. */
export async function down(): Promise<void> {
  throw new Error('0019_partitioned_history cannot be undone; restore the database from a backup taken before the upgrade');
}
