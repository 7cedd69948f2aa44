import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    -- Each tenant's API rate-limit state (GCRA: the theoretical arrival time of its next request),
    -- shared by every api process. One row per tenant, updated on every tenant request: UNLOGGED
    -- because losing it in a crash only resets the limits, and writing no WAL keeps the hot path
    -- cheap; a low fillfactor leaves room on each page for HOT updates.
    CREATE UNLOGGED TABLE api_rate_limit (
      tenant_id text COLLATE "C" PRIMARY KEY REFERENCES tenant (id) ON DELETE CASCADE,
      tat timestamptz NOT NULL,
      -- Whether the latest request was let through (what the upsert returns).
      allowed boolean NOT NULL
    ) WITH (fillfactor = 50);
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE api_rate_limit;`.execute(db);
}
