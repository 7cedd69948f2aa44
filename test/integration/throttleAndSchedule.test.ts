import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startReceiver, type Receiver } from '@hookline/test-support/receiver';
import { ADMIN_TOKEN, startTestHookline, testEnv, type TestHookline } from '@hookline/test-support/hookline';
import { spawnHookline, waitUntil, type HooklineProcess } from '@hookline/test-support/process';

let h: TestHookline;
let secondWorker: HooklineProcess;
const receivers: Receiver[] = [];

beforeAll(async () => {
  h = await startTestHookline();
  // A second worker process on the same database: the throttle must hold across both.
  secondWorker = spawnHookline([], testEnv(h.connectionString, { HOOKLINE_ROLE: 'worker', HOOKLINE_LOG_LEVEL: 'info' }));
  await waitUntil(() => secondWorker.output().includes('worker started') || secondWorker.child.exitCode !== null, 30_000, 'second worker');
});
afterAll(async () => {
  secondWorker?.child.kill('SIGKILL');
  await Promise.all(receivers.map((r) => r.close()));
  await h?.stop();
});

async function receiver(reply?: Parameters<typeof startReceiver>[0]) {
  const r = await startReceiver(reply);
  receivers.push(r);
  return r;
}

/** Most requests that arrived within any window of `ms`. */
function peak(r: Receiver, ms: number): number {
  const times = r.requests.map((q) => q.at).sort((a, b) => a - b);
  let best = 0;
  for (let i = 0, j = 0; i < times.length; i++) {
    while (times[i]! - times[j]! >= ms) j++;
    best = Math.max(best, i - j + 1);
  }
  return best;
}

describe('throttleRate', () => {
  it('holds an endpoint to its rate across worker processes; excess waits and nothing is dropped', async () => {
    const auth = { authorization: `Bearer ${(await h.createTenant()).apiKey}` };
    const r = await receiver();
    const app = (await h.http.post('/api/v1/app').set(auth).send({ name: 't' }).expect(201)).body.id;
    await h.http
      .post(`/api/v1/app/${app}/endpoint`)
      .set(auth)
      .send({ url: `${r.url}/t`, throttleRate: 5 })
      .expect(201);
    const ids = await Promise.all(
      Array.from(
        { length: 20 },
        async (_, i) => (await h.http.post(`/api/v1/app/${app}/msg`).set(auth).send({ eventType: 'x.y', payload: { i } }).expect(202)).body.id as string,
      ),
    );
    await r.waitFor(20, 30_000);
    expect(new Set(r.requests.map((q) => q.headers['webhook-id']))).toEqual(new Set(ids));
    // 5 per second: never more than 5 (plus one at the window's edge) in any second, plus one more
    // when a busy machine delays a send by a slot (200 ms) so that it arrives with the next ones.
    // Without the throttle all 20 arrive within a second; the span below checks the pace.
    expect(peak(r, 1000)).toBeLessThanOrEqual(7);
    const span = r.requests.at(-1)!.at - r.requests[0]!.at;
    expect(span).toBeGreaterThanOrEqual(19 * 200 * 0.9);
  }, 60_000);

  it("falls back to the application's rate", async () => {
    const auth = { authorization: `Bearer ${(await h.createTenant()).apiKey}` };
    const r = await receiver();
    const app = (await h.http.post('/api/v1/app').set(auth).send({ name: 't', throttleRate: 4 }).expect(201)).body.id;
    await h.http
      .post(`/api/v1/app/${app}/endpoint`)
      .set(auth)
      .send({ url: `${r.url}/t` })
      .expect(201);
    await Promise.all(Array.from({ length: 12 }, (_, i) => h.http.post(`/api/v1/app/${app}/msg`).set(auth).send({ eventType: 'x.y', payload: { i } }).expect(202)));
    await r.waitFor(12, 30_000);
    expect(peak(r, 1000)).toBeLessThanOrEqual(5);
  }, 60_000);
});

describe('per-tenant retry schedule', () => {
  it("uses the tenant's own schedule instead of the deployment's", async () => {
    const tenant = await h.createTenant();
    const admin = { authorization: `Bearer ${ADMIN_TOKEN}` };
    const patched = await h.http
      .patch(`/admin/v1/tenants/${tenant.tenantId}`)
      .set(admin)
      .send({ retrySchedule: [2, 2] })
      .expect(200);
    expect(patched.body.retrySchedule).toEqual([2, 2]);
    await h.http.patch(`/admin/v1/tenants/${tenant.tenantId}`).set(admin).send({ retrySchedule: [] }).expect(422);

    const auth = { authorization: `Bearer ${tenant.apiKey}` };
    const r = await receiver(() => ({ status: 500 }));
    const app = (await h.http.post('/api/v1/app').set(auth).send({ name: 's' }).expect(201)).body.id;
    await h.http
      .post(`/api/v1/app/${app}/endpoint`)
      .set(auth)
      .send({ url: `${r.url}/s` })
      .expect(201);
    const msg = (await h.http.post(`/api/v1/app/${app}/msg`).set(auth).send({ eventType: 'x.y', payload: {} }).expect(202)).body.id;
    await waitUntil(
      async () => {
        const d = await h.http.get(`/api/v1/app/${app}/msg/${msg}/endpoint`).set(auth).expect(200);
        return d.body.data[0]?.status === 2;
      },
      20_000,
      'the delivery to fail for good',
    );
    // The deployment's test schedule (1,1,1) would make four attempts a second apart.
    expect(r.requests).toHaveLength(3);
    for (let i = 1; i < 3; i++) expect(r.requests[i]!.at - r.requests[i - 1]!.at).toBeGreaterThanOrEqual(1500);
  }, 60_000);
});
