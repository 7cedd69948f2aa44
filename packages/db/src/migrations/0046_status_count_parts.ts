import { sql, type Kysely } from 'kysely';

// delivery_status_count (0020) counts deliveries per endpoint, hour of creation and status. A
// fan-out adds to the pending row of every endpoint it delivers to; since a first failure moves its
// delivery from pending to sending (0043), that failure's transaction (the group commit's, up to 64
// attempts) held the same row, and every next fan-out to the endpoint waited for it: with 50 of 100
// endpoints hanging, the healthy ones' p99 went from 1.98 to 6-7 x (scenario 6, docs/performance.md).
// Now what a fan-out inserts (part 0) and what attempts change or deletes remove (part 1) are kept
// in rows of their own; readers sum the parts.

/** The trigger function, its rows in `part` (0: inserted deliveries, 1: changes and deletes) or, without parts, as 0020 made it. */
function countDeliveryChanges(withParts: boolean): string {
  const columns = withParts ? 'tenant_id, app_id, endpoint_id, hour, status, part, n' : 'tenant_id, app_id, endpoint_id, hour, status, n';
  const part = (p: number) => (withParts ? ` ${p},` : '');
  const target = withParts ? '(endpoint_id, hour, status, part)' : '(endpoint_id, hour, status)';
  return `
    CREATE OR REPLACE FUNCTION hookline.hookline_count_delivery_changes() RETURNS trigger LANGUAGE plpgsql
      SET search_path = pg_catalog, hookline, pg_temp AS $fn$
    BEGIN
      IF TG_OP = 'INSERT' THEN
        INSERT INTO delivery_status_count AS c (${columns})
        SELECT tenant_id, min(app_id), endpoint_id, date_trunc('hour', created_at, 'UTC') AS hour, status,${part(0)} count(*)::int
        FROM new_deliveries GROUP BY endpoint_id, 4, status, tenant_id ORDER BY endpoint_id, 4, status
        ON CONFLICT ${target} DO UPDATE SET n = c.n + excluded.n;
      ELSIF TG_OP = 'DELETE' THEN
        INSERT INTO delivery_status_count AS c (${columns})
        SELECT tenant_id, min(app_id), endpoint_id, date_trunc('hour', created_at, 'UTC') AS hour, status,${part(1)} -count(*)::int
        FROM old_deliveries GROUP BY endpoint_id, 4, status, tenant_id ORDER BY endpoint_id, 4, status
        ON CONFLICT ${target} DO UPDATE SET n = c.n + excluded.n;
      ELSE
        INSERT INTO delivery_status_count AS c (${columns})
        SELECT tenant_id, min(app_id), endpoint_id, date_trunc('hour', created_at, 'UTC') AS hour, status,${part(1)} sum(d)::int
        FROM (
          SELECT tenant_id, app_id, endpoint_id, created_at, status, -1 AS d FROM old_deliveries
          UNION ALL
          SELECT tenant_id, app_id, endpoint_id, created_at, status, 1 AS d FROM new_deliveries
        ) x
        GROUP BY endpoint_id, 4, status, tenant_id HAVING sum(d) <> 0 ORDER BY endpoint_id, 4, status
        ON CONFLICT ${target} DO UPDATE SET n = c.n + excluded.n;
      END IF;
      RETURN NULL;
    END $fn$;`;
}

export async function up(db: Kysely<unknown>): Promise<void> {
  // A column with a constant default rewrites nothing; the key's index is rebuilt (a row per
  // endpoint, hour and status: small, and kept so by maintenance's pruning).
  await sql`
    ALTER TABLE delivery_status_count ADD COLUMN part smallint NOT NULL DEFAULT 0;
    ALTER TABLE delivery_status_count DROP CONSTRAINT delivery_status_count_pkey, ADD PRIMARY KEY (endpoint_id, hour, status, part);
    ${sql.raw(countDeliveryChanges(true))}
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    WITH changes AS (DELETE FROM delivery_status_count WHERE part = 1 RETURNING tenant_id, app_id, endpoint_id, hour, status, n)
    INSERT INTO delivery_status_count AS c (tenant_id, app_id, endpoint_id, hour, status, part, n)
    SELECT tenant_id, min(app_id), endpoint_id, hour, status, 0, sum(n)::int FROM changes GROUP BY endpoint_id, hour, status, tenant_id
    ON CONFLICT (endpoint_id, hour, status, part) DO UPDATE SET n = c.n + excluded.n;
    ALTER TABLE delivery_status_count DROP CONSTRAINT delivery_status_count_pkey, ADD PRIMARY KEY (endpoint_id, hour, status);
    ALTER TABLE delivery_status_count DROP COLUMN part;
    ${sql.raw(countDeliveryChanges(false))}
  `.execute(db);
}
