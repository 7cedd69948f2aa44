import { sql, type Kysely } from 'kysely';

/**
 * Lower bounds (ms) of the attempt latency histogram's buckets after the first (which holds
 * everything under 1 ms): log-spaced 1-2-5, up to the longest timeout. Frozen here: stored
 * histograms are positional, so changing them needs a new column, not an edit.
 */
export const LATENCY_BOUNDS_MS: readonly number[] = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10_000, 20_000, 50_000];

/** The histogram's columns, latency0 (under 1 ms) to latency15 (50 s and more). */
const latencyColumns = [0, ...LATENCY_BOUNDS_MS.map((_, i) => i + 1)].map((b) => ({ b, name: `latency${b}` }));
const columns = {
  create: latencyColumns.map((c) => `${c.name} integer NOT NULL DEFAULT 0`).join(',\n      '),
  names: latencyColumns.map((c) => c.name).join(', '),
  counts: latencyColumns.map((c) => `count(*) FILTER (WHERE g.lb = ${c.b})`).join(', '),
  add: latencyColumns.map((c) => `${c.name} = s.${c.name} + excluded.${c.name}`).join(', '),
};

// Statistics are written by statement-level triggers, in the statement that writes the rows they
// count (crash-safe, never drifting), aggregated per statement: a group commit of 64 attempts
// makes one upsert per (endpoint, bucket), keys in sorted order so concurrent writers lock alike.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    -- Finished attempts per endpoint and minute (minutes = 1) or hour (minutes = 60) of the attempt.
    CREATE TABLE delivery_stat (
      tenant_id text COLLATE "C" NOT NULL,
      app_id text COLLATE "C" NOT NULL,
      endpoint_id text COLLATE "C" NOT NULL,
      minutes smallint NOT NULL,
      bucket timestamptz NOT NULL,
      success integer NOT NULL DEFAULT 0,
      fail integer NOT NULL DEFAULT 0,
      status2xx integer NOT NULL DEFAULT 0,
      status3xx integer NOT NULL DEFAULT 0,
      status4xx integer NOT NULL DEFAULT 0,
      status5xx integer NOT NULL DEFAULT 0,
      -- Timeouts and network errors (response status 0) and anything outside 200-599.
      status_other integer NOT NULL DEFAULT 0,
      -- How many attempts took [LATENCY_BOUNDS_MS[i-1], LATENCY_BOUNDS_MS[i]) ms.
      ${sql.raw(columns.create)},
      PRIMARY KEY (endpoint_id, minutes, bucket)
    ) WITH (fillfactor = 70);
    CREATE INDEX delivery_stat_app_idx ON delivery_stat (tenant_id, app_id, minutes, bucket);
    CREATE INDEX delivery_stat_tenant_idx ON delivery_stat (tenant_id, minutes, bucket);
    CREATE INDEX delivery_stat_bucket_idx ON delivery_stat (minutes, bucket);

    -- Deliveries per endpoint, hour of the delivery's creation (its message's fan-out) and CURRENT status.
    CREATE TABLE delivery_status_count (
      tenant_id text COLLATE "C" NOT NULL,
      app_id text COLLATE "C" NOT NULL,
      endpoint_id text COLLATE "C" NOT NULL,
      hour timestamptz NOT NULL,
      status smallint NOT NULL,
      n integer NOT NULL,
      PRIMARY KEY (endpoint_id, hour, status)
    ) WITH (fillfactor = 70);
    CREATE INDEX delivery_status_count_hour_idx ON delivery_status_count (hour);

    CREATE FUNCTION hookline_count_attempts() RETURNS trigger LANGUAGE plpgsql AS $fn$
    BEGIN
      INSERT INTO delivery_stat AS s (tenant_id, app_id, endpoint_id, minutes, bucket, success, fail,
        status2xx, status3xx, status4xx, status5xx, status_other, ${sql.raw(columns.names)})
      SELECT g.tenant_id, min(g.app_id), g.endpoint_id, g.minutes, g.bucket,
        count(*) FILTER (WHERE g.status = 0), count(*) FILTER (WHERE g.status <> 0),
        count(*) FILTER (WHERE g.code BETWEEN 200 AND 299), count(*) FILTER (WHERE g.code BETWEEN 300 AND 399),
        count(*) FILTER (WHERE g.code BETWEEN 400 AND 499), count(*) FILTER (WHERE g.code BETWEEN 500 AND 599),
        count(*) FILTER (WHERE g.code NOT BETWEEN 200 AND 599),
        ${sql.raw(columns.counts)}
      FROM (
        SELECT a.tenant_id, a.app_id, a.endpoint_id, a.status, a.response_status_code AS code, w.minutes,
          date_trunc(CASE WHEN w.minutes = 1 THEN 'minute' ELSE 'hour' END, a.created_at, 'UTC') AS bucket,
          width_bucket(a.response_duration_ms, ${sql.raw(`'{${LATENCY_BOUNDS_MS.join(',')}}'::int[]`)}) AS lb
        FROM new_attempts a CROSS JOIN (VALUES (1::smallint), (60::smallint)) AS w(minutes)
      ) g
      GROUP BY g.endpoint_id, g.minutes, g.bucket, g.tenant_id
      ORDER BY g.endpoint_id, g.minutes, g.bucket
      ON CONFLICT (endpoint_id, minutes, bucket) DO UPDATE SET
        success = s.success + excluded.success, fail = s.fail + excluded.fail,
        status2xx = s.status2xx + excluded.status2xx, status3xx = s.status3xx + excluded.status3xx,
        status4xx = s.status4xx + excluded.status4xx, status5xx = s.status5xx + excluded.status5xx,
        status_other = s.status_other + excluded.status_other,
        ${sql.raw(columns.add)};
      RETURN NULL;
    END $fn$;

    -- Net change per (endpoint, hour, status) of the rows a statement removed (-1) and added (+1).
    CREATE FUNCTION hookline_count_delivery_changes() RETURNS trigger LANGUAGE plpgsql AS $fn$
    BEGIN
      IF TG_OP = 'INSERT' THEN
        INSERT INTO delivery_status_count AS c (tenant_id, app_id, endpoint_id, hour, status, n)
        SELECT tenant_id, min(app_id), endpoint_id, date_trunc('hour', created_at, 'UTC') AS hour, status, count(*)::int
        FROM new_deliveries GROUP BY endpoint_id, 4, status, tenant_id ORDER BY endpoint_id, 4, status
        ON CONFLICT (endpoint_id, hour, status) DO UPDATE SET n = c.n + excluded.n;
      ELSIF TG_OP = 'DELETE' THEN
        INSERT INTO delivery_status_count AS c (tenant_id, app_id, endpoint_id, hour, status, n)
        SELECT tenant_id, min(app_id), endpoint_id, date_trunc('hour', created_at, 'UTC') AS hour, status, -count(*)::int
        FROM old_deliveries GROUP BY endpoint_id, 4, status, tenant_id ORDER BY endpoint_id, 4, status
        ON CONFLICT (endpoint_id, hour, status) DO UPDATE SET n = c.n + excluded.n;
      ELSE
        INSERT INTO delivery_status_count AS c (tenant_id, app_id, endpoint_id, hour, status, n)
        SELECT tenant_id, min(app_id), endpoint_id, date_trunc('hour', created_at, 'UTC') AS hour, status, sum(d)::int
        FROM (
          SELECT tenant_id, app_id, endpoint_id, created_at, status, -1 AS d FROM old_deliveries
          UNION ALL
          SELECT tenant_id, app_id, endpoint_id, created_at, status, 1 AS d FROM new_deliveries
        ) x
        GROUP BY endpoint_id, 4, status, tenant_id HAVING sum(d) <> 0 ORDER BY endpoint_id, 4, status
        ON CONFLICT (endpoint_id, hour, status) DO UPDATE SET n = c.n + excluded.n;
      END IF;
      RETURN NULL;
    END $fn$;

    -- A trigger with transition tables takes one event each.
    CREATE TRIGGER message_attempt_stats AFTER INSERT ON message_attempt
      REFERENCING NEW TABLE AS new_attempts FOR EACH STATEMENT EXECUTE FUNCTION hookline_count_attempts();
    CREATE TRIGGER message_delivery_insert_stats AFTER INSERT ON message_delivery
      REFERENCING NEW TABLE AS new_deliveries FOR EACH STATEMENT EXECUTE FUNCTION hookline_count_delivery_changes();
    CREATE TRIGGER message_delivery_update_stats AFTER UPDATE ON message_delivery
      REFERENCING OLD TABLE AS old_deliveries NEW TABLE AS new_deliveries FOR EACH STATEMENT EXECUTE FUNCTION hookline_count_delivery_changes();
    CREATE TRIGGER message_delivery_delete_stats AFTER DELETE ON message_delivery
      REFERENCING OLD TABLE AS old_deliveries FOR EACH STATEMENT EXECUTE FUNCTION hookline_count_delivery_changes();

    -- The deliveries already there, counted once in the transaction that created the triggers (it
    -- holds their lock, so no change is missed or counted twice; writers wait for the scan). Past
    -- attempts are not counted: the series start at the upgrade.
    INSERT INTO delivery_status_count (tenant_id, app_id, endpoint_id, hour, status, n)
    SELECT tenant_id, min(app_id), endpoint_id, date_trunc('hour', created_at, 'UTC'), status, count(*)::int
    FROM message_delivery GROUP BY endpoint_id, 4, status, tenant_id;
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    DROP TRIGGER message_attempt_stats ON message_attempt;
    DROP TRIGGER message_delivery_insert_stats ON message_delivery;
    DROP TRIGGER message_delivery_update_stats ON message_delivery;
    DROP TRIGGER message_delivery_delete_stats ON message_delivery;
    DROP FUNCTION hookline_count_attempts();
    DROP FUNCTION hookline_count_delivery_changes();
    DROP TABLE delivery_status_count, delivery_stat;
  `.execute(db);
}
