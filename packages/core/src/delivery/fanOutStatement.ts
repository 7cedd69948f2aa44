import { sql } from 'kysely';
import { fanOutRepo, type Database } from '@hookline/db';
import { MESSAGE_STATUS } from '../attempts/attempts.ts';
import { firstAttemptJobsOf, jobTableOf } from '../queue/deliverJobRows.ts';
import { deliveryLane } from '../queue/jobs.ts';
import type { FannedOut } from './fanOut.ts';

/**
 * Fans out up to `limit` pending messages, oldest first, in one statement, without a transaction
 * around it: it takes them out of fanout_pending and writes each subscribed endpoint's delivery and
 * first attempt (in its lane), all or nothing. A fan-out of one message per publish at 200 msg/s
 * otherwise paid five round trips (BEGIN, the claim, two inserts, COMMIT), each a wake-up of a
 * busy machine. It takes the messages JavaScript need not look at: untraced ones none of whose
 * endpoints has a payload filter (by far the most). Those it passes over (`passedOver`) stay
 * pending for fanOutMessages, as do the rows another worker holds.
 */
export async function fanOutPendingAtOnce(db: Database, limit: number): Promise<{ done: FannedOut[]; passedOver: number }> {
  const [healthy, failing] = await Promise.all([jobTableOf(db, deliveryLane(false).queue), jobTableOf(db, deliveryLane(true).queue)]);
  const { rows } = await sql<{ done: FannedOut[]; passedOver: number }>`
    WITH candidates AS MATERIALIZED (${fanOutRepo.duePendingFanOuts(limit)}), plain AS MATERIALIZED (
      SELECT c.id, c.tenant_id, c.msg_id FROM candidates c
      WHERE c.trace IS NULL AND NOT EXISTS (
        SELECT 1 FROM message m JOIN endpoint e ON ${fanOutRepo.subscribes('e', 'm')}
        WHERE m.tenant_id = c.tenant_id AND m.id = c.msg_id AND e.filter IS NOT NULL)
    ), claimed AS (
      DELETE FROM fanout_pending p USING plain WHERE p.id = plain.id
    ), pairs AS MATERIALIZED (
      SELECT m.tenant_id, m.app_id, m.id AS msg_id, e.id AS endpoint_id, e.failing_since IS NOT NULL AS failing
      FROM plain JOIN message m ON m.tenant_id = plain.tenant_id AND m.id = plain.msg_id
      JOIN endpoint e ON ${fanOutRepo.subscribes('e', 'm')}
    ), deliveries AS (
      INSERT INTO message_delivery (tenant_id, app_id, msg_id, endpoint_id, status, next_attempt_at)
      SELECT tenant_id, app_id, msg_id, endpoint_id, ${sql.lit(MESSAGE_STATUS.pending)}, now() FROM pairs
      ON CONFLICT (msg_id, endpoint_id) DO NOTHING
    ), healthy_jobs AS (
      ${firstAttemptJobsOf('pairs', false, healthy)}
    ), failing_jobs AS (
      ${firstAttemptJobsOf('pairs', true, failing)}
    ), per_message AS (
      SELECT tenant_id, msg_id, count(*) AS endpoints,
        jsonb_agg(endpoint_id ORDER BY endpoint_id) FILTER (WHERE NOT failing) AS healthy
      FROM pairs GROUP BY tenant_id, msg_id
    )
    SELECT (
      SELECT coalesce(jsonb_agg(jsonb_build_object('tenantId', plain.tenant_id, 'msgId', plain.msg_id,
        'endpoints', coalesce(pm.endpoints, 0), 'healthy', coalesce(pm.healthy, '[]')) ORDER BY plain.id), '[]')
      FROM plain LEFT JOIN per_message pm ON pm.tenant_id = plain.tenant_id AND pm.msg_id = plain.msg_id
    ) AS done, (SELECT count(*) FROM candidates)::int - (SELECT count(*) FROM plain)::int AS passed_over`.execute(db);
  return rows[0]!;
}
