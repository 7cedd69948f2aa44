import { pino } from 'pino';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '@hookline/core';
import { startHookline, type Hookline } from '@hookline/server';
import { startReceiver, type Receiver } from '@hookline/test-support/receiver';
import { startTestHookline, testEnv, type TestHookline } from '@hookline/test-support/hookline';
import { waitUntil } from '@hookline/test-support/process';

// Issue 17, 2c: end customers (portal tokens) and repeated calls cannot exhaust or amplify the
// vendor's capacity: portal sessions have their own rate budget per application, one recovery
// runs per endpoint at a time and re-queues a bounded number of deliveries, and an application
// holds a bounded number of endpoints.

type Auth = { authorization: string };
const bearer = (token: string): Auth => ({ authorization: `Bearer ${token}` });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

let h: TestHookline; // api only; workers are started and stopped per test
let receiver: Receiver;
let receiverFails = true;
let receiverSlowMs = 0;
const workers: Hookline[] = [];

beforeAll(async () => {
  h = await startTestHookline({ HOOKLINE_ROLE: 'api' });
  receiver = await startReceiver(() => ({ status: receiverFails ? 500 : 200, ...(receiverSlowMs ? { delayMs: receiverSlowMs } : {}) }));
});
afterAll(async () => {
  for (const w of workers) await w.stop();
  await receiver?.close();
  await h?.stop();
});

async function startWorker(overrides: Record<string, string> = {}): Promise<Hookline> {
  const worker = await startHookline(loadConfig(testEnv(h.connectionString, { HOOKLINE_ROLE: 'worker', ...overrides })), pino({ level: 'silent' }));
  workers.push(worker);
  return worker;
}

async function tenantWithApp(name: string): Promise<{ tenantId: string; auth: Auth; app: string }> {
  const { tenantId, apiKey } = await h.createTenant(name);
  const auth = bearer(apiKey);
  const app = (await h.http.post('/api/v1/app').set(auth).send({ name }).expect(201)).body.id as string;
  return { tenantId, auth, app };
}

const portalToken = async (url: string, auth: Auth, app: string, body: object = {}) =>
  (await request(url).post(`/api/v1/auth/app-portal-access/${app}`).set(auth).send(body).expect(200)).body.token as string;

describe('portal sessions have their own rate budget per application', () => {
  const API = { HOOKLINE_API_RATE_LIMIT: '1', HOOKLINE_API_RATE_BURST: '10' };
  const PORTAL = { HOOKLINE_PORTAL_RATE_LIMIT: '1', HOOKLINE_PORTAL_RATE_BURST: '5' };
  let limited: Hookline;
  let url: string;

  beforeAll(async () => {
    limited = await startHookline(loadConfig(testEnv(h.connectionString, { HOOKLINE_ROLE: 'api', ...API, ...PORTAL })), pino({ level: 'silent' }));
    url = `http://127.0.0.1:${limited.api!.port}`;
  });
  afterAll(async () => limited?.stop());

  it("a read-only portal token's GETs do not make the vendor's next publish get 429", async () => {
    const { tenantId, auth, app } = await tenantWithApp('portal-budget');
    const other = (await h.http.post('/api/v1/app').set(auth).send({ name: 'other' }).expect(201)).body.id as string;
    const readOnly = bearer(await portalToken(url, auth, app, { readOnly: true }));
    const otherPortal = bearer(await portalToken(url, auth, other, { readOnly: true }));
    // Every scenario starts from full buckets.
    await h.hookline.db.deleteFrom('apiRateLimit').where('tenantId', '=', tenantId).execute();

    // The end customer hammers its portal: 30 GETs, three times the tenant's whole burst.
    const gets = await Promise.all(Array.from({ length: 30 }, () => request(url).get(`/api/v1/app/${app}/msg`).set(readOnly)));
    // The vendor's publish right after is accepted (before the fix, the GETs had spent its budget: 429).
    await request(url)
      .post(`/api/v1/app/${app}/msg`)
      .set(auth)
      .send({ eventType: 'order.created', payload: { n: 1 } })
      .expect(202);

    const statuses = gets.map((r) => r.status);
    expect(statuses.filter((s) => s === 200).length).toBeGreaterThanOrEqual(1);
    // Its own budget (a burst of 5, refilling at 1/s) refuses the rest, with the usual 429.
    expect(statuses.filter((s) => s === 200).length).toBeLessThanOrEqual(5 + 3);
    const refused = gets.find((r) => r.status === 429)!;
    expect(refused.body).toEqual({ code: 'rate_limited', detail: expect.stringContaining('limit') });
    expect(Number(refused.headers['retry-after'])).toBeGreaterThanOrEqual(1);

    // The tenant's API budget was untouched: the rest of its burst is there too.
    for (let i = 0; i < 8; i++) await request(url).get(`/api/v1/app/${app}`).set(auth).expect(200);
    // The budget is per application: another application's portal session still gets through.
    await request(url).get(`/api/v1/app/${other}/msg`).set(otherPortal).expect(200);
  });
});

describe('recover: one per endpoint at a time, bounded in rows', () => {
  it('five recovers: one is queued, the others are 409 until its resends were made; each failed delivery is resent once', async () => {
    const { tenantId, auth, app } = await tenantWithApp('recover');
    const ep = (
      await h.http
        .post(`/api/v1/app/${app}/endpoint`)
        .set(auth)
        .send({ url: `${receiver.url}/recover` })
        .expect(201)
    ).body.id as string;
    const since = new Date(Date.now() - 60_000).toISOString();
    const FAILED = 4;
    receiverFails = true;
    // One recovery re-queues at most 3 deliveries here: the task reports where the rest begins.
    await startWorker({ HOOKLINE_RECOVER_MAX_DELIVERIES: '3' });
    for (let i = 0; i < FAILED; i++) await h.http.post(`/api/v1/app/${app}/msg`).set(auth).send({ eventType: 'order.created', payload: { i } }).expect(202);
    const failed = () =>
      h.hookline.db.selectFrom('messageDelivery').select('msgId').where('tenantId', '=', tenantId).where('endpointId', '=', ep).where('status', '=', 2).execute();
    await waitUntil(async () => (await failed()).length === FAILED, 30_000, 'every delivery to fail for good');
    // The receiver is back, but slow: each resend takes 2 s, so they are in flight for a while.
    receiverSlowMs = 2000;
    receiverFails = false;

    const recover = (body: object = { since }) => h.http.post(`/api/v1/app/${app}/endpoint/${ep}/recover`).set(auth).send(body);
    const first = await recover().expect(202);
    const again = await Promise.all(Array.from({ length: 4 }, () => recover()));
    expect(again.map((r) => r.status)).toEqual([409, 409, 409, 409]);
    for (const r of again) expect(r.body).toEqual({ code: 'recover_in_progress', detail: expect.stringContaining('already running') });

    const task = async (id: string) => h.hookline.db.selectFrom('backgroundTask').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    // The worker queued the resends; the task runs on until they were made, refusing other recoveries.
    await waitUntil(async () => 'queuedAt' in ((await task(first.body.id)).data as object), 20_000, 'the resends to be queued');
    expect((await task(first.body.id)).status).toBe('running');
    expect((await recover()).status).toBe(409);
    await waitUntil(async () => (await task(first.body.id)).status === 'finished', 30_000, 'the recovery to finish');
    const data = (await task(first.body.id)).data as { messagesSent: number; limitReached?: boolean; remainingSince?: string };
    expect(data).toEqual({ messagesSent: 3, limitReached: true, remainingSince: expect.any(String) });

    // Once it finished, a recovery is accepted again; from remainingSince it resends the one left.
    const rest = await recover({ since: data.remainingSince }).expect(202);
    await waitUntil(async () => (await task(rest.body.id)).status === 'finished', 30_000, 'the second recovery to finish');
    expect((await task(rest.body.id)).data).toEqual({ messagesSent: 1 });

    const manual = async () =>
      (
        await h.hookline.db
          .selectFrom('messageAttempt')
          .select('msgId')
          .where('tenantId', '=', tenantId)
          .where('endpointId', '=', ep)
          .where('triggerType', '=', 1)
          .execute()
      ).map((a) => a.msgId);
    await sleep(1000); // time for any extra resend to show up
    // Every failed delivery was resent exactly once: not five times over.
    expect(new Set(await manual()).size).toBe(FAILED);
    expect((await manual()).length).toBe(FAILED);
    expect(await failed()).toEqual([]);
    receiverSlowMs = 0;
    for (const w of workers.splice(0)) await w.stop();
  });

  it('stays a 409, never a 500, however often it is asked (the conflict is found under a generic plan too)', async () => {
    const { auth, app } = await tenantWithApp('recover-repeat');
    const ep = (
      await h.http
        .post(`/api/v1/app/${app}/endpoint`)
        .set(auth)
        .send({ url: `${receiver.url}/repeat` })
        .expect(201)
    ).body.id as string;
    const statuses: number[] = [];
    // No worker runs: the first stays running. Prepared statements switch to a generic plan after five runs.
    for (let i = 0; i < 12; i++) {
      statuses.push(
        (
          await h.http
            .post(`/api/v1/app/${app}/endpoint/${ep}/recover`)
            .set(auth)
            .send({ since: new Date(Date.now() - 1000).toISOString() })
        ).status,
      );
    }
    expect(statuses).toEqual([202, ...Array.from({ length: 11 }, () => 409)]);
  });
});

describe('endpoints per application are capped', () => {
  it('a portal token cannot create more than 50 endpoints in one application; nor can the API key', async () => {
    const { auth, app } = await tenantWithApp('endpoint-cap');
    const portal = bearer(await portalToken(h.url, auth, app));
    const create = (who: Auth, i: number) =>
      h.http
        .post(`/api/v1/app/${app}/endpoint`)
        .set(who)
        .send({ url: `${receiver.url}/cap/${i}` });
    for (let i = 0; i < 45; i++) await create(portal, i).expect(201);
    // Concurrent creations cannot pass the cap together: 10 at once when 5 places are left.
    const burst = await Promise.all(Array.from({ length: 10 }, (_, i) => create(portal, 100 + i)));
    expect(burst.filter((r) => r.status === 201)).toHaveLength(5);
    const over = burst.filter((r) => r.status !== 201);
    expect(over.map((r) => r.status)).toEqual([409, 409, 409, 409, 409]);
    expect(over[0]!.body).toEqual({ code: 'endpoint_limit_reached', detail: expect.stringContaining('50') });

    // The API key and a PUT that would create are refused alike, and nothing was stored.
    expect((await create(auth, 200)).status).toBe(409);
    expect(
      (
        await h.http
          .put(`/api/v1/app/${app}/endpoint/new-by-put`)
          .set(auth)
          .send({ url: `${receiver.url}/put` })
      ).status,
    ).toBe(409);
    const list = await h.http.get(`/api/v1/app/${app}/endpoint?limit=250`).set(auth).expect(200);
    expect(list.body.data).toHaveLength(50);

    // One deleted frees one place; another application has its own 50.
    await h.http.delete(`/api/v1/app/${app}/endpoint/${list.body.data[0].id}`).set(auth).expect(204);
    await create(portal, 300).expect(201);
    expect((await create(portal, 301)).status).toBe(409);
    const other = (await h.http.post('/api/v1/app').set(auth).send({ name: 'other' }).expect(201)).body.id as string;
    await h.http
      .post(`/api/v1/app/${other}/endpoint`)
      .set(auth)
      .send({ url: `${receiver.url}/other` })
      .expect(201);
  });
});
