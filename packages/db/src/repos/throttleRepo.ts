import { sql } from 'kysely';
import type { Database } from '../connect.ts';

/**
 * Reserves the endpoint's next send slot for a rate of `perSecond` (a generic cell rate algorithm
 * in one atomic statement, so every worker shares it) and returns when that slot starts.
 */
export async function reserveSendSlot(db: Database, endpointId: string, perSecond: number): Promise<{ slot: Date; waitMs: number }> {
  const interval = `${1 / perSecond} seconds`;
  // clock_timestamp(), not now(): the wait is measured against the database's clock at this moment.
  const { rows } = await sql<{ slot: Date; waitMs: number }>`
    INSERT INTO endpoint_throttle AS t (endpoint_id, next_at) VALUES (${endpointId}, clock_timestamp() + ${interval}::interval)
    ON CONFLICT (endpoint_id) DO UPDATE SET next_at = greatest(t.next_at, clock_timestamp()) + ${interval}::interval
    RETURNING t.next_at - ${interval}::interval AS slot,
      greatest(0, extract(epoch FROM (t.next_at - ${interval}::interval) - clock_timestamp()) * 1000)::float8 AS "waitMs"`.execute(db);
  return rows[0]!;
}
