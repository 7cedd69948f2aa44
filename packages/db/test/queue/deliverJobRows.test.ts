import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createQueueTestDatabase, type QueueTestDatabase } from '@hookline/test-support/queueDatabase';
import { BOSS_SCHEMA } from '../../src/queue/boss.ts';
import { firstAttemptJobsOf, jobTableOf } from '../../src/queue/deliverJobRows.ts';
import { enqueueDeliveries } from '../../src/queue/enqueue.ts';
import { JOBS } from '../../src/queue/jobs.ts';

// The first attempts fan-out writes by SQL must be the rows boss.insert writes (through
// enqueueDeliveries) for the same attempts: same queue, settings, group and tier, data, retention;
// and the row pg-boss's send writes, its other insert.

let database: QueueTestDatabase;
beforeAll(async () => {
  database = await createQueueTestDatabase();
});
afterAll(async () => {
  await database?.close();
});

/** A job as written, without what differs between two inserts: its id, message id and times (its retention is kept as a length). */
async function jobOf(msgId: string): Promise<Record<string, unknown>> {
  const { rows } = await sql<{ job: Record<string, unknown> }>`
    SELECT to_jsonb(j) - 'id' - 'created_on' - 'start_after' - 'keep_until' - 'data'
      || jsonb_build_object('data', j.data - 'msgId', 'kept', extract(epoch FROM j.keep_until - j.start_after)) AS job
    FROM ${sql.table(`${BOSS_SCHEMA}.job`)} j WHERE j.data->>'msgId' = ${msgId}`.execute(database.db);
  expect(rows).toHaveLength(1);
  return rows[0]!.job;
}

it('writes the rows boss.insert writes, in either lane', async () => {
  const { db, boss } = database;
  const tables = { healthy: await jobTableOf(db, JOBS.deliver), failing: await jobTableOf(db, JOBS.deliverFailing) };
  await sql`WITH src (tenant_id, msg_id, endpoint_id, failing) AS (VALUES ('ten_dj', 'msg_sql_h', 'ep_dj', false), ('ten_dj', 'msg_sql_f', 'ep_dj', true)),
    h AS (${firstAttemptJobsOf('src', false, tables.healthy)}), f AS (${firstAttemptJobsOf('src', true, tables.failing)})
    SELECT 1`.execute(db);
  await db
    .transaction()
    .execute((trx) =>
      enqueueDeliveries(boss, trx, [
        { data: { tenantId: 'ten_dj', msgId: 'msg_boss_h', endpointId: 'ep_dj', attempt: 1, trigger: 0 } },
        { data: { tenantId: 'ten_dj', msgId: 'msg_boss_f', endpointId: 'ep_dj', attempt: 1, trigger: 0 }, failing: true },
      ]),
    );
  const healthy = await jobOf('msg_sql_h');
  expect(healthy).toEqual(await jobOf('msg_boss_h'));
  expect(healthy).toMatchObject({ name: JOBS.deliver, state: 'created', group_id: 'ep_dj', group_tier: null });
  const failing = await jobOf('msg_sql_f');
  expect(failing).toEqual(await jobOf('msg_boss_f'));
  expect(failing).toMatchObject({ name: JOBS.deliverFailing, group_tier: 'failing' });
});

it('writes the row pg-boss’s own send writes for the same job, every column but id, data and times', async () => {
  const { db, boss } = database;
  const table = await jobTableOf(db, JOBS.deliver);
  await sql`WITH src (tenant_id, msg_id, endpoint_id, failing) AS (VALUES ('ten_pin', 'msg_pin_sql', 'ep_pin', false)),
    h AS (${firstAttemptJobsOf('src', false, table)}) SELECT 1`.execute(db);
  await boss.send(JOBS.deliver, { tenantId: 'ten_pin', msgId: 'msg_pin_send', endpointId: 'ep_pin', attempt: 1, trigger: 0 }, { group: { id: 'ep_pin' } });
  expect(await jobOf('msg_pin_sql')).toEqual(await jobOf('msg_pin_send'));
});
