import { sql, type Selectable } from 'kysely';
import type { Database } from '../connect.ts';
import type { DeliveryStatTable } from '../schema.ts';
import { LATENCY_BOUNDS_MS } from '../migrations/0020_delivery_statistics.ts';

// Reads of the statistics that triggers on message_attempt and message_delivery keep (migration
// 0020), and their retention. Nothing here counts raw history.

export { LATENCY_BOUNDS_MS };

/** The histogram's column names, in bucket order. */
const LATENCY_COLUMNS = [0, ...LATENCY_BOUNDS_MS.map((_, i) => i + 1)].map((i) => `latency${i}` as keyof DeliveryStatTable & `latency${number}`);

/** Deliveries of the endpoint per current status, over the hours (of their creation) from `fromHour` to `toHour`, both included. */
export async function countDeliveriesByStatus(
  db: Database,
  tenantId: string,
  endpointId: string,
  range: { fromHour: Date; toHour: Date },
): Promise<Array<{ status: number; n: number }>> {
  const rows = await db
    .selectFrom('deliveryStatusCount')
    .select((eb) => ['status', eb.fn.sum<string>('n').as('n')])
    .where('tenantId', '=', tenantId)
    .where('endpointId', '=', endpointId)
    .where('hour', '>=', range.fromHour)
    .where('hour', '<=', range.toHour)
    .groupBy('status')
    .execute();
  return rows.map((r) => ({ status: r.status, n: Number(r.n) }));
}

/** Whose attempts a series sums: a tenant's, an application's or an endpoint's. */
export interface StatScope {
  tenantId: string;
  appId?: string;
  endpointId?: string;
}

/** A bucket's counts as stored, with its histogram as one array. */
export type StatBucket = Omit<Selectable<DeliveryStatTable>, 'tenantId' | 'appId' | 'endpointId' | 'minutes' | `latency${number}`> & {
  /** Attempts per latency bucket (see LATENCY_BOUNDS_MS). */
  latency: number[];
};

/** The scope's attempts per bucket of `minutes` (1 or 60) starting in [from, until), oldest first; empty buckets are absent. */
export async function statSeries(db: Database, scope: StatScope, minutes: 1 | 60, from: Date, until: Date): Promise<StatBucket[]> {
  let q = db
    .selectFrom('deliveryStat')
    .select((eb) => [
      'bucket',
      eb.fn.sum<string>('success').as('success'),
      eb.fn.sum<string>('fail').as('fail'),
      eb.fn.sum<string>('status2xx').as('status2xx'),
      eb.fn.sum<string>('status3xx').as('status3xx'),
      eb.fn.sum<string>('status4xx').as('status4xx'),
      eb.fn.sum<string>('status5xx').as('status5xx'),
      eb.fn.sum<string>('statusOther').as('statusOther'),
      ...LATENCY_COLUMNS.map((c) => eb.fn.sum<string>(c).as(c)),
    ])
    .where('tenantId', '=', scope.tenantId)
    .where('minutes', '=', minutes)
    .where('bucket', '>=', from)
    .where('bucket', '<', until);
  if (scope.appId !== undefined) q = q.where('appId', '=', scope.appId);
  if (scope.endpointId !== undefined) q = q.where('endpointId', '=', scope.endpointId);
  const rows = await q.groupBy('bucket').orderBy('bucket').execute();
  return rows.map((r) => ({
    bucket: r.bucket,
    success: Number(r.success),
    fail: Number(r.fail),
    status2xx: Number(r.status2xx),
    status3xx: Number(r.status3xx),
    status4xx: Number(r.status4xx),
    status5xx: Number(r.status5xx),
    statusOther: Number(r.statusOther),
    latency: LATENCY_COLUMNS.map((c) => Number((r as Record<string, unknown>)[c])),
  }));
}

/** Attempts (succeeded, failed) of each of the applications in hour buckets from `fromHour` on; applications without any are absent. */
export async function countAttemptsByApp(
  db: Database,
  tenantId: string,
  appIds: readonly string[],
  fromHour: Date,
): Promise<Array<{ appId: string; success: number; fail: number }>> {
  if (appIds.length === 0) return [];
  const rows = await db
    .selectFrom('deliveryStat')
    .select((eb) => ['appId', eb.fn.sum<string>('success').as('success'), eb.fn.sum<string>('fail').as('fail')])
    .where('tenantId', '=', tenantId)
    .where('appId', 'in', appIds)
    .where('minutes', '=', sql.lit(60))
    .where('bucket', '>=', fromHour)
    .groupBy('appId')
    .execute();
  return rows.map((r) => ({ appId: r.appId, success: Number(r.success), fail: Number(r.fail) }));
}

/**
 * Attempts (succeeded and failed) per application of the tenant in the hour buckets that start in
 * [fromHour, until), of the applications `appIds` or of all that have any; with the application's
 * uid. Applications deleted since, and the operational one, are left out.
 */
export async function countAttemptsOfApps(
  db: Database,
  tenantId: string,
  range: { fromHour: Date; until: Date; appIds?: readonly string[] | undefined },
): Promise<Array<{ appId: string; appUid: string | null; attempts: number }>> {
  if (range.appIds?.length === 0) return [];
  const rows = await db
    .selectFrom('deliveryStat as s')
    .innerJoin('application as a', (j) => j.onRef('a.id', '=', 's.appId').onRef('a.tenantId', '=', 's.tenantId'))
    .select((eb) => ['s.appId', 'a.uid', eb.fn.sum<string>(eb('s.success', '+', eb.ref('s.fail'))).as('attempts')])
    .where('s.tenantId', '=', tenantId)
    .$if(range.appIds !== undefined, (q) => q.where('s.appId', 'in', [...range.appIds!]))
    .where('s.minutes', '=', sql.lit(60))
    .where('s.bucket', '>=', range.fromHour)
    .where('s.bucket', '<', range.until)
    .where('a.operational', '=', false)
    .groupBy(['s.appId', 'a.uid'])
    .orderBy('s.appId')
    .execute();
  return rows.map((r) => ({ appId: r.appId, appUid: r.uid, attempts: Number(r.attempts) }));
}

// Deleted in batches, so one maintenance run never holds long locks (the size is a literal, as in retentionRepo).
const BATCH = 5000;
/** Svix's MessageStatus Pending and Sending (core's MESSAGE_STATUS), the predicate of delivery_status_count_pending_idx. */
const WAITING_STATUSES = sql.raw('(1, 3)');

/**
 * Deletes minute rows that began before `minutesBefore`, hour rows before `hoursBefore`, and
 * delivery counts of hours before `hoursBefore`. Returns how many rows went.
 */
export async function pruneStatistics(db: Database, cutoffs: { minutesBefore: Date; hoursBefore: Date }): Promise<number> {
  const statements = [
    sql`DELETE FROM delivery_stat WHERE ctid = ANY (ARRAY(
      SELECT ctid FROM delivery_stat WHERE minutes = 1 AND bucket < ${cutoffs.minutesBefore} LIMIT ${sql.lit(BATCH)}))`,
    sql`DELETE FROM delivery_stat WHERE ctid = ANY (ARRAY(
      SELECT ctid FROM delivery_stat WHERE minutes = 60 AND bucket < ${cutoffs.hoursBefore} LIMIT ${sql.lit(BATCH)}))`,
    sql`DELETE FROM delivery_status_count WHERE ctid = ANY (ARRAY(
      SELECT ctid FROM delivery_status_count WHERE hour < ${cutoffs.hoursBefore} LIMIT ${sql.lit(BATCH)}))`,
  ];
  let total = 0;
  for (const statement of statements) {
    for (;;) {
      const n = Number((await statement.execute(db)).numAffectedRows ?? 0n);
      total += n;
      if (n < BATCH) break;
    }
  }
  return total;
}

/**
 * Deletes pending counters that went back to zero, of hours before `before`, in batches: the
 * backlog reads every pending row of a tenant (delivery_status_count_pending_idx), so only live
 * ones and recent hours' stay. A count is the sum of its parts (0046), so a count's rows go
 * together, and only if they still sum to zero once locked: an attempt changing one of them
 * meanwhile waits, then inserts its row anew; zeros add nothing to any sum. Returns how many rows went.
 */
export async function pruneSettledPendingCounts(db: Database, before: Date): Promise<number> {
  let total = 0;
  for (;;) {
    const res = await sql`
      WITH settled AS (
        SELECT endpoint_id, hour, status FROM delivery_status_count
        WHERE status IN ${WAITING_STATUSES} AND hour < ${before}
        GROUP BY endpoint_id, hour, status HAVING sum(n) = 0 LIMIT ${sql.lit(BATCH)}
      ), locked AS (
        SELECT c.ctid AS row, c.endpoint_id, c.hour, c.status, c.n FROM delivery_status_count c
        JOIN settled s ON s.endpoint_id = c.endpoint_id AND s.hour = c.hour AND s.status = c.status
        FOR UPDATE OF c
      ), still AS (
        SELECT endpoint_id, hour, status FROM locked GROUP BY endpoint_id, hour, status HAVING sum(n) = 0
      )
      DELETE FROM delivery_status_count c USING locked l, still s
      WHERE c.ctid = l.row AND s.endpoint_id = l.endpoint_id AND s.hour = l.hour AND s.status = l.status`.execute(db);
    const n = Number(res.numAffectedRows ?? 0n);
    total += n;
    // Each count deleted is at least one row: fewer rows than BATCH means fewer counts were settled.
    if (n < BATCH) return total;
  }
}
