import { sql, type RawBuilder } from 'kysely';
import type { Database } from '../connect.ts';
import { BOSS_SCHEMA } from './boss.ts';
import { deliveryLane } from './jobs.ts';

// First attempts written by SQL, in the statement that makes their deliveries (see
// fanOutRepo.fanOutPendingAtOnce), as the rows boss.insert writes: deliverJobRows.test.ts compares the two.

/**
 * The table a queue's jobs live in (pg-boss's queue.table_name): writing into it, as pg-boss's own
 * insert does, spares the tuple routing of its partitioned parent. Looked up once per process.
 */
const jobTables = new Map<string, Promise<string>>();
export function jobTableOf(db: Database, queue: string): Promise<string> {
  let table = jobTables.get(queue);
  if (!table) {
    table = sql<{ tableName: string }>`SELECT table_name FROM ${sql.table(`${BOSS_SCHEMA}.queue`)} WHERE name = ${queue}`.execute(db).then(({ rows }) => {
      if (!rows[0]) throw new Error(`queue ${queue} does not exist (it is made when the api or worker starts)`);
      return rows[0].tableName;
    });
    table.catch(() => jobTables.delete(queue)); // not cached: a later call looks again
    jobTables.set(queue, table);
  }
  return table;
}

/**
 * An INSERT, for a data-modifying CTE, of the first attempt (a DeliverJob with attempt 1, trigger
 * 0) of each row of `source` (columns tenant_id, msg_id, endpoint_id and failing) whose `failing`
 * is `failing`, into that lane's queue (deliveryLane) and its table. Settings come from the
 * queue's row, as boss.insert takes them; a missing queue fails the statement (NOT NULL).
 */
export function firstAttemptJobsOf(source: string, failing: boolean, table: string): RawBuilder<unknown> {
  const { queue, tier } = deliveryLane(failing);
  const s = sql.table(source);
  const now = sql.raw(`${BOSS_SCHEMA}.job_now()`);
  return sql`
    INSERT INTO ${sql.table(`${BOSS_SCHEMA}.${table}`)} (
      name, data, group_id, group_tier, start_after, created_on, expire_seconds, deletion_seconds, keep_until,
      retry_limit, retry_delay, retry_backoff, retry_delay_max, policy, dead_letter, heartbeat_seconds
    )
    SELECT ${queue}, jsonb_build_object('tenantId', ${s}.tenant_id, 'msgId', ${s}.msg_id, 'endpointId', ${s}.endpoint_id, 'attempt', 1, 'trigger', 0),
      ${s}.endpoint_id, ${tier ?? null}::text, ${now}, ${now}, q.expire_seconds, q.deletion_seconds,
      ${now} + q.retention_seconds * interval '1 second',
      q.retry_limit, q.retry_delay, q.retry_backoff, q.retry_delay_max, q.policy, q.dead_letter, q.heartbeat_seconds
    FROM ${s} LEFT JOIN ${sql.table(`${BOSS_SCHEMA}.queue`)} q ON q.name = ${queue}
    WHERE ${s}.failing = ${failing}`;
}
