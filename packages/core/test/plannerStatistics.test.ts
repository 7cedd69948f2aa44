import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { JOBS } from '@hookline/db';
import { createQueueTestDatabase, type QueueTestDatabase } from '@hookline/test-support/queueDatabase';
import { QUEUE_SCHEMA as BOSS_SCHEMA } from '@hookline/test-support/queueTables';
import { PlannerStatistics } from '../src/queue/plannerStatistics.ts';

// The delivery tables' statistics are refreshed once enough deliveries were made (then after twice
// as many), and not more often than the interval allows: the planner then knows how many rows they hold.

let database: QueueTestDatabase;
let client: pg.Client;
const q = async (text: string, values: unknown[] = []) => (await client.query(text, values)).rows;

beforeAll(async () => {
  database = await createQueueTestDatabase();
  client = new pg.Client({ connectionString: database.connectionString });
  await client.connect();
  await q(`INSERT INTO tenant (id, name) VALUES ('ten_ps', 'ps')`);
  await q(`INSERT INTO application (id, tenant_id, name) VALUES ('app_ps', 'ten_ps', 'ps')`);
  await q(`INSERT INTO endpoint (id, tenant_id, app_id, url) VALUES ('ep_ps', 'ten_ps', 'app_ps', 'http://127.0.0.1/')`);
});
afterAll(async () => {
  await client?.end();
  await database?.close();
});

/** What the planner believes each table holds, beside what it holds (deliveries: in message_delivery, or in one partition of it). */
async function believed(deliveries = 'message_delivery'): Promise<{ messages: [number, number]; deliveries: [number, number]; jobs: [number, number] }> {
  const [table] = await q(`SELECT table_name FROM ${BOSS_SCHEMA}.queue WHERE name = $1`, [JOBS.deliver]);
  const reltuples = async (rel: string) => Number((await q('SELECT reltuples FROM pg_class WHERE oid = $1::regclass', [rel]))[0].reltuples);
  const count = async (rel: string) => Number((await q(`SELECT count(*) AS n FROM ${rel}`))[0].n);
  const jobs = `${BOSS_SCHEMA}.${table.table_name}`;
  return {
    messages: [await reltuples('message'), await count('message')],
    deliveries: [await reltuples(deliveries), await count(deliveries)],
    jobs: [await reltuples(jobs), await count(jobs)],
  };
}

async function addDeliveries(from: number, n: number): Promise<void> {
  for (let i = from; i < from + n; i++) {
    await q(`INSERT INTO message (id, tenant_id, app_id, event_type, payload, expires_at) VALUES ($1, 'ten_ps', 'app_ps', 'x.y', '{}', now() + interval '1 day')`, [
      `msg_ps_${i}`,
    ]);
    await q(`INSERT INTO message_delivery (tenant_id, app_id, msg_id, endpoint_id, status) VALUES ('ten_ps', 'app_ps', $1, 'ep_ps', 0)`, [`msg_ps_${i}`]);
  }
  await database.boss.insert(
    JOBS.deliver,
    Array.from({ length: n }, (_, i) => ({ data: { msgId: `msg_ps_${from + i}` }, group: { id: 'ep_ps' } })),
  );
}

it('refreshes the statistics of message, message_delivery and the delivery queue after enough deliveries, then after twice as many', async () => {
  const errors: unknown[] = [];
  const statistics = new PlannerStatistics(database.db, { firstAfter: 10, minIntervalMs: 0, onError: (err) => errors.push(err) });
  await addDeliveries(0, 12);
  const before = await believed();
  expect(before.messages[0]).not.toBe(12);
  expect(before.deliveries[0]).not.toBe(12);
  expect(before.jobs[0]).not.toBe(12);

  statistics.noteDeliveries(9);
  await statistics.settled();
  expect(await believed()).toEqual(before);

  statistics.noteDeliveries(3);
  await statistics.settled();
  expect(await believed()).toEqual({ messages: [12, 12], deliveries: [12, 12], jobs: [12, 12] });

  // The next refresh waits for 20 more.
  await addDeliveries(12, 12);
  statistics.noteDeliveries(12);
  await statistics.settled();
  expect((await believed()).deliveries).toEqual([12, 24]);
  await addDeliveries(24, 8);
  statistics.noteDeliveries(8);
  await statistics.settled();
  expect(await believed()).toEqual({ messages: [32, 32], deliveries: [32, 32], jobs: [32, 32] });
  expect(errors).toEqual([]);
});

it('refreshes at most once per interval', async () => {
  const statistics = new PlannerStatistics(database.db, { firstAfter: 1, minIntervalMs: 60_000, onError: () => {} });
  await addDeliveries(100, 2);
  statistics.noteDeliveries(2);
  await statistics.settled();
  // These ids sort after every range, so the rows are in the DEFAULT partition, which every refresh analyzes.
  const refreshed = await believed('message_delivery_default');
  expect(refreshed.deliveries[0]).toBe(refreshed.deliveries[1]);
  await addDeliveries(102, 5);
  statistics.noteDeliveries(5);
  await statistics.settled();
  expect((await believed('message_delivery_default')).deliveries).toEqual([refreshed.deliveries[0], refreshed.deliveries[0] + 5]);
});
