import pg from 'pg';
import type { Job, PgBoss } from 'pg-boss';
import pino from 'pino';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createBoss, ensureQueues, JOBS, type FanOutJob } from '@hookline/core';
import { BOSS_SCHEMA, connectDatabase, type Database } from '@hookline/db';
import { createTestDatabase } from '../../test/support/database.ts';
import { fanOutInBatches } from '../src/fanOut.ts';

// A batch of fan-out jobs is fanned out in one transaction that completes them all, fenced to
// their claims. If one claim lapsed, nothing of the batch may commit, and each job is handed to
// the one-by-one path (which fences each alone).

let database: Awaited<ReturnType<typeof createTestDatabase>>;
let db: Database;
let boss: PgBoss;
let client: pg.Client;
const T = 'ten_fo';
const q = (text: string, values: unknown[] = []) => client.query(text, values);

beforeAll(async () => {
  database = await createTestDatabase();
  db = connectDatabase({ connectionString: database.connectionString, max: 4 });
  boss = createBoss(database.connectionString, 'producer', { max: 2 });
  await boss.start();
  await ensureQueues(boss, { deliveryTimeoutMs: 5000, queueRetentionSeconds: 3600 });
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
  await boss?.stop({ graceful: false });
  await db?.destroy();
  await database?.drop();
});

const typeOf = new Map<string, string>();
/** Messages and their fan-out jobs, fetched as one batch. */
async function published(eventTypes: string[]): Promise<Job<FanOutJob>[]> {
  for (const [i, eventType] of eventTypes.entries()) {
    const msgId = `msg_fo_${Math.random().toString(36).slice(2)}_${i}`;
    await q(`INSERT INTO message (id, tenant_id, app_id, event_type, payload, expires_at) VALUES ($1, $2, 'app_fo', $3, '{}', now() + interval '1 day')`, [msgId, T, eventType]);
    typeOf.set(msgId, eventType);
    await boss.send(JOBS.fanOut, { tenantId: T, msgId });
  }
  const jobs = await boss.fetch<FanOutJob>(JOBS.fanOut, { batchSize: eventTypes.length });
  expect(jobs).toHaveLength(eventTypes.length);
  return jobs;
}
const deliveriesOf = async (jobs: Job<FanOutJob>[]) => (await q(
  'SELECT msg_id, endpoint_id FROM message_delivery WHERE msg_id = ANY($1) ORDER BY msg_id, endpoint_id', [jobs.map((j) => j.data.msgId)])).rows
  .map((r: { msg_id: string; endpoint_id: string }) => `${r.msg_id} ${r.endpoint_id}`).sort();
const deliverJobsOf = async (jobs: Job<FanOutJob>[]) => (await q(
  `SELECT data->>'msgId' AS msg_id, data->>'endpointId' AS endpoint_id FROM ${BOSS_SCHEMA}.job WHERE name = $1 AND data->>'msgId' = ANY($2) ORDER BY 1, 2`,
  [JOBS.deliver, jobs.map((j) => j.data.msgId)])).rows.map((r: { msg_id: string; endpoint_id: string }) => `${r.msg_id} ${r.endpoint_id}`).sort();
const states = async (jobs: Job<FanOutJob>[]) => Promise.all(jobs.map(async (j) => (await boss.getJobById(JOBS.fanOut, j.id))?.state));

it('fans out a batch in one go: every message to its subscribed endpoints, every job completed', async () => {
  const jobs = await published(['x.y', 'a.b', 'x.y']);
  const handed: string[] = [];
  const handle = fanOutInBatches({ db, boss, logger: pino({ level: 'silent' }) }, async (js) => { handed.push(...js.map((j) => j.id)); return []; });
  const results = await handle(jobs);
  expect(handed).toEqual([]);
  expect(results.map((r) => r.status)).toEqual(['completed', 'completed', 'completed']);
  // ep_fo_2 takes x.y only.
  const expected = jobs.flatMap(({ data: { msgId } }) => (typeOf.get(msgId) === 'x.y' ? [`${msgId} ep_fo_1`, `${msgId} ep_fo_2`] : [`${msgId} ep_fo_1`])).sort();
  expect(expected).toHaveLength(5);
  expect(await deliveriesOf(jobs)).toEqual(expected);
  expect(await deliverJobsOf(jobs)).toEqual(expected);
  expect(await states(jobs)).toEqual(['completed', 'completed', 'completed']);
});

it('writes nothing and hands every job to the one-by-one path when a claim of the batch lapsed', async () => {
  const jobs = await published(['x.y', 'x.y']);
  await boss.fail(JOBS.fanOut, { id: jobs[1]!.id, retryCount: jobs[1]!.retryCount });
  const handed: string[] = [];
  const handle = fanOutInBatches({ db, boss, logger: pino({ level: 'silent' }) }, async (js) => { handed.push(...js.map((j) => j.id)); return []; });
  await handle(jobs);
  expect(handed).toEqual(jobs.map((j) => j.id));
  expect(await deliveriesOf(jobs)).toEqual([]);
  expect(await deliverJobsOf(jobs)).toEqual([]);
  expect(await states([jobs[0]!])).toEqual(['active']);
});
