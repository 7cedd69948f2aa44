import { pino } from 'pino';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '@hookline/core';
import { startHookline, type Hookline } from '@hookline/server';
import { ADMIN_TOKEN, startTestHookline, testEnv, type TestHookline } from '@hookline/test-support/hookline';
import { sessionAs } from '@hookline/test-support/console';
import { spawnHookline, type HooklineProcess, apiUrlOf } from '@hookline/test-support/process';

// One limit shared by two api processes: 1 request/s per tenant with a burst of 5. A slow refill
// keeps the count-based bounds below far from what two separate limits (10) would allow.
const RATE = 1;
const BURST = 5;
const limits = { HOOKLINE_API_RATE_LIMIT: String(RATE), HOOKLINE_API_RATE_BURST: String(BURST) };
const admin = { authorization: `Bearer ${ADMIN_TOKEN}` };

let h: TestHookline; // api process 1 (this process)
let other: HooklineProcess; // api process 2 (a child process of the real entry point)
let otherUrl: string;
let unlimited: Hookline | undefined;

beforeAll(async () => {
  h = await startTestHookline({ HOOKLINE_ROLE: 'api', ...limits });
  other = spawnHookline([], testEnv(h.connectionString, { HOOKLINE_ROLE: 'api', HOOKLINE_LOG_LEVEL: 'info', ...limits }));
  otherUrl = await apiUrlOf(other);
}, 120_000);
afterAll(async () => {
  other?.child.kill('SIGKILL');
  await unlimited?.stop();
  await h?.stop();
});

/** A tenant with an application, created through the operator API (which is never limited). */
async function tenantWithApp(name: string): Promise<{ tenantId: string; auth: { authorization: string }; app: string }> {
  const { tenantId, apiKey } = await h.createTenant(name);
  const auth = { authorization: `Bearer ${apiKey}` };
  const app = (await h.http.post('/api/v1/app').set(auth).send({ name }).expect(201)).body.id as string;
  // Start every scenario from a full bucket: the app above took one request.
  await h.hookline.db.deleteFrom('apiRateLimit').where('tenantId', '=', tenantId).execute();
  return { tenantId, auth, app };
}

const servers = () => [h.url, otherUrl];
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function expectRateLimited(res: request.Response): number {
  expect(res.status).toBe(429);
  expect(res.body).toEqual({ code: 'rate_limited', detail: expect.stringContaining('limit') });
  const retryAfter = res.headers['retry-after'];
  expect(retryAfter).toMatch(/^\d+$/);
  expect(Number(retryAfter)).toBeGreaterThanOrEqual(1);
  return Number(retryAfter);
}

async function messageEventIds(tenantId: string): Promise<string[]> {
  const rows = await h.hookline.db.selectFrom('message').select('eventId').where('tenantId', '=', tenantId).execute();
  return rows.map((r) => r.eventId!).sort();
}

describe('per-tenant API rate limit across api processes', () => {
  it('lets through only the one shared burst of simultaneous publishes, and a refused publish stores nothing', async () => {
    const { tenantId, auth, app } = await tenantWithApp('burst');
    const started = Date.now();
    const results = await Promise.all(
      Array.from({ length: 20 }, async (_, i) => {
        const res = await request(servers()[i % 2]!)
          .post(`/api/v1/app/${app}/msg`)
          .set(auth)
          .set('idempotency-key', `idem-${i}`)
          .send({ eventType: 'order.created', eventId: `evt-${i}`, payload: { i } });
        return { i, res };
      }),
    );
    const elapsedSeconds = (Date.now() - started) / 1000;
    const accepted = results.filter((r) => r.res.status === 202);
    const refused = results.filter((r) => r.res.status === 429);
    expect(accepted.length + refused.length).toBe(20);
    // The limiter's own bound: the burst, plus what refills while the requests are being answered.
    expect(accepted.length).toBeGreaterThanOrEqual(1);
    expect(accepted.length).toBeLessThanOrEqual(BURST + Math.ceil(RATE * elapsedSeconds));
    // Both processes answered and both refused some: the limit is one, not one per process.
    for (const server of [0, 1]) expect(refused.some((r) => r.i % 2 === server)).toBe(true);
    for (const r of refused) expectRateLimited(r.res);

    // Exactly the accepted publishes are stored; a refused one left no message and no idempotency key.
    expect(await messageEventIds(tenantId)).toEqual(accepted.map((r) => `evt-${r.i}`).sort());
    const keys = await h.hookline.db.selectFrom('idempotencyKey').select('key').where('tenantId', '=', tenantId).execute();
    expect(keys.map((k) => k.key).sort()).toEqual(accepted.map((r) => `idem-${r.i}`).sort());
  });

  it('lets requests through again after Retry-After, and a retried publish is new, not a replay', async () => {
    const { tenantId, auth, app } = await tenantWithApp('retry');
    // Drain the bucket one request at a time until the first refusal (at most burst + a few refills).
    let refusal: request.Response | undefined;
    for (let i = 0; i < BURST + 10 && !refusal; i++) {
      const res = await request(servers()[i % 2]!)
        .get(`/api/v1/app/${app}`)
        .set(auth);
      if (res.status === 429) refusal = res;
      else expect(res.status).toBe(200);
    }
    expect(refusal).toBeDefined();
    const publish = () =>
      request(otherUrl)
        .post(`/api/v1/app/${app}/msg`)
        .set(auth)
        .set('idempotency-key', 'after-wait')
        .send({ eventType: 'order.created', eventId: 'after-wait', payload: {} });
    const waitSeconds = expectRateLimited(await publish());
    await sleep(waitSeconds * 1000);
    const res = await publish();
    expect(res.status).toBe(202);
    expect(res.headers['idempotent-replayed']).toBeUndefined();
    expect(await messageEventIds(tenantId)).toEqual(['after-wait']);
  });

  it('limits each tenant on its own, counts portal tokens apart from it, and never limits admin or health routes', async () => {
    const limited = await tenantWithApp('limited');
    const portalToken = (await request(otherUrl).post(`/api/v1/auth/app-portal-access/${limited.app}`).set(limited.auth).send({}).expect(200)).body.token as string;
    const portal = { authorization: `Bearer ${portalToken}` };
    const bystander = await tenantWithApp('bystander');

    // The limited tenant spends its burst (and more) with its API key.
    const spent = await Promise.all(
      Array.from({ length: 3 * BURST }, (_, i) =>
        request(servers()[i % 2]!)
          .get('/api/v1/app')
          .set(limited.auth),
      ),
    );
    expect(spent.some((r) => r.status === 429)).toBe(true);
    // Its portal token has a budget of its own (per application), which the API key did not spend...
    await request(h.url).get(`/api/v1/app/${limited.app}/endpoint`).set(portal).expect(200);
    // ...while another tenant still has its whole burst, on either process.
    for (let i = 0; i < BURST; i++)
      await request(servers()[i % 2]!)
        .get('/api/v1/app')
        .set(bystander.auth)
        .expect(200);
    // The operator and health routes carry no tenant and are not limited.
    for (const url of servers()) {
      await request(url).get(`/admin/v1/tenants/${limited.tenantId}`).set(admin).expect(200);
      await request(url).get('/health').expect(200);
      await request(url).get('/ready').expect(200);
    }
    // A request that fails authentication is a 401, not a 429, and counts for nobody.
    await request(h.url).get('/api/v1/app').set({ authorization: 'Bearer hk_not-a-key' }).expect(401);
  });

  it("counts a console session's tenant API requests against its tenant, like its keys", async () => {
    const { tenantId, auth, app } = await tenantWithApp('session-limited');
    const person = await sessionAs(h, tenantId, 'viewer');
    await h.hookline.db.deleteFrom('apiRateLimit').where('tenantId', '=', tenantId).execute();
    // Past the burst, with a few seconds of refill to spare for a slow machine: the key finds the bucket empty.
    const statuses: number[] = [];
    for (let i = 0; i < BURST + 4; i++) statuses.push((await h.http.get(`/api/v1/app/${app}`).set(person.headers)).status);
    expect(statuses.slice(0, BURST)).toEqual(Array(BURST).fill(200));
    expect(statuses).toContain(429);
    expectRateLimited(await h.http.get(`/api/v1/app/${app}`).set(auth));
    // Its own profile is no tenant API call: never limited.
    await h.http.get('/console/v1/me').set(person.headers).expect(200);
  });

  it('does not limit anything with HOOKLINE_API_RATE_LIMIT=0', async () => {
    const { auth } = await tenantWithApp('unlimited');
    unlimited = await startHookline(loadConfig(testEnv(h.connectionString, { HOOKLINE_ROLE: 'api', HOOKLINE_API_RATE_LIMIT: '0' })), pino({ level: 'silent' }));
    const url = `http://127.0.0.1:${unlimited.api!.port}`;
    const statuses = await Promise.all(
      Array.from({ length: 4 * BURST }, () =>
        request(url)
          .get('/api/v1/app')
          .set(auth)
          .then((r) => r.status),
      ),
    );
    expect(statuses).toEqual(Array.from({ length: 4 * BURST }, () => 200));
    // That process counted none of them: a limited one still grants the whole burst, and no more.
    const limitedStatuses: number[] = [];
    for (let i = 0; i < BURST + 10 && !limitedStatuses.includes(429); i++) limitedStatuses.push((await request(h.url).get('/api/v1/app').set(auth)).status);
    expect(limitedStatuses.slice(0, BURST)).toEqual(Array.from({ length: BURST }, () => 200));
    expect(limitedStatuses).toContain(429);
  });
});

describe('configuration', () => {
  it('defaults to 1000 requests/s with a burst of two seconds, and reads 0 as no limit', () => {
    expect(loadConfig({})).toMatchObject({ apiRateLimit: 1000, apiRateBurst: 2000 });
    expect(loadConfig({ HOOKLINE_API_RATE_LIMIT: '0.5' })).toMatchObject({ apiRateLimit: 0.5, apiRateBurst: 1 });
    expect(loadConfig({ HOOKLINE_API_RATE_LIMIT: '50', HOOKLINE_API_RATE_BURST: '7' })).toMatchObject({ apiRateLimit: 50, apiRateBurst: 7 });
    expect(loadConfig({ HOOKLINE_API_RATE_LIMIT: '0' }).apiRateLimit).toBe(0);
    expect(() => loadConfig({ HOOKLINE_API_RATE_LIMIT: '-1' })).toThrow(/HOOKLINE_API_RATE_LIMIT/);
    expect(() => loadConfig({ HOOKLINE_API_RATE_BURST: '0' })).toThrow(/HOOKLINE_API_RATE_BURST/);
  });
});
