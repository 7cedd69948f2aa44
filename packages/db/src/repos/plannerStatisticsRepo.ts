import { sql } from 'kysely';
import type { Database } from '../connect.ts';
import { idBoundary } from '../ksuidTime.ts';
import { analyzeDeliveryJobTables } from '../queue/statistics.ts';
import { listHistoryPartitions, type HistoryPartition } from './historyPartitionRepo.ts';

/** The partitioned tables a burst of deliveries fills. */
const TABLES = ['message', 'message_delivery'] as const;

/** New rows go to the partitions of this recent past (messages are fanned out minutes after they were published, at most). */
const RECENT_MS = 3_600_000;

/** The parents are analyzed again once their partitions' rows changed by this fraction (as autovacuum's analyze scale factor). */
const PARENT_CHANGE = 0.1;

/**
 * Refreshes PostgreSQL's statistics of the tables a burst of deliveries fills: message,
 * message_delivery and pg-boss's tables of the delivery queues (analyzeDeliveryJobTables). Until autovacuum
 * gets to them (a minute or more; on a large table a burst may never reach its threshold), the
 * planner still sees them as they were: the bench found pg-boss's fetch sorting the whole backlog
 * (220 ms instead of a walk of its index) and a delivery update scanning all of message_delivery.
 *
 * Only the partitions that take new rows (those of the last hour, and DEFAULT) are analyzed.
 * ANALYZE of a partitioned table also analyzes every partition, each a sample of up to 30,000 rows:
 * with 30 days of history that read gigabytes in the middle of the traffic (docs/performance.md).
 * The parents' own statistics (autovacuum never makes them) are made again, with the whole
 * hierarchy, only when their partitions' row counts moved by a tenth since.
 */
export async function analyzeDeliveryTables(db: Database, now: Date = new Date()): Promise<void> {
  const recent = recentPartitions(await listHistoryPartitions(db), now);
  // One statement for them all: with minute-wide partitions the last hour is 60 of each table.
  const leaves = TABLES.flatMap((table) => recent.map((p) => sql.id(`${table}_${p.suffix}`)));
  if (leaves.length > 0) await sql`ANALYZE ${sql.join(leaves)}`.execute(db);
  const stale = await staleParents(db);
  if (stale.length > 0) await sql`ANALYZE ${sql.join(stale.map((t) => sql.id(t)))}`.execute(db);
  await analyzeDeliveryJobTables(db);
}

/** The partitions whose range holds ids of the last hour (up to now), and DEFAULT. */
export function recentPartitions(parts: readonly HistoryPartition[], now: Date): HistoryPartition[] {
  const since = idBoundary('msg', new Date(now.getTime() - RECENT_MS), 'start');
  const until = idBoundary('msg', now, 'end');
  return parts.filter((p) => p.isDefault || ((p.from === null || p.from <= until) && (p.to === null || p.to > since)));
}

/** The parents never analyzed, or whose partitions hold a tenth more or fewer rows than the parent's statistics say. */
async function staleParents(db: Database): Promise<string[]> {
  const { rows } = await sql<{ name: string; parent: number; leaves: number }>`
    SELECT h.name, c.reltuples::float8 AS parent,
      (SELECT coalesce(sum(greatest(l.reltuples, 0)), 0)::float8 FROM pg_partition_tree(c.oid) t JOIN pg_class l ON l.oid = t.relid WHERE t.isleaf) AS leaves
    FROM unnest(${[...TABLES]}::text[]) AS h(name) JOIN pg_class c ON c.oid = h.name::regclass`.execute(db);
  return rows.filter((r) => r.parent < 0 || Math.abs(r.leaves - r.parent) > PARENT_CHANGE * r.parent).map((r) => r.name);
}
