import type pg from 'pg';
import { newId } from '@hookline/core';
import { connectDatabase, historyPartitionRepo, idBoundary } from '@hookline/db';

const DAY_MS = 86_400_000;
const BATCH = 20_000;

export interface SeedShape {
  days: number;
  messagesPerDay: number;
  attemptsPerMessage: number;
  /** The applications the history belongs to, with their endpoints; messages go round them. */
  apps: Array<{ id: string; endpoints: string[] }>;
}

export interface Seeded {
  days: number;
  attempts: number;
  /** History tables' size with their indexes after the seed. */
  bytes: number;
  ms: number;
}

const HISTORY = ['message', 'message_delivery', 'message_attempt'];

/** Bytes of the history tables (every partition, with indexes). */
export async function historyBytes(client: pg.Client): Promise<number> {
  const { rows } = await client.query<{ bytes: string }>(
    `SELECT coalesce(sum(pg_total_relation_size(t.relid)), 0) AS bytes FROM unnest($1::text[]) AS h(name), pg_partition_tree(h.name::regclass) t WHERE t.isleaf`,
    [HISTORY],
  );
  return Number(rows[0]!.bytes);
}

/**
 * Gives the fresh database the layout of one that has run for a while: a partition per UTC day from
 * `firstDay` up to today, and one from today up to the partitions made ahead. The migration's
 * catch-all partition of older ids (empty here) goes first, as retention would have dropped it.
 */
async function makeDailyPartitions(connectionString: string, firstDay: number, today: number): Promise<void> {
  const db = connectDatabase({ connectionString, max: 1 });
  try {
    const [legacy] = await historyPartitionRepo.listHistoryPartitions(db);
    if (!legacy || legacy.from !== null || legacy.to === null) throw new Error('expected the migration’s partition of older ids first');
    await historyPartitionRepo.dropHistoryPartitionsBefore(db, legacy.to);
    await db.transaction().execute(async (trx) => {
      for (let day = firstDay; day <= today; day += DAY_MS) {
        const to = day === today ? legacy.to! : idBoundary('msg', new Date(day + DAY_MS), 'start');
        const from = idBoundary('msg', new Date(day), 'start');
        await historyPartitionRepo.createHistoryPartition(trx, { suffix: historyPartitionRepo.partitionSuffix(new Date(day)), from, to });
      }
    });
  } finally {
    await db.destroy();
  }
}

/** Drops the oldest day's partitions as maintenance does, with the time it took and the WAL it wrote. */
export async function dropOldestDay(client: pg.Client, connectionString: string): Promise<{ ms: number; walBytes: number; attempts: number }> {
  const db = connectDatabase({ connectionString, max: 1 });
  try {
    const [oldest] = await historyPartitionRepo.listHistoryPartitions(db);
    if (!oldest?.to) throw new Error('no partition to drop');
    const { rows } = await client.query<{ n: string }>(`SELECT count(*) AS n FROM message_attempt WHERE msg_id < $1`, [oldest.to]);
    const lsn = async () => (await client.query<{ lsn: string }>('SELECT pg_current_wal_lsn()::text AS lsn')).rows[0]!.lsn;
    const before = await lsn();
    const t0 = performance.now();
    const dropped = await historyPartitionRepo.dropHistoryPartitionsBefore(db, oldest.to);
    const ms = performance.now() - t0;
    const wal = await client.query<{ bytes: string }>('SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), $1::pg_lsn) AS bytes', [before]);
    if (dropped.length !== 1) throw new Error(`dropped ${dropped.length} partitions, expected one`);
    return { ms, walBytes: Number(wal.rows[0]!.bytes), attempts: Number(rows[0]!.n) };
  } finally {
    await db.destroy();
  }
}

/**
 * Writes `days` whole UTC days of history ending yesterday: messages (with a
 * payload), one delivery each, and `attemptsPerMessage` attempts each (the last a success), as the
 * worker would have left them. Message ids are made for their day, so rows land in that day's
 * partitions; attempts are written from the deliveries by the server, a day per statement.
 */
export async function seedHistory(client: pg.Client, connectionString: string, shape: SeedShape, log: (m: string) => void): Promise<Seeded> {
  const started = performance.now();
  const { rows } = await client.query<{ tenant_id: string }>('SELECT tenant_id FROM application WHERE id = $1', [shape.apps[0]!.id]);
  const tenantId = rows[0]!.tenant_id;
  const today = Math.floor(Date.now() / DAY_MS) * DAY_MS;
  const firstDay = today - shape.days * DAY_MS;
  await makeDailyPartitions(connectionString, firstDay, today);
  const payload = JSON.stringify({ type: 'invoice.paid', data: { customer: 'cus_0123456789', amount: 4200, note: 'x'.repeat(160) } });
  const step = (DAY_MS - 120_000) / shape.messagesPerDay;
  for (let d = 0; d < shape.days; d++) {
    const dayStart = firstDay + d * DAY_MS;
    for (let from = 0; from < shape.messagesPerDay; from += BATCH) {
      const n = Math.min(BATCH, shape.messagesPerDay - from);
      const ids: string[] = [];
      const apps: string[] = [];
      const eps: string[] = [];
      const times: string[] = [];
      for (let j = from; j < from + n; j++) {
        const at = new Date(dayStart + 60_000 + j * step);
        const app = shape.apps[j % shape.apps.length]!;
        ids.push(newId('msg', at));
        apps.push(app.id);
        eps.push(app.endpoints[Math.floor(j / shape.apps.length) % app.endpoints.length]!);
        times.push(at.toISOString());
      }
      await client.query(
        `WITH rows AS (SELECT * FROM unnest($2::text[], $3::text[], $4::text[], $5::timestamptz[]) AS r(id, app_id, endpoint_id, at)),
              m AS (INSERT INTO message (id, tenant_id, app_id, event_type, payload, created_at, expires_at)
                    SELECT id, $1, app_id, 'invoice.paid', $6, at, at + interval '90 days' FROM rows)
         INSERT INTO message_delivery (tenant_id, app_id, msg_id, endpoint_id, status, attempt_count, created_at, updated_at)
         SELECT $1, app_id, id, endpoint_id, 0, $7, at, at + interval '3 minutes' FROM rows`,
        [tenantId, ids, apps, eps, times, payload, shape.attemptsPerMessage],
      );
    }
    // An attempt id is its message's id with the last character standing for the attempt's number:
    // unique, and in the message's time order, as real attempt ids made minutes later would be.
    await client.query(
      `INSERT INTO message_attempt (id, tenant_id, app_id, msg_id, endpoint_id, url, status, response_status_code, response, response_duration_ms, trigger_type, created_at)
       SELECT 'atmpt_' || substr(d.msg_id, 5, 26) || k, d.tenant_id, d.app_id, d.msg_id, d.endpoint_id, 'https://example.com/webhook',
              CASE WHEN k = $3 THEN 0 ELSE 2 END, CASE WHEN k = $3 THEN 200 ELSE 503 END, CASE WHEN k = $3 THEN '{"ok":true}' ELSE 'Service Unavailable' END,
              20 + k, 0, d.created_at + k * interval '1 minute'
       FROM message_delivery d CROSS JOIN generate_series(1, $3::int) AS k
       WHERE d.msg_id >= $1 AND d.msg_id < $2`,
      [idBoundary('msg', new Date(dayStart), 'start'), idBoundary('msg', new Date(dayStart + DAY_MS), 'start'), shape.attemptsPerMessage],
    );
    log(`day ${d + 1}/${shape.days} written (${Math.round((performance.now() - started) / 1000)} s)`);
  }
  // A history this old has been vacuumed and analysed by autovacuum long since.
  for (const table of HISTORY) await client.query(`VACUUM (ANALYZE) ${table}`);
  // And written out: the gigabytes just written would otherwise be flushed by the checkpoints
  // that fall during the measurement.
  await client.query('CHECKPOINT');
  return { days: shape.days, attempts: shape.days * shape.messagesPerDay * shape.attemptsPerMessage, bytes: await historyBytes(client), ms: performance.now() - started };
}
