import pino from 'pino';
import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createQueueTestDatabase, type QueueTestDatabase } from '@hookline/test-support/queueDatabase';
import { waitUntil } from '@hookline/test-support/process';
import { FAN_OUT_BATCH, FanOutLoop } from '../src/fanOutLoop.ts';

// The loop itself: it fans out what is pending when woken (its poll here is a minute away, so only
// wake() explains a prompt fan-out), and once a batch that made deliveries has committed it tells
// the worker's own delivery loop at once, not a NOTIFY's round trip later. A batch of messages
// nothing subscribes to starts no delivery loop.

let database: QueueTestDatabase;
let client: pg.Client;
const T = 'ten_fl';
const q = async (text: string, values: unknown[] = []) => (await client.query(text, values)).rows;

beforeAll(async () => {
  database = await createQueueTestDatabase();
  client = new pg.Client({ connectionString: database.connectionString });
  await client.connect();
  await q(`INSERT INTO tenant (id, name) VALUES ($1, 'fl')`, [T]);
  await q(`INSERT INTO application (id, tenant_id, name) VALUES ('app_fl', $1, 'fl'), ('app_fl_none', $1, 'none')`, [T]);
  await q(`INSERT INTO endpoint (id, tenant_id, app_id, url) VALUES ('ep_fl', $1, 'app_fl', 'http://127.0.0.1/')`, [T]);
});
afterAll(async () => {
  await client?.end();
  await database?.close();
});

let seq = 0;
async function pending(app: string): Promise<string> {
  const msgId = `msg_fl_${++seq}`;
  await q(`INSERT INTO message (id, tenant_id, app_id, event_type, payload, expires_at) VALUES ($1, $2, $3, 'x.y', '{}', now() + interval '1 day')`, [msgId, T, app]);
  await q('INSERT INTO fanout_pending (tenant_id, msg_id) VALUES ($1, $2)', [T, msgId]);
  return msgId;
}
const left = async () => Number((await q('SELECT count(*) AS n FROM fanout_pending'))[0].n);
const delivered = async (msgId: string) => Number((await q('SELECT count(*) AS n FROM message_delivery WHERE msg_id = $1', [msgId]))[0].n);

it('fans out when woken and wakes the delivery loop once the deliveries are committed', async () => {
  const woken: number[] = [];
  const loop = new FanOutLoop({ ...database, logger: pino({ level: 'silent' }), worker: 'worker-test' }, 60_000, (deliveries) => woken.push(deliveries));
  loop.start();
  try {
    // The first look finds nothing; the loop then sleeps until woken.
    await new Promise((r) => setTimeout(r, 300));
    const none = await pending('app_fl_none');
    loop.wake();
    await waitUntil(async () => (await left()) === 0, 5000, 'the message nothing subscribes to to be taken');
    expect(woken).toEqual([]);

    const msgId = await pending('app_fl');
    loop.wake();
    await waitUntil(() => woken.length > 0, 5000, 'the delivery loop to be woken');
    // Woken after the commit: the delivery is already there to fetch.
    expect(await delivered(msgId)).toBe(1);
    expect(await left()).toBe(0);
    expect(await delivered(none)).toBe(0);
    // Told how many deliveries were made (see PlannerStatistics).
    expect(woken).toEqual([1]);
  } finally {
    await loop.stop();
  }
});

it('says it sleeps before sleeping, so that hookline.publish wakes it at commit; keeps saying so through a few messages, withdraws it for full batches and when it stops', async () => {
  const notice = async () =>
    (await q(`SELECT worker, until > clock_timestamp() AS current, extract(epoch FROM until)::float8 AS until FROM fanout_sleeper WHERE worker = 'worker-notice'`))[0] as
      { worker: string; current: boolean; until: number } | undefined;
  const loop = new FanOutLoop({ ...database, logger: pino({ level: 'silent' }), worker: 'worker-notice' }, 60_000, () => {});
  loop.start();
  try {
    await waitUntil(async () => (await notice()) !== undefined, 5000, 'the loop to say it sleeps');
    const given = await notice();
    expect(given).toMatchObject({ worker: 'worker-notice', current: true });

    // Published through the function, with the loop's poll a minute away: only the commit's NOTIFY
    // (the worker's listener is not running here, so we relay it) explains a prompt fan-out.
    const listener = new pg.Client({ connectionString: database.connectionString });
    await listener.connect();
    listener.on('notification', () => loop.wake());
    await listener.query('LISTEN hookline_fanout');
    try {
      const { rows } = await client.query(`SELECT hookline.publish($1, 'app_fl', 'x.y', '{}'::jsonb) AS id`, [T]);
      await waitUntil(async () => (await delivered(rows[0].id as string)) === 1, 5000, 'the published message to be fanned out');
      // One message is not a full batch: the loop sleeps again at once, under the same notice
      // (the lease of three minutes is renewed only past its half).
      await new Promise((r) => setTimeout(r, 200));
      expect(await notice()).toEqual(given);

      // A full batch withdraws it; the loop gives it anew before it sleeps once more.
      await client.query('BEGIN');
      for (let i = 0; i < FAN_OUT_BATCH + 5; i++) await client.query(`SELECT hookline.publish($1, 'app_fl', 'x.y', '{}'::jsonb)`, [T]);
      await client.query('COMMIT');
      await waitUntil(async () => (await left()) === 0, 5000, 'the batch to be fanned out');
      await waitUntil(async () => ((await notice())?.until ?? 0) > given!.until, 5000, 'the loop to give its notice anew');
    } finally {
      await listener.end();
    }
  } finally {
    await loop.stop();
  }
  expect(await notice()).toBeUndefined();
});
