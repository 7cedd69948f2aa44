import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { DELIVERY_WAKEUP_CHANNEL, enqueueDeliveries, JOBS, type DeliverJob } from '@hookline/db';
import { createQueueTestDatabase, type QueueTestDatabase } from '@hookline/test-support/queueDatabase';
import { QUEUE_SCHEMA as BOSS_SCHEMA } from '@hookline/test-support/queueTables';
import { fanOutPending } from '../src/delivery/fanOut.ts';

// Which writes NOTIFY the workers. A NOTIFY inside a transaction takes a database-wide lock at
// commit, so only a delivery due now may send one, on Hookline's channel alone: pg-boss's own
// (every insert into a notify queue) wakes nobody here, as the delivery loop fetches by itself.
// A fan-out batch sends none: its caller wakes the workers after the commit. And which lane an
// attempt waits in (see DELIVERY_LANES).

let database: QueueTestDatabase;
let listener: pg.Client;
let heard: string[] = [];
const T = 'ten_en';

beforeAll(async () => {
  database = await createQueueTestDatabase();
  listener = new pg.Client({ connectionString: database.connectionString });
  await listener.connect();
  listener.on('notification', (n) => heard.push(n.channel === DELIVERY_WAKEUP_CHANNEL ? 'hookline' : 'pg-boss'));
  const { rows } = await listener.query<{ channel: string }>(`SELECT 'pgboss_' || left(encode(sha224($1::text::bytea), 'hex'), 24) AS channel`, [BOSS_SCHEMA]);
  await listener.query(`LISTEN ${DELIVERY_WAKEUP_CHANNEL}`);
  await listener.query(`LISTEN ${rows[0]!.channel}`);
  await listener.query(`INSERT INTO tenant (id, name) VALUES ('${T}', 'en')`);
  await listener.query(`INSERT INTO application (id, tenant_id, name) VALUES ('app_en', '${T}', 'en')`);
  await listener.query(`INSERT INTO endpoint (id, tenant_id, app_id, url) VALUES ('ep_en', '${T}', 'app_en', 'http://127.0.0.1/')`);
});
afterAll(async () => {
  await listener?.end();
  await database?.close();
});

/** The NOTIFYs that reached the listener by now: a query's answer comes after the notifications committed before it. */
async function notified(): Promise<string[]> {
  await listener.query('SELECT 1');
  const got = heard;
  heard = [];
  return got;
}

const job = (msgId: string): DeliverJob => ({ tenantId: T, msgId, endpointId: 'ep_en', attempt: 1, trigger: 0 });
const enqueue = (jobs: Parameters<typeof enqueueDeliveries>[2]) => database.db.transaction().execute((trx) => enqueueDeliveries(database.boss, trx, jobs));

it('wakes the workers once, on its own channel, for deliveries due now', async () => {
  await notified();
  await enqueue([{ data: job('msg_en_1') }, { data: job('msg_en_2'), failing: true }]);
  expect(await notified()).toEqual(['hookline']);
});

it('puts attempts to failing endpoints in the failing lane, one in flight per endpoint', async () => {
  await enqueue([{ data: job('msg_en_h') }, { data: job('msg_en_f'), failing: true }]);
  const { rows } = await listener.query(`SELECT data->>'msgId' AS msg, name, group_tier AS tier FROM ${BOSS_SCHEMA}.job
    WHERE data->>'msgId' IN ('msg_en_h', 'msg_en_f') ORDER BY 1`);
  expect(rows).toEqual([
    { msg: 'msg_en_f', name: JOBS.deliverFailing, tier: 'failing' },
    { msg: 'msg_en_h', name: JOBS.deliver, tier: null },
  ]);
});

it('wakes nobody for attempts due later (retries, throttled attempts): the poll finds them', async () => {
  await notified();
  await enqueue([{ data: { ...job('msg_en_3'), attempt: 2 }, startAfter: new Date(Date.now() + 60_000), failing: true }]);
  expect(await notified()).toEqual([]);
  const { rows } = await listener.query(`SELECT count(*)::int AS n FROM ${BOSS_SCHEMA}.job WHERE data->>'msgId' = 'msg_en_3'`);
  expect(rows[0].n).toBe(1);
});

it('commits a fan-out batch without a NOTIFY', async () => {
  await listener.query(`INSERT INTO message (id, tenant_id, app_id, event_type, payload, expires_at)
    VALUES ('msg_en_fo', '${T}', 'app_en', 'x.y', '{}', now() + interval '1 day')`);
  await listener.query(`INSERT INTO fanout_pending (tenant_id, msg_id) VALUES ('${T}', 'msg_en_fo')`);
  await notified();
  expect(await fanOutPending(database.db, database.boss, 10)).toEqual([{ tenantId: T, msgId: 'msg_en_fo', endpoints: 1, healthy: ['ep_en'] }]);
  expect(await notified()).toEqual([]);
});
