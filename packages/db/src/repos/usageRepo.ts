import { sql } from 'kysely';
import type { Database } from '../connect.ts';
import { HISTORY_TABLES } from './historyPartitionRepo.ts';

// The operator's usage view: messages per tenant and day from the counters a trigger keeps at
// fan-out (0026_console_usage_counters), object counts from the tenants' own rows, and the size of
// history from the catalog. Nothing here reads history rows.

/** A tenant's applications and endpoints (those of its hidden operational application left out). */
export interface TenantUsageCounts {
  tenantId: string;
  applications: number;
  endpoints: number;
}

export async function countObjectsOfTenants(db: Database, tenantIds: readonly string[]): Promise<TenantUsageCounts[]> {
  if (tenantIds.length === 0) return [];
  const [apps, endpoints] = await Promise.all([
    db
      .selectFrom('application')
      .select((eb) => ['tenantId', eb.fn.countAll<number>().as('n')])
      .where('tenantId', 'in', tenantIds)
      .where('operational', '=', sql.lit(false))
      .groupBy('tenantId')
      .execute(),
    db
      .selectFrom('endpoint as e')
      .innerJoin('application as a', 'a.id', 'e.appId')
      .select((eb) => ['e.tenantId', eb.fn.countAll<number>().as('n')])
      .where('e.tenantId', 'in', tenantIds)
      .where('a.operational', '=', sql.lit(false))
      .groupBy('e.tenantId')
      .execute(),
  ]);
  const count = (rows: Array<{ tenantId: string; n: number | string }>, id: string) => Number(rows.find((r) => r.tenantId === id)?.n ?? 0);
  return tenantIds.map((tenantId) => ({ tenantId, applications: count(apps, tenantId), endpoints: count(endpoints, tenantId) }));
}

/** Messages per tenant and UTC day (`YYYY-MM-DD`) from `fromDay` on, for the given tenants; days without any are absent. */
export async function countMessagesByDay(
  db: Database,
  tenantIds: readonly string[],
  fromDay: string,
): Promise<Array<{ tenantId: string; day: string; messages: number }>> {
  if (tenantIds.length === 0) return [];
  const rows = await db
    .selectFrom('tenantMessageCount')
    .select((eb) => ['tenantId', sql<string>`day::text`.as('day'), eb.fn.sum<string>('n').as('messages')])
    .where('tenantId', 'in', tenantIds)
    .where('day', '>=', fromDay)
    .groupBy(['tenantId', 'day'])
    .orderBy('tenantId')
    .orderBy('day')
    .execute();
  return rows.map((r) => ({ tenantId: r.tenantId, day: r.day, messages: Number(r.messages) }));
}

/** Messages counted from `fromDay` on, per tenant and in all: the shares storage estimates split history by. */
export async function countMessagesSince(db: Database, fromDay: string): Promise<{ byTenant: Map<string, number>; total: number }> {
  const rows = await db
    .selectFrom('tenantMessageCount')
    .select((eb) => ['tenantId', eb.fn.sum<string>('n').as('messages')])
    .where('day', '>=', fromDay)
    .groupBy('tenantId')
    .execute();
  const byTenant = new Map(rows.map((r) => [r.tenantId, Number(r.messages)]));
  return { byTenant, total: [...byTenant.values()].reduce((s, n) => s + n, 0) };
}

/**
 * Bytes on disk of every history partition (messages, deliveries, attempts: tables, TOAST and
 * indexes), from the catalog's file sizes: no row is read.
 */
export async function measureHistoryBytes(db: Database): Promise<number> {
  const parents = HISTORY_TABLES.map((t) => sql`${t.table}::regclass`);
  const { rows } = await sql<{ bytes: string }>`
    SELECT coalesce(sum(pg_total_relation_size(i.inhrelid)), 0)::text AS bytes
    FROM pg_inherits i WHERE i.inhparent IN (${sql.join(parents)})`.execute(db);
  return Number(rows[0]?.bytes ?? 0);
}

/** Deletes the message counts of days before `beforeDay` (maintenance); returns how many rows went. */
export async function pruneMessageCounts(db: Database, beforeDay: string): Promise<number> {
  const res = await db.deleteFrom('tenantMessageCount').where('day', '<', beforeDay).executeTakeFirst();
  return Number(res.numDeletedRows);
}
