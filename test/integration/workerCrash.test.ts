import { afterAll, beforeAll, expect, it } from 'vitest';
import { startReceiver, type Receiver } from '@hookline/test-support/receiver';
import { startTestHookline, testEnv, type TestHookline } from '@hookline/test-support/hookline';
import { spawnHookline, waitUntil, type HooklineProcess } from '@hookline/test-support/process';

const MESSAGES = 200;

let h: TestHookline;
let receiver: Receiver;
let worker: HooklineProcess | undefined;

beforeAll(async () => {
  // The api runs here; the worker is a separate process so it can be killed for real.
  h = await startTestHookline({ HOOKLINE_ROLE: 'api' });
  // Every response is held back a little so that, when the worker dies, requests are in flight:
  // received by the receiver, but never recorded by Hookline.
  receiver = await startReceiver(() => ({ status: 200, delayMs: 150 }));
});
afterAll(async () => {
  worker?.child.kill('SIGKILL');
  await receiver?.close();
  await h?.stop();
});

it('delivers every message at least once when the worker is SIGKILLed midway, redelivering with the same webhook-id', async () => {
  const { apiKey } = await h.createTenant();
  const auth = { authorization: `Bearer ${apiKey}` };
  await h.http.post('/api/v1/event-type').set(auth).send({ name: 'order.created', description: 'x' }).expect(201);
  const app = await h.http.post('/api/v1/app').set(auth).send({ name: 'crash' }).expect(201);
  await h.http
    .post(`/api/v1/app/${app.body.id}/endpoint`)
    .set(auth)
    .send({ url: `${receiver.url}/hook` })
    .expect(201);

  const published = new Map<string, string>();
  for (let i = 0; i < MESSAGES; i++) {
    const payload = { order: i };
    const res = await h.http.post(`/api/v1/app/${app.body.id}/msg`).set(auth).send({ eventType: 'order.created', payload }).expect(202);
    published.set(res.body.id as string, JSON.stringify(payload));
  }

  const env = testEnv(h.connectionString, { HOOKLINE_ROLE: 'worker', HOOKLINE_DELIVERY_CONCURRENCY: '16', HOOKLINE_LOG_LEVEL: 'warn' });
  worker = spawnHookline([], env);
  await receiver.waitFor(MESSAGES / 4, 30_000).catch((err: unknown) => {
    throw new Error(`${String(err)}\n${worker?.output()}`);
  });
  worker.child.kill('SIGKILL');
  expect(await worker.exited).toBe('SIGKILL');
  const receivedAtKill = receiver.requests.length;
  expect(receivedAtKill).toBeLessThan(MESSAGES);

  worker = spawnHookline([], env);
  // Jobs the killed worker held come back once their heartbeat lapses (10 s) and supervision
  // notices; only then is every delivery recorded as successful.
  await waitUntil(
    async () => {
      const row = await h.hookline.db
        .selectFrom('messageDelivery')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('status', '=', 0)
        .executeTakeFirstOrThrow();
      return Number(row.n) === MESSAGES;
    },
    60_000,
    'all deliveries recorded as successful',
  );

  const byId = new Map<string, string[]>();
  for (const r of receiver.requests) {
    const id = String(r.headers['webhook-id']);
    byId.set(id, [...(byId.get(id) ?? []), r.body]);
  }
  // Every accepted message arrived, nothing arrived that was not accepted, bodies are intact.
  expect(new Set(byId.keys())).toEqual(new Set(published.keys()));
  for (const [id, bodies] of byId) for (const body of bodies) expect(body).toBe(published.get(id));
  // Requests in flight at the kill were never recorded, so they were sent again under the same id.
  const redelivered = [...byId.values()].filter((bodies) => bodies.length > 1).length;
  expect(redelivered).toBeGreaterThan(0);
  // One recorded attempt per message: the in-flight requests of the dead worker left no rows.
  const attempts = await h.hookline.db
    .selectFrom('messageAttempt')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  expect(Number(attempts.n)).toBe(MESSAGES);
}, 120_000);
