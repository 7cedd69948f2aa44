import { sql } from 'kysely';
import request from 'supertest';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startReceiver, type Receiver } from '@hookline/test-support/receiver';
import { ADMIN_TOKEN, startTestHookline, testEnv, type TestHookline } from '@hookline/test-support/hookline';
import { spawnHookline, waitUntil, type HooklineProcess, apiUrlOf } from '@hookline/test-support/process';
import { QUEUE_SCHEMA } from '@hookline/test-support/queueTables';

// Scale-out: 2 api and 3 worker processes on one database, nothing held in one process.
const MESSAGES = 2000;
const CONCURRENCY = 20;

let h: TestHookline; // only for the database and its helpers; it runs neither role's traffic
let apis: Array<{ proc: HooklineProcess; url: string }> = [];
let workers: HooklineProcess[] = [];
let receivers: Receiver[] = [];

beforeAll(async () => {
  // Six processes share a server that may allow only 100 connections (PostgreSQL's default).
  h = await startTestHookline({ HOOKLINE_ROLE: 'api', HOOKLINE_DB_POOL_SIZE: '4' });
  const env = (role: string) => testEnv(h.connectionString, { HOOKLINE_ROLE: role, HOOKLINE_LOG_LEVEL: 'debug', HOOKLINE_DB_POOL_SIZE: '6' });
  workers = [spawnHookline([], env('worker')), spawnHookline([], env('worker')), spawnHookline([], env('worker'))];
  apis = await Promise.all(
    [0, 1].map(async () => {
      const proc = spawnHookline([], env('api'));
      return { proc, url: await apiUrlOf(proc) };
    }),
  );
  await waitUntil(() => workers.every((w) => w.output().includes('worker started')), 60_000, 'the workers');
  receivers = [await startReceiver(), await startReceiver()];
}, 120_000);
afterAll(async () => {
  for (const p of [...workers, ...apis.map((a) => a.proc)]) p.child.kill('SIGKILL');
  await Promise.all(receivers.map((r) => r.close()));
  await h?.stop();
});

it('delivers every message once per endpoint with 2 api and 3 worker processes, spreading the work', async () => {
  const admin = { authorization: `Bearer ${ADMIN_TOKEN}` };
  const tenant = await request(apis[0]!.url).post('/admin/v1/tenants').set(admin).send({ name: 'scale' }).expect(201);
  const key = await request(apis[1]!.url).post(`/admin/v1/tenants/${tenant.body.id}/api-keys`).set(admin).send({}).expect(201);
  const auth = { authorization: `Bearer ${key.body.key}` };
  const app = (await request(apis[0]!.url).post('/api/v1/app').set(auth).send({ name: 'scale' }).expect(201)).body.id;
  for (const r of receivers)
    await request(apis[1]!.url)
      .post(`/api/v1/app/${app}/endpoint`)
      .set(auth)
      .send({ url: `${r.url}/s` })
      .expect(201);

  const published: string[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async (_, lane) => {
      while (next < MESSAGES) {
        const i = next++;
        // Alternate the api processes, as a load balancer would.
        const res = await request(apis[(i + lane) % 2]!.url)
          .post(`/api/v1/app/${app}/msg`)
          .set(auth)
          .send({ eventType: 'x.y', payload: { i } })
          .expect(202);
        published.push(res.body.id);
      }
    }),
  );
  expect(published).toHaveLength(MESSAGES);

  for (const r of receivers) await r.waitFor(MESSAGES, 120_000);
  await new Promise((res) => setTimeout(res, 500));
  for (const r of receivers) {
    const ids = r.requests.map((q) => String(q.headers['webhook-id']));
    expect(new Set(ids)).toEqual(new Set(published));
    // At-least-once: duplicates are possible in principle, but rare: none expected without crashes.
    expect(ids.length - new Set(ids).size).toBeLessThanOrEqual(Math.ceil(MESSAGES * 0.001));
  }

  // Every worker process did a share of the attempts.
  const perWorker = workers.map(
    (w) =>
      w
        .output()
        .split('\n')
        .filter((l) => l.includes('"attempt recorded"')).length,
  );
  expect(perWorker.reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(2 * MESSAGES);
  for (const n of perWorker) expect(n).toBeGreaterThan(0);

  // Scheduled maintenance exists once for the deployment, however many workers registered it.
  const { rows } = await sql<{ n: number }>`SELECT count(*)::int AS n FROM ${sql.table(`${QUEUE_SCHEMA}.schedule`)} WHERE name = 'maintenance.v1'`.execute(h.hookline.db);
  expect(rows[0]!.n).toBe(1);
}, 240_000);
