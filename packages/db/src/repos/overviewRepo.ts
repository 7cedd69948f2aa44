import { sql } from 'kysely';
import type { Database } from '../connect.ts';
import { lastAttemptOf } from './lastAttempt.ts';

// The console overview's reads beyond the statistics series: the backlog from the delivery
// counters (0020), and the endpoints that need attention from the endpoint table's own state. Each
// reads rows in proportion to what needs attention (pending counters, failing or disabled
// endpoints), never to the tenant's history. Literals where a partial index must match
// (0026_console_usage_counters): a generic plan cannot prove a predicate from a parameter.

/** Deliveries waiting for an attempt: to endpoints that work (`pending`) and to endpoints failing now (`retrying`). */
export interface BacklogCounts {
  pending: number;
  retrying: number;
}

/**
 * The tenant's deliveries waiting for an attempt (in `waitingStatuses`: pending and sending), from
 * the counters, split by whether their endpoint is failing now. Disabled endpoints' deliveries are
 * left out: they wait for no attempt.
 */
export async function countBacklog(db: Database, tenantId: string, waitingStatuses: readonly number[]): Promise<BacklogCounts> {
  const row = await db
    .selectFrom('deliveryStatusCount as c')
    .innerJoin('endpoint as e', 'e.id', 'c.endpointId')
    .innerJoin('application as a', 'a.id', 'e.appId')
    .select([
      sql<string>`coalesce(sum(c.n) FILTER (WHERE e.failing_since IS NULL), 0)`.as('pending'),
      sql<string>`coalesce(sum(c.n) FILTER (WHERE e.failing_since IS NOT NULL), 0)`.as('retrying'),
    ])
    .where('c.tenantId', '=', tenantId)
    .where(
      'c.status',
      'in',
      waitingStatuses.map((s) => sql.lit(s)),
    )
    .where(sql<boolean>`NOT e.disabled`)
    .where('a.operational', '=', sql.lit(false))
    .executeTakeFirstOrThrow();
  return { pending: Math.max(0, Number(row.pending)), retrying: Math.max(0, Number(row.retrying)) };
}

interface EndpointWithApp {
  id: string;
  uid: string | null;
  url: string;
  appId: string;
  appUid: string | null;
  appName: string;
  failingSince: Date | null;
  /** How many rows the query found before its limit. */
  total: number;
}

export interface FailingEndpointRow extends EndpointWithApp {
  lastAttempt: { id: string; msgId: string; at: Date; responseStatusCode: number; response: string } | null;
}

/**
 * The tenant's enabled endpoints that are failing now (every attempt since `failingSince` failed),
 * longest failing first, each with its latest attempt: its last error. That attempt is one index
 * descent per history partition (message_attempt_endpoint_idx), for the `limit` endpoints shown.
 */
export async function listFailingEndpoints(db: Database, tenantId: string, limit: number, responseChars: number): Promise<FailingEndpointRow[]> {
  const rows = await db
    .selectFrom('endpoint as e')
    .innerJoin('application as a', 'a.id', 'e.appId')
    .leftJoinLateral(lastAttemptOf(db, tenantId, 'e.id', responseChars), (join) => join.onTrue())
    .select([
      'e.id',
      'e.uid',
      'e.url',
      'e.appId',
      'a.uid as appUid',
      'a.name as appName',
      'e.failingSince',
      'last.id as lastId',
      'last.msgId as lastMsgId',
      'last.createdAt as lastAt',
      'last.responseStatusCode as lastStatus',
      'last.response as lastResponse',
      sql<number>`count(*) OVER ()`.as('total'),
    ])
    .where('e.tenantId', '=', tenantId)
    .where((eb) => eb.and([sql<boolean>`e.failing_since IS NOT NULL`, sql<boolean>`NOT e.disabled`]))
    .where('a.operational', '=', sql.lit(false))
    .orderBy('e.failingSince', 'asc')
    .orderBy('e.id')
    .limit(sql.lit(Math.trunc(limit)))
    .execute();
  return rows.map(({ lastId, lastMsgId, lastAt, lastStatus, lastResponse, total, ...e }) => ({
    ...e,
    total: Number(total),
    lastAttempt:
      lastId === null || lastMsgId === null || lastAt === null || lastStatus === null
        ? null
        : { id: lastId, msgId: lastMsgId, at: lastAt, responseStatusCode: lastStatus, response: lastResponse ?? '' },
  }));
}

export interface AutoDisabledEndpointRow extends EndpointWithApp {
  disabledAt: Date;
  /** Why the delivery worker disabled it (`gone`: the receiver answered 410; `failing`: it failed too long), as its audit record says. */
  reason: string | null;
}

/**
 * The tenant's endpoints the delivery worker disabled and nobody has enabled since, newest first:
 * disabled endpoints still failing (enabling clears failing_since) whose latest `endpoint.disabled`
 * audit record (written only by the worker) is from this failing spell. An endpoint someone disabled
 * by hand has no such record and is left out.
 */
export async function listAutoDisabledEndpoints(db: Database, tenantId: string, limit: number): Promise<AutoDisabledEndpointRow[]> {
  const rows = await db
    .selectFrom('endpoint as e')
    .innerJoin('application as a', 'a.id', 'e.appId')
    .innerJoinLateral(
      (eb) =>
        eb
          .selectFrom('auditLog as l')
          .select(['l.at', sql<string | null>`l.changes -> 'reason' ->> 'to'`.as('reason')])
          .where('l.action', '=', sql.lit('endpoint.disabled'))
          .whereRef('l.targetId', '=', 'e.id')
          .whereRef('l.at', '>=', 'e.failingSince')
          .orderBy('l.id', 'desc')
          .limit(1)
          .as('d'),
      (join) => join.onTrue(),
    )
    .select([
      'e.id',
      'e.uid',
      'e.url',
      'e.appId',
      'a.uid as appUid',
      'a.name as appName',
      'e.failingSince',
      'd.at as disabledAt',
      'd.reason',
      sql<number>`count(*) OVER ()`.as('total'),
    ])
    .where('e.tenantId', '=', tenantId)
    .where((eb) => eb.and([sql<boolean>`e.failing_since IS NOT NULL`, sql<boolean>`e.disabled`]))
    .where('a.operational', '=', sql.lit(false))
    .orderBy('d.at', 'desc')
    .orderBy('e.id')
    .limit(sql.lit(Math.trunc(limit)))
    .execute();
  return rows.map((r) => ({ ...r, total: Number(r.total) }));
}
