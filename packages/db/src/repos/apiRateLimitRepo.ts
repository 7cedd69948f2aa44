import { sql, type RawBuilder } from 'kysely';
import type { Database } from '../connect.ts';
import type { ApiKeyRow } from '../schema.ts';
import { liveApiKeyByHash } from './tenantRepo.ts';

export interface RateDecision {
  allowed: boolean;
  /** Requests taken: up to the number asked for, fewer when only that many fit (0 when refused). */
  granted: number;
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
 * Counts `requests` requests of each key the CTE `source` yields (the table's key columns) against
 * `perSecond` with a tolerance of `burst` requests, as a data-modifying CTE, so every api process
 * shares the limit. The generic cell rate algorithm of endpoint_throttle (throttleRepo), but a
 * request over the limit is refused instead of queued: the theoretical arrival time `tat` only
 * moves for requests that are let through. Of several asked for, as many as fit are granted
 * (at least one, or the statement refuses). The tables are UNLOGGED: their commits wait for no fsync.
 */
function countRequest(source: string, perSecond: number, burst: number, table: RateTable = TENANT_RATE, requests = 1): RawBuilder<RateDecision> {
  const t = sql`(${1 / perSecond}::float8 * interval '1 second')`;
  const tau = sql`(${burst / perSecond}::float8 * interval '1 second')`;
  // In the SET list `r` is the row as it was; now() is the same instant throughout the statement.
  const from = sql`greatest(r.tat, now())`;
  // How many of the requests fit between `from` and now() + tau (a millionth of one spared rounding).
  const fits = sql`least(${requests}::int, floor(extract(epoch FROM now() + ${tau} - ${from})::float8 * ${perSecond}::float8 + 1e-6)::int)`;
  const fresh = sql`least(${requests}::int, ${Math.max(1, Math.floor(burst))}::int)`;
  const key = sql.join(table.key.map((c) => sql.ref(c)));
  return sql<RateDecision>`
    INSERT INTO ${sql.table(table.name)} AS r (${key}, tat, allowed, granted) SELECT ${key}, now() + ${fresh} * ${t}, true, ${fresh} FROM ${sql.table(source)}
    ON CONFLICT (${key}) DO UPDATE SET
      allowed = ${fits} >= 1,
      granted = greatest(0, ${fits}),
      tat = CASE WHEN ${fits} >= 1 THEN ${from} + ${fits} * ${t} ELSE r.tat END
    RETURNING r.allowed AS allowed, r.granted AS granted,
      CASE WHEN r.allowed THEN 0 ELSE greatest(0, extract(epoch FROM r.tat + ${t} - ${tau} - now()))::float8 END AS "retryAfterSeconds"`;
}

/** Counts `requests` requests of a tenant against the limit (see countRequest), in one statement. */
export async function takeRequest(db: Database, tenantId: string, perSecond: number, burst: number, requests = 1): Promise<RateDecision> {
  const { rows } = await sql<RateDecision>`
    WITH source AS (SELECT ${tenantId}::text AS tenant_id), counted AS (${countRequest('source', perSecond, burst, TENANT_RATE, requests)})
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
 * Finds the live API key with this hash and counts `requests` requests against its tenant's limit,
 * in one round trip: authentication and rate limiting are the first two things every API request
 * needs. Undefined (and nothing counted) when no live key has the hash.
 */
export async function findLiveApiKeyAndTakeRequest(
  db: Database,
  keyHash: string,
  perSecond: number,
  burst: number,
  requests = 1,
): Promise<{ key: ApiKeyRow; decision: RateDecision } | undefined> {
  const { rows } = await sql<ApiKeyRow & RateDecision>`
    WITH key AS (${liveApiKeyByHash(keyHash)}), counted AS (${countRequest('key', perSecond, burst, TENANT_RATE, requests)})
    SELECT key.*, counted.* FROM key, counted`.execute(db);
  const row = rows[0];
  if (!row) return undefined;
  const { allowed, granted, retryAfterSeconds, ...key } = row;
  return { key, decision: { allowed, granted, retryAfterSeconds } };
}
