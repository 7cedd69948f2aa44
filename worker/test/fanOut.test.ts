import pg from 'pg';
import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import { fanOutPending, fanOutPendingOneByOne, fanOutRetryDelaySeconds } from '@hookline/core';
import { JOBS, type Database, type PendingFanOut, type PgBoss } from '@hookline/db';
import { createQueueTestDatabase, type QueueTestDatabase } from '@hookline/test-support/queueDatabase';
import { QUEUE_SCHEMA as BOSS_SCHEMA } from '@hookline/test-support/queueTables';

// Fan-out from the pending table (the outbox publishing writes): a batch is claimed, fanned out
// and deleted in one transaction, concurrent claimers skip each other's rows, and a message that
// fails is put off on its own. Also the legacy path for fan-out jobs an older version enqueued.

let database: QueueTestDatabase;
let db: Database;
let boss: PgBoss;
let client: pg.Client;
const T = 'ten_fo';
const q = (text: string, values: unknown[] = []) => client.query(text, values);

beforeAll(async () => {
  database = await createQueueTestDatabase();
  ({ db, boss } = database);
  client = new pg.Client({ connectionString: database.connectionString });
  await client.connect();
  await q('INSERT INTO tenant (id, name) VALUES ($1, $2)', [T, 'fo']);
  await q('INSERT INTO application (id, tenant_id, name) VALUES ($1, $2, $3)', ['app_fo', T, 'fo']);
  for (const ep of ['ep_fo_1', 'ep_fo_2']) await q('INSERT INTO endpoint (id, tenant_id, app_id, url) VALUES ($1, $2, $3, $4)', [ep, T, 'app_fo', 'http://127.0.0.1/']);
  // Only for x.y: a message of another type reaches ep_fo_1 alone.
  await q(`UPDATE endpoint SET event_types = '{x.y}' WHERE id = 'ep_fo_2'`);
});
afterAll(async () => {
  await client?.end();
  await database?.close();
});
// Each test sees only its own pending rows.
beforeEach(async () => {
  await q('DELETE FROM fanout_pending');
});

const typeOf = new Map<string, string>();
let seq = 0;
/** Inserts a message, and its pending fan-out unless `pending` is false; returns its id. */
async function message(eventType: string, pending: { availableIn?: string } | false = {}): Promise<string> {
  const msgId = `msg_fo_${++seq}_${Math.random().toString(36).slice(2)}`;
  await q(`INSERT INTO message (id, tenant_id, app_id, event_type, payload, expires_at) VALUES ($1, $2, 'app_fo', $3, '{}', now() + interval '1 day')`, [
    msgId,
    T,
    eventType,
  ]);
  typeOf.set(msgId, eventType);
  if (pending) await pend(msgId, pending.availableIn);
  return msgId;
}
const pend = (msgId: string, availableIn = '0 s') =>
  q(`INSERT INTO fanout_pending (tenant_id, msg_id, available_at) VALUES ($1, $2, now() + $3::interval)`, [T, msgId, availableIn]);

/** The deliveries each message should get: ep_fo_2 takes x.y only. */
const expectedOf = (msgIds: string[]) => msgIds.flatMap((m) => (typeOf.get(m) === 'x.y' ? [`${m} ep_fo_1`, `${m} ep_fo_2`] : [`${m} ep_fo_1`])).sort();
const pairs = (rows: Array<{ msg_id: string; endpoint_id: string }>) => rows.map((r) => `${r.msg_id} ${r.endpoint_id}`).sort();
const deliveriesOf = async (msgIds: string[]) => pairs((await q('SELECT msg_id, endpoint_id FROM message_delivery WHERE msg_id = ANY($1)', [msgIds])).rows);
/** Every deliver job of these messages, duplicates included (a delivery row would hide a second fan-out: ON CONFLICT DO NOTHING). */
const deliverJobsOf = async (msgIds: string[]) =>
  pairs(
    (
      await q(`SELECT data->>'msgId' AS msg_id, data->>'endpointId' AS endpoint_id FROM ${BOSS_SCHEMA}.job WHERE name = $1 AND data->>'msgId' = ANY($2)`, [
        JOBS.deliver,
        msgIds,
      ])
    ).rows,
  );
const pendingRows = async () => (await q('SELECT msg_id, attempts FROM fanout_pending ORDER BY id')).rows as Array<{ msg_id: string; attempts: number }>;

it('fans out the oldest due messages, up to the limit, to their subscribed endpoints and deletes their pending rows', async () => {
  const [m1, m2, m3] = [await message('x.y'), await message('a.b'), await message('x.y')];
  const later = await message('x.y', { availableIn: '1 hour' });
  // A rewritten row moves to the end of the table: the oldest must come first by id, not by where it lies.
  await q('UPDATE fanout_pending SET attempts = 0 WHERE msg_id = $1', [m1]);

  expect(await fanOutPending(db, boss, 2)).toEqual([
    { tenantId: T, msgId: m1, endpoints: 2, healthy: ['ep_fo_1', 'ep_fo_2'] },
    { tenantId: T, msgId: m2, endpoints: 1, healthy: ['ep_fo_1'] },
  ]);
  expect(await deliveriesOf([m1, m2, m3, later])).toEqual(expectedOf([m1, m2]));
  expect(await deliverJobsOf([m1, m2, m3, later])).toEqual(expectedOf([m1, m2]));
  expect((await pendingRows()).map((r) => r.msg_id)).toEqual([m3, later]);

  // A pending row whose message is gone is taken and dropped, with no delivery.
  await pend('msg_fo_gone');
  expect(await fanOutPending(db, boss, 10)).toEqual([
    { tenantId: T, msgId: m3, endpoints: 2, healthy: ['ep_fo_1', 'ep_fo_2'] },
    { tenantId: T, msgId: 'msg_fo_gone', endpoints: 0, healthy: [] },
  ]);
  expect(await deliverJobsOf([m1, m2, m3, later])).toEqual(expectedOf([m1, m2, m3]));
  // Not yet due: left for later.
  expect(await fanOutPending(db, boss, 10)).toEqual([]);
  expect((await pendingRows()).map((r) => r.msg_id)).toEqual([later]);
  expect(await deliveriesOf([later])).toEqual([]);
});

it('skips the rows another transaction holds, and takes them once it lets go', async () => {
  const msgs = [await message('x.y'), await message('a.b'), await message('x.y'), await message('a.b')];
  // Another worker's claim, in flight: its rows are locked until it ends.
  const other = new pg.Client({ connectionString: database.connectionString });
  await other.connect();
  try {
    await other.query('BEGIN');
    const held = (await other.query('SELECT msg_id FROM fanout_pending WHERE msg_id = ANY($1) FOR UPDATE', [[msgs[0], msgs[2]]])).rows.map((r) => r.msg_id as string);
    expect(held).toHaveLength(2);
    // Waiting on the locks instead of skipping them would hang here: fail fast instead.
    const done = await Promise.race([
      fanOutPending(db, boss, 10),
      new Promise<never>((_, reject) => setTimeout(() => reject(new Error('fanOutPending waited for locked rows')), 5000)),
    ]);
    expect(done.map((m) => m.msgId)).toEqual([msgs[1], msgs[3]]);
    expect(await deliverJobsOf(msgs)).toEqual(expectedOf([msgs[1]!, msgs[3]!]));
    await other.query('ROLLBACK');
  } finally {
    await other.end();
  }
  expect((await fanOutPending(db, boss, 10)).map((m) => m.msgId)).toEqual([msgs[0], msgs[2]]);
  expect(await deliverJobsOf(msgs)).toEqual(expectedOf(msgs));
});

it('fans out each message exactly once when workers claim at the same time', async () => {
  const msgs: string[] = [];
  for (let i = 0; i < 12; i++) msgs.push(await message(i % 2 ? 'a.b' : 'x.y'));
  const results = await Promise.all([fanOutPending(db, boss, 4), fanOutPending(db, boss, 4), fanOutPending(db, boss, 4), fanOutPending(db, boss, 4)]);
  const taken = results.flat().map((m) => m.msgId);
  expect([...taken].sort()).toEqual([...msgs].sort());
  expect(await deliverJobsOf(msgs)).toEqual(expectedOf(msgs));
  expect(await deliveriesOf(msgs)).toEqual(expectedOf(msgs));
  expect(await pendingRows()).toEqual([]);
});

it('puts off a message that fails on its own: the batch writes nothing, one by one the others go through', async () => {
  const [good1, bad, good2] = [await message('x.y'), await message('x.y'), await message('a.b')];
  const msgs = [good1, bad, good2];
  // A real failure of this one message's writes: its deliveries cannot be inserted.
  await q(`CREATE FUNCTION fo_refuse() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'refused %', NEW.msg_id; END $$`);
  await q(`CREATE TRIGGER fo_refuse BEFORE INSERT ON message_delivery FOR EACH ROW WHEN (NEW.msg_id = '${bad}') EXECUTE FUNCTION fo_refuse()`);
  try {
    await expect(fanOutPending(db, boss, 10)).rejects.toThrow(`refused ${bad}`);
    expect(await deliveriesOf(msgs)).toEqual([]);
    expect(await deliverJobsOf(msgs)).toEqual([]);
    expect(await pendingRows()).toEqual(msgs.map((msg_id) => ({ msg_id, attempts: 0 })));

    const failures: Array<{ message: PendingFanOut; err: unknown }> = [];
    expect((await fanOutPendingOneByOne(db, boss, 10, (message, err) => failures.push({ message, err }))).map((m) => m.msgId).sort()).toEqual([good1, good2].sort());
    expect(await deliverJobsOf(msgs)).toEqual(expectedOf([good1, good2]));
    expect(failures).toHaveLength(1);
    expect(failures[0]!.message).toMatchObject({ tenantId: T, msgId: bad, attempts: 0 });
    expect(String(failures[0]!.err)).toContain(`refused ${bad}`);
    const deferred = async () => (await q(`SELECT msg_id, attempts, extract(epoch FROM available_at - now())::float8 AS due_in FROM fanout_pending`)).rows;
    const [first] = await deferred();
    expect(first).toMatchObject({ msg_id: bad, attempts: 1 });
    expect(first.due_in).toBeGreaterThan(0);
    expect(first.due_in).toBeLessThanOrEqual(fanOutRetryDelaySeconds(1));

    // Due again and failing again: the next delay counts both failures.
    await q('UPDATE fanout_pending SET available_at = now()');
    expect(await fanOutPendingOneByOne(db, boss, 10, (message, err) => failures.push({ message, err }))).toEqual([]);
    expect(failures.map((f) => f.message.attempts)).toEqual([0, 1]);
    const [second] = await deferred();
    expect(second).toMatchObject({ msg_id: bad, attempts: 2 });
    expect(second.due_in).toBeGreaterThan(fanOutRetryDelaySeconds(1));
    expect(second.due_in).toBeLessThanOrEqual(fanOutRetryDelaySeconds(2));
  } finally {
    await q('DROP TRIGGER fo_refuse ON message_delivery');
    await q('DROP FUNCTION fo_refuse()');
  }
  // Once it can be written, it goes through like any other.
  await q('UPDATE fanout_pending SET available_at = now()');
  expect(await fanOutPending(db, boss, 10)).toEqual([{ tenantId: T, msgId: bad, endpoints: 2, healthy: ['ep_fo_1', 'ep_fo_2'] }]);
  expect(await deliverJobsOf(msgs)).toEqual(expectedOf(msgs));
});

it('fans out plain messages in one statement and, in the same call, those it passes over (payload filters, traces) in a transaction', async () => {
  await q(`INSERT INTO application (id, tenant_id, name) VALUES ('app_fo_mix', $1, 'mix')`, [T]);
  await q(
    `INSERT INTO endpoint (id, tenant_id, app_id, url, filter) VALUES
    ('ep_mix_any', $1, 'app_fo_mix', 'http://127.0.0.1/', NULL), ('ep_mix_big', $1, 'app_fo_mix', 'http://127.0.0.1/', '{"amount": {"$gte": 100}}')`,
    [T],
  );
  await q(`INSERT INTO application (id, tenant_id, name) VALUES ('app_fo_down', $1, 'down')`, [T]);
  await q(`INSERT INTO endpoint (id, tenant_id, app_id, url, failing_since) VALUES ('ep_down', $1, 'app_fo_down', 'http://127.0.0.1/', now())`, [T]);
  const inApp = async (app: string, payload: string) => {
    const msgId = `msg_fo_${++seq}_${Math.random().toString(36).slice(2)}`;
    await q(`INSERT INTO message (id, tenant_id, app_id, event_type, payload, expires_at) VALUES ($1, $2, $3, 'x.y', $4, now() + interval '1 day')`, [
      msgId,
      T,
      app,
      payload,
    ]);
    return msgId;
  };
  const plain = await message('x.y');
  const small = await inApp('app_fo_mix', '{"amount": 5}');
  await pend(small);
  const traced = await message('x.y', false);
  await q(`INSERT INTO fanout_pending (tenant_id, msg_id, trace) VALUES ($1, $2, '{"traceparent": "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"}')`, [
    T,
    traced,
  ]);
  const down = await inApp('app_fo_down', '{}');
  await pend(down);

  const done = await fanOutPending(db, boss, 10);
  // The plain ones first (the statement), then the others (the transaction), each oldest first.
  expect(done).toEqual([
    // `healthy`: the endpoints whose first attempt waits in the healthy lane (ep_down is failing).
    { tenantId: T, msgId: plain, endpoints: 2, healthy: ['ep_fo_1', 'ep_fo_2'] },
    { tenantId: T, msgId: down, endpoints: 1, healthy: [] },
    { tenantId: T, msgId: small, endpoints: 1, healthy: ['ep_mix_any'] },
    { tenantId: T, msgId: traced, endpoints: 2, healthy: ['ep_fo_1', 'ep_fo_2'] },
  ]);
  expect(await pendingRows()).toEqual([]);
  const jobs = async (msgId: string) =>
    (await q(`SELECT name, data, group_id, group_tier FROM ${BOSS_SCHEMA}.job WHERE data->>'msgId' = $1 ORDER BY group_id`, [msgId])).rows;
  expect(await jobs(plain)).toEqual(
    ['ep_fo_1', 'ep_fo_2'].map((ep) => ({
      name: JOBS.deliver,
      data: { tenantId: T, msgId: plain, endpointId: ep, attempt: 1, trigger: 0 },
      group_id: ep,
      group_tier: null,
    })),
  );
  // A failing endpoint's first attempt waits in the failing lane.
  expect(await jobs(down)).toEqual([
    { name: JOBS.deliverFailing, data: { tenantId: T, msgId: down, endpointId: 'ep_down', attempt: 1, trigger: 0 }, group_id: 'ep_down', group_tier: 'failing' },
  ]);
  // The filter leaves the small amount out of ep_mix_big: a canceled delivery, no job.
  expect((await jobs(small)).map((j) => j.group_id)).toEqual(['ep_mix_any']);
  const statuses = (await q(`SELECT endpoint_id, status FROM message_delivery WHERE msg_id = $1 ORDER BY endpoint_id`, [small])).rows;
  expect(statuses).toEqual([
    { endpoint_id: 'ep_mix_any', status: 1 },
    { endpoint_id: 'ep_mix_big', status: 4 },
  ]);
  expect(await deliverJobsOf([traced])).toEqual(expectedOf([traced]));
});

it('fans out a batch too large for one VALUES list (over 65,535 parameters) in one go', async () => {
  await q(`INSERT INTO application (id, tenant_id, name) VALUES ('app_fo_big', $1, 'big') ON CONFLICT DO NOTHING`, [T]);
  await q(
    `INSERT INTO endpoint (id, tenant_id, app_id, url)
    SELECT 'ep_fo_big_' || g, $1, 'app_fo_big', 'http://127.0.0.1/' FROM generate_series(1, 1000) g ON CONFLICT DO NOTHING`,
    [T],
  );
  // 12 messages × 1,000 endpoints × 6 columns: 72,000 values. Traced, so they take the transaction
  // (plain ones are written by one statement without parameters per row).
  const msgIds = Array.from({ length: 12 }, (_, i) => `msg_fo_big_${i}_${Math.random().toString(36).slice(2)}`);
  for (const msgId of msgIds) {
    await q(`INSERT INTO message (id, tenant_id, app_id, event_type, payload, expires_at) VALUES ($1, $2, 'app_fo_big', 'x.y', '{}', now() + interval '1 day')`, [
      msgId,
      T,
    ]);
    await q(`INSERT INTO fanout_pending (tenant_id, msg_id, trace) VALUES ($1, $2, '{}')`, [T, msgId]);
  }
  expect((await fanOutPending(db, boss, 12)).map((m) => m.endpoints)).toEqual(msgIds.map(() => 1000));
  expect(Number((await q('SELECT count(*) AS n FROM message_delivery WHERE msg_id = ANY($1)', [msgIds])).rows[0].n)).toBe(12_000);
  expect(await pendingRows()).toEqual([]);
}, 60_000);
