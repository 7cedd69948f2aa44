import { sql } from 'kysely';
import type { Database } from '../connect.ts';

export interface RateDecision {
  allowed: boolean;
  /** When refused: seconds until a request would be let through (0 when allowed). */
  retryAfterSeconds: number;
}

/**
 * Counts one request of a tenant against `perSecond` with a tolerance of `burst` requests, in one
 * atomic statement so every api process shares the limit. The generic cell rate algorithm of
 * endpoint_throttle (throttleRepo), but a request over the limit is refused instead of queued:
 * the theoretical arrival time `tat` only moves for a request that is let through.
 */
export async function takeRequest(db: Database, tenantId: string, perSecond: number, burst: number): Promise<RateDecision> {
  const t = sql`(${1 / perSecond}::float8 * interval '1 second')`;
  const tau = sql`(${burst / perSecond}::float8 * interval '1 second')`;
  // In the SET list `r` is the row as it was; now() is the same instant throughout the statement.
  const next = sql`greatest(r.tat, now()) + ${t}`;
  const { rows } = await sql<RateDecision>`
    INSERT INTO api_rate_limit AS r (tenant_id, tat, allowed) VALUES (${tenantId}, now() + ${t}, true)
    ON CONFLICT (tenant_id) DO UPDATE SET
      allowed = ${next} <= now() + ${tau},
      tat = CASE WHEN ${next} <= now() + ${tau} THEN ${next} ELSE r.tat END
    RETURNING r.allowed AS allowed,
      CASE WHEN r.allowed THEN 0 ELSE greatest(0, extract(epoch FROM r.tat + ${t} - ${tau} - now()))::float8 END AS "retryAfterSeconds"`.execute(db);
  return rows[0]!;
}
