import { sql, type Kysely } from 'kysely';

/**
 * Counter rows per (tenant, day): a worker's fan-out statement writes the row of its own slot
 * (its backend's pid modulo this), so workers fanning out one tenant's messages at once never wait
 * for each other's commit on a shared row. Readers sum the slots.
 */
export const MESSAGE_COUNT_SLOTS = 16;

// What the console's overview and the operator's usage view read, kept cheap on large tenants:
//
// - tenant_message_count: messages per tenant and UTC day, counted when a worker takes them out of
//   fanout_pending (the outbox every publish writes; 0015). A statement-level trigger on that
//   DELETE adds one upsert per fan-out statement (a batch of up to 25 messages), in the statement,
//   so the count commits or rolls back with the fan-out; publishing itself writes nothing more.
// - delivery_status_count_pending_idx: the backlog (deliveries waiting for an attempt) of a
//   tenant, from the counters 0020 keeps, without reading every (endpoint, hour, status) row. Its
//   key and predicate never change on the counters' updates (only n does), so they stay HOT.
// - A tenant's failing and disabled endpoints are read through 0027's endpoint_failing_idx and
//   endpoint_disabled_idx (one partial index for both was made redundant by them before release).
//
// Building the index blocks writes to delivery_status_count (not reads) for as long as it takes to
// read it: under a second at a million counter rows. On a large installation, create it first by hand
// with CREATE INDEX CONCURRENTLY and the same name and definition:
// IF NOT EXISTS then skips it here.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE tenant_message_count (
      tenant_id text COLLATE "C" NOT NULL,
      day date NOT NULL,
      slot smallint NOT NULL,
      n bigint NOT NULL,
      PRIMARY KEY (tenant_id, day, slot)
    ) WITH (fillfactor = 70);
    CREATE INDEX tenant_message_count_day_idx ON tenant_message_count (day);

    CREATE FUNCTION hookline_count_fanned_out() RETURNS trigger LANGUAGE plpgsql AS $fn$
    BEGIN
      INSERT INTO tenant_message_count AS c (tenant_id, day, slot, n)
      SELECT tenant_id, (now() AT TIME ZONE 'UTC')::date, pg_backend_pid() % ${sql.lit(MESSAGE_COUNT_SLOTS)}, count(*)
      FROM claimed GROUP BY tenant_id ORDER BY tenant_id
      ON CONFLICT (tenant_id, day, slot) DO UPDATE SET n = c.n + excluded.n;
      RETURN NULL;
    END $fn$;
    CREATE TRIGGER fanout_pending_count AFTER DELETE ON fanout_pending
      REFERENCING OLD TABLE AS claimed FOR EACH STATEMENT EXECUTE FUNCTION hookline_count_fanned_out();

    CREATE INDEX IF NOT EXISTS delivery_status_count_pending_idx ON delivery_status_count (tenant_id, endpoint_id) WHERE status = 1;
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    DROP INDEX IF EXISTS delivery_status_count_pending_idx;
    DROP TRIGGER fanout_pending_count ON fanout_pending;
    DROP FUNCTION hookline_count_fanned_out();
    DROP TABLE tenant_message_count;
  `.execute(db);
}
