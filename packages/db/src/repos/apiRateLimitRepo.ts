import { sql, type RawBuilder } from 'kysely';
import type { Database } from '../connect.ts';
import type { ApiKeyRow } from '../schema.ts';
import { liveApiKeyByHash } from './tenantRepo.ts';

export interface RateDecision {
  allowed: boolean;
  /** When refused: seconds until a request would be let through (0 when allowed). */
  retryAfterSeconds: number;
}

/** A limit's state table and its key columns (tenant_id first; the CTE `source` yields them all). */
interface RateTable {
  name: 'api_rate_limit' | 'portal_rate_limit';
  key: readonly string[];
}
const TENANT_RATE: RateTable = { name: 'api_rate_limit', key: ['tenant_id'] };
const PORTAL_RATE: RateTable = { name: 'portal_rate_limit', key: ['tenant_id', 'app_id'] };

/**
 * Counts one request of each key the CTE `source` yields (the table's key columns) against
 * `perSecond` with a tolerance of `burst` requests, as a data-modifying CTE, so every api process
 * shares the limit. The generic cell rate algorithm of endpoint_throttle (throttleRepo), but a
 * request over the limit is refused instead of queued: the theoretical arrival time `tat` only
 * moves for a request that is let through. The tables are UNLOGGED: their commits wait for no fsync.
 */
function countRequest(source: string, perSecond: number, burst: number, table: RateTable = TENANT_RATE): RawBuilder<RateDecision> {
  const t = sql`(${1 / perSecond}::float8 * interval '1 second')`;
  const tau = sql`(${burst / perSecond}::float8 * interval '1 second')`;
  // In the SET list `r` is the row as it was; now() is the same instant throughout the statement.
  const next = sql`greatest(r.tat, now()) + ${t}`;
  const key = sql.join(table.key.map((c) => sql.ref(c)));
  return sql<RateDecision>`
    INSERT INTO ${sql.table(table.name)} AS r (${key}, tat, allowed) SELECT ${key}, now() + ${t}, true FROM ${sql.table(source)}
    ON CONFLICT (${key}) DO UPDATE SET
      allowed = ${next} <= now() + ${tau},
      tat = CASE WHEN ${next} <= now() + ${tau} THEN ${next} ELSE r.tat END
    RETURNING r.allowed AS allowed,
      CASE WHEN r.allowed THEN 0 ELSE greatest(0, extract(epoch FROM r.tat + ${t} - ${tau} - now()))::float8 END AS "retryAfterSeconds"`;
}

/** Counts one request of a tenant against the limit (see countRequest), in one statement. */
export async function takeRequest(db: Database, tenantId: string, perSecond: number, burst: number): Promise<RateDecision> {
  const { rows } = await sql<RateDecision>`
    WITH source AS (SELECT ${tenantId}::text AS tenant_id), counted AS (${countRequest('source', perSecond, burst)})
    SELECT * FROM counted`.execute(db);
  return rows[0]!;
}

/** Counts one portal request against its application's own portal budget (see countRequest), in one statement. */
export async function takePortalRequest(db: Database, tenantId: string, appId: string, perSecond: number, burst: number): Promise<RateDecision> {
  const { rows } = await sql<RateDecision>`
    WITH source AS (SELECT ${tenantId}::text AS tenant_id, ${appId}::text AS app_id), counted AS (${countRequest('source', perSecond, burst, PORTAL_RATE)})
    SELECT * FROM counted`.execute(db);
  return rows[0]!;
}

/**
 * Finds the live API key with this hash and counts the request against its tenant's limit, in one
 * round trip: authentication and rate limiting are the first two things every API request needs.
 * Undefined (and nothing counted) when no live key has the hash.
 */
export async function findLiveApiKeyAndTakeRequest(
  db: Database,
  keyHash: string,
  perSecond: number,
  burst: number,
): Promise<{ key: ApiKeyRow; decision: RateDecision } | undefined> {
  const { rows } = await sql<ApiKeyRow & RateDecision>`
    WITH key AS (${liveApiKeyByHash(keyHash)}), counted AS (${countRequest('key', perSecond, burst)})
    SELECT key.*, counted.* FROM key, counted`.execute(db);
  const row = rows[0];
  if (!row) return undefined;
  const { allowed, retryAfterSeconds, ...key } = row;
  return { key, decision: { allowed, retryAfterSeconds } };
}
