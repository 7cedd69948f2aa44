import { sql } from 'kysely';
import type { Database } from '../connect.ts';
import { listHistoryPartitions } from './historyPartitionRepo.ts';

// The index behind `payload_contains` (docs/architecture.md, "Searching history"): a GIN
// jsonb_path_ops index on hookline_searchable_payload(payload) (migration 0027) of each `message`
// partition, built by maintenance with CREATE INDEX CONCURRENTLY once the partition's range has
// ended. Built then, in one sorted pass, it costs no publish anything: kept up to date on every
// insert it made each publish's statement two to four times as costly (docs/performance.md). The
// partition still filling is searched by reading the tenant's messages in it (message_tenant_idx).
// Dropped with its partition by retention.

/** Index builds serialize on this session lock: maintenance may run in two workers at once. */
const LOCK = sql`hashtext('hookline.payload_index')`;
const SUFFIX = /^[a-z0-9_]+$/;

/** The payload index of a partition, by the partition's suffix (message_p20261206t0000 → message_p20261206t0000_payload_idx). */
export function payloadIndexName(suffix: string): string {
  if (!SUFFIX.test(suffix)) throw new Error(`bad history partition suffix ${suffix}`);
  return `message_${suffix}_payload_idx`;
}

/**
 * Partitions of `message` whose range ended at or before `closedBefore` (a message id bound), that
 * hold messages and have no valid payload index, newest first: the ones searched most come first.
 * An empty closed partition stays empty (ids follow the clock), so it never needs one; building it
 * anyway waits out every running transaction three times, which slowed delivery measurably.
 */
export async function partitionsWithoutPayloadIndex(db: Database, closedBefore: string): Promise<Array<{ suffix: string; invalid: boolean }>> {
  const { rows } = await sql<{ name: string; valid: boolean }>`
    SELECT c.relname AS name, i.indisvalid AS valid FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
    WHERE c.relname LIKE 'message\\_%\\_payload\\_idx' AND c.relnamespace = current_schema()::regnamespace`.execute(db);
  const indexes = new Map(rows.map((r) => [r.name, r.valid]));
  const candidates = (await listHistoryPartitions(db))
    .filter((p) => !p.isDefault && p.to !== null && p.to <= closedBefore && indexes.get(payloadIndexName(p.suffix)) !== true)
    .reverse();
  const needing: Array<{ suffix: string; invalid: boolean }> = [];
  for (const p of candidates) {
    const { rows: held } = await sql<{ any: boolean }>`SELECT EXISTS (SELECT FROM ${sql.id(`message_${p.suffix}`)}) AS any`.execute(db);
    if (held[0]!.any) needing.push({ suffix: p.suffix, invalid: indexes.has(payloadIndexName(p.suffix)) });
  }
  return needing;
}

/**
 * Builds the payload index of the newest closed partition that lacks one, without blocking writes
 * or reads (CONCURRENTLY, so outside any transaction, on one connection). A build that failed
 * before (a process stopped during it) left an invalid index, dropped first. Returns the
 * partition's suffix; undefined when every closed partition has its index, or another process is
 * building one.
 */
export async function buildNextPayloadIndex(db: Database, closedBefore: string): Promise<string | undefined> {
  return db.connection().execute(async (conn) => {
    const { rows } = await sql<{ locked: boolean }>`SELECT pg_try_advisory_lock(${LOCK}) AS locked`.execute(conn);
    if (!rows[0]!.locked) return undefined;
    try {
      const [next] = await partitionsWithoutPayloadIndex(conn, closedBefore);
      if (!next) return undefined;
      const index = sql.id(payloadIndexName(next.suffix));
      if (next.invalid) await sql`DROP INDEX CONCURRENTLY IF EXISTS ${index}`.execute(conn);
      // Not partial (WHERE payload IS NOT NULL): the planner reads the statistics of an index expression only from a
      // whole-table index, and without them it guesses that 1 % of messages match, so it scans for a rare value.
      await sql`CREATE INDEX CONCURRENTLY IF NOT EXISTS ${index} ON ${sql.id(`message_${next.suffix}`)}
        USING gin (hookline_searchable_payload(payload) jsonb_path_ops)`.execute(conn);
      return next.suffix;
    } finally {
      await sql`SELECT pg_advisory_unlock(${LOCK})`.execute(conn);
    }
  });
}
