import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { fanOutSleepRepo, migrateSchemaTo } from '@hookline/db';
import { createQueueTestDatabase, type QueueTestDatabase } from '@hookline/test-support/queueDatabase';

// When hookline.publish wakes the workers (0038): at the commit of its transaction, and only while
// a worker says its fan-out loop sleeps. A NOTIFY serialises commits, so a publish made while
// every worker is busy must send none; a publish whose transaction outlives the worker's last look
// must wake it even though no worker slept when it published.

let database: QueueTestDatabase;
let vendor: pg.Client;
let listener: pg.Client;
let heard = 0;
const T = 'ten_pw';

beforeAll(async () => {
  database = await createQueueTestDatabase();
  vendor = new pg.Client({ connectionString: database.connectionString });
  listener = new pg.Client({ connectionString: database.connectionString });
  await Promise.all([vendor.connect(), listener.connect()]);
  listener.on('notification', () => heard++);
  await listener.query('LISTEN hookline_fanout');
  await vendor.query(`INSERT INTO tenant (id, name) VALUES ('${T}', 'pw')`);
  await vendor.query(`INSERT INTO application (id, tenant_id, name) VALUES ('app_pw', '${T}', 'pw')`);
});
afterAll(async () => {
  await Promise.all([vendor?.end(), listener?.end()]);
  await database?.close();
});

/** NOTIFYs heard since the last call: the listener's answer to a query comes after any notification committed before it. */
async function wakes(): Promise<number> {
  await listener.query('SELECT 1');
  const n = heard;
  heard = 0;
  return n;
}
const publish = () => vendor.query(`SELECT hookline.publish('${T}', 'app_pw', 'x.y', '{}'::jsonb)`);
const asleep = (seconds = 30) => fanOutSleepRepo.markAsleep(database.db, 'worker-a', seconds);
const awake = () => fanOutSleepRepo.markAwake(database.db, 'worker-a');

it('sends no NOTIFY while no worker sleeps', async () => {
  await wakes();
  await publish();
  await vendor.query('BEGIN');
  await publish();
  await publish();
  await vendor.query('COMMIT');
  expect(await wakes()).toBe(0);
});

it('wakes a sleeping worker once per transaction, at its commit and not before', async () => {
  await asleep();
  try {
    await vendor.query('BEGIN');
    await publish();
    await publish();
    expect(await wakes()).toBe(0);
    await vendor.query('COMMIT');
    expect(await wakes()).toBe(1);
  } finally {
    await awake();
  }
});

it('checks at commit: a worker that fell asleep while the transaction was open is woken', async () => {
  await vendor.query('BEGIN');
  await publish();
  await asleep();
  try {
    await vendor.query('COMMIT');
    expect(await wakes()).toBe(1);
  } finally {
    await awake();
  }
});

it('wakes nobody for a rollback, a rolled-back savepoint, an ended lease or a worker that withdrew its notice', async () => {
  await asleep();
  await vendor.query('BEGIN');
  await publish();
  await vendor.query('ROLLBACK');
  await vendor.query('BEGIN');
  await vendor.query('SAVEPOINT s');
  await publish();
  await vendor.query('ROLLBACK TO SAVEPOINT s');
  await vendor.query('COMMIT');
  expect(await wakes()).toBe(0);

  await awake();
  await publish();
  expect(await wakes()).toBe(0);

  await asleep(0.05);
  await new Promise((r) => setTimeout(r, 100));
  await publish();
  expect(await wakes()).toBe(0);
  await awake();
});

it('leaves the API’s own outbox rows alone: the api wakes the workers after its commit (Wakeup)', async () => {
  await asleep();
  try {
    await vendor.query(
      `INSERT INTO message (id, tenant_id, app_id, event_type, payload, expires_at) VALUES ('msg_pw_api', '${T}', 'app_pw', 'x.y', '{}', now() + interval '1 day')`,
    );
    await vendor.query(`INSERT INTO fanout_pending (tenant_id, msg_id) VALUES ('${T}', 'msg_pw_api')`);
    expect(await wakes()).toBe(0);
  } finally {
    await awake();
  }
});

it('0038 rewrites the function in place, and its down migration puts back the NOTIFY of 0029', async () => {
  const definition = async () =>
    (await vendor.query(`SELECT pg_get_functiondef('hookline.publish(text, text, text, jsonb, jsonb)'::regprocedure) AS d`)).rows[0].d as string;
  expect(await definition()).not.toContain('pg_notify');
  await migrateSchemaTo(database.db, '0032_hookline_schema');
  try {
    expect(await definition()).toContain("PERFORM pg_notify('hookline_fanout', '');");
    await publish();
    expect(await wakes()).toBe(1); // 0029's behaviour: always, even with no worker asleep
  } finally {
    await migrateSchemaTo(database.db, '0038_fanout_wake_when_asleep');
  }
  expect(await definition()).toContain('wake_at_commit');
  await publish();
  expect(await wakes()).toBe(0);
});
