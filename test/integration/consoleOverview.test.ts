import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sessionAs } from '@hookline/test-support/console';
import { ADMIN_TOKEN, startTestHookline, type TestHookline } from '@hookline/test-support/hookline';
import { waitUntil } from '@hookline/test-support/process';
import { startReceiver, type Receiver } from '@hookline/test-support/receiver';

// The console's overview (GET /api/v1/stats/overview) and its application list with health
// (GET /api/v1/app?include=stats, ?search=), over real deliveries to real receivers: one that
// answers 200, one 500, one 410 (the worker disables it), one that holds every request until
// released. A tenant retry schedule of an hour keeps the failed deliveries waiting for their retry.

type Auth = Record<string, string>;
const admin = { authorization: `Bearer ${ADMIN_TOKEN}` };

/** A receiver that answers nothing until released, then 200 to every request (held or new). */
async function startHoldingReceiver() {
  const held: ServerResponse[] = [];
  let released = false;
  let received = 0;
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      received += 1;
      if (released) res.end('ok');
      else held.push(res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    received: () => received,
    release() {
      released = true;
      for (const res of held.splice(0)) res.end('ok');
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

let h: TestHookline;
let ok: Receiver;
let failing: Receiver;
let gone: Receiver;
let holding: Awaited<ReturnType<typeof startHoldingReceiver>>;
let t: { tenantId: string; key: Auth };
let u: { tenantId: string; key: Auth };
const ep: Record<'ok' | 'failing' | 'gone' | 'manual' | 'slow', string> = { ok: '', failing: '', gone: '', manual: '', slow: '' };
const app: Record<'billing' | 'shipping' | 'slow' | 'empty', string> = { billing: '', shipping: '', slow: '', empty: '' };

const overview = async (auth: Auth, window?: string) =>
  (
    await h.http
      .get('/api/v1/stats/overview')
      .query(window ? { window } : {})
      .set(auth)
      .expect(200)
  ).body;
const rawAttempts = async (tenantId: string) =>
  (
    await sql<{ success: number; fail: number }>`SELECT count(*) FILTER (WHERE status = 0)::int AS success, count(*) FILTER (WHERE status <> 0)::int AS fail
      FROM message_attempt WHERE tenant_id = ${tenantId}`.execute(h.hookline.db)
  ).rows[0]!;
const publish = (appId: string, payload: object) => h.http.post(`/api/v1/app/${appId}/msg`).set(t.key).send({ eventType: 'order.updated', payload }).expect(202);

beforeAll(async () => {
  [ok, failing, gone, holding] = await Promise.all([
    startReceiver(),
    startReceiver(() => ({ status: 500, body: 'boom: upstream down' })),
    startReceiver(() => ({ status: 410 })),
    startHoldingReceiver(),
  ]);
  // Held requests must not time out while the test looks at them.
  h = await startTestHookline({ HOOKLINE_DELIVERY_TIMEOUT_MS: '60000' });
  const [a, b] = [await h.createTenant('overview-t'), await h.createTenant('overview-u')];
  t = { tenantId: a.tenantId, key: { authorization: `Bearer ${a.apiKey}` } };
  u = { tenantId: b.tenantId, key: { authorization: `Bearer ${b.apiKey}` } };
  await h.http
    .patch(`/admin/v1/tenants/${t.tenantId}`)
    .set(admin)
    .send({ retrySchedule: [3600] })
    .expect(200);
  const createApp = async (name: string, uid: string) => (await h.http.post('/api/v1/app').set(t.key).send({ name, uid }).expect(201)).body.id as string;
  const createEndpoint = async (appId: string, body: object) => (await h.http.post(`/api/v1/app/${appId}/endpoint`).set(t.key).send(body).expect(201)).body.id as string;
  app.billing = await createApp('Billing', 'billing');
  app.shipping = await createApp('Shipping', 'shipping');
  app.slow = await createApp('Slow reports', 'slow');
  app.empty = await createApp('Percent 100%', 'empty');
  await createApp('Plain 1000', 'plain');
  ep.ok = await createEndpoint(app.billing, { url: ok.url });
  ep.failing = await createEndpoint(app.billing, { url: failing.url });
  ep.gone = await createEndpoint(app.shipping, { url: gone.url });
  // A payload filter sends shipping's messages through the transactional fan-out.
  ep.manual = await createEndpoint(app.shipping, { url: ok.url, filter: { region: 'eu' } });
  await h.http.patch(`/api/v1/app/${app.shipping}/endpoint/${ep.manual}`).set(t.key).send({ disabled: true }).expect(200);
  ep.slow = await createEndpoint(app.slow, { url: holding.url });

  for (let i = 0; i < 2; i++) await publish(app.billing, { order: i });
  await publish(app.shipping, { region: 'us' });
  for (let i = 0; i < 3; i++) await publish(app.slow, { report: i });
  await waitUntil(
    async () => {
      const a = await rawAttempts(t.tenantId);
      return a.success === 2 && a.fail === 3 && holding.received() === 3;
    },
    20_000,
    'two successes, three failures and three held requests',
  );
  await waitUntil(
    async () => (await h.http.get(`/api/v1/app/${app.shipping}/endpoint/${ep.gone}`).set(t.key).expect(200)).body.disabled === true,
    10_000,
    'the 410 endpoint disabled',
  );
});
afterAll(async () => {
  holding?.release();
  await h?.stop();
  await Promise.all([ok?.close(), failing?.close(), gone?.close(), holding?.close()]);
});

describe('the stats overview', () => {
  it('sums the statistics of the window, counts the backlog and lists the endpoints that need attention', async () => {
    const body = await overview(t.key);
    expect(body).toMatchObject({ window: 'day', granularity: 'hour' });
    expect(body.totals).toMatchObject({ ...(await rawAttempts(t.tenantId)), successRate: 0.4 });
    expect(body.totals.latencyMs).toMatchObject({ p50: expect.any(Number), p99: expect.any(Number) });
    const sum = (k: 'success' | 'fail') => (body.data as Array<Record<string, number>>).reduce((s, b) => s + b[k]!, 0);
    expect({ success: sum('success'), fail: sum('fail') }).toEqual({ success: 2, fail: 3 });
    // Three held (in flight, still pending) to a working endpoint; two failed, waiting an hour for their retry.
    expect(body.backlog).toEqual({ pending: 3, retrying: 2 });

    expect(body.failingEndpoints.total).toBe(1);
    expect(body.failingEndpoints.data).toEqual([
      {
        id: ep.failing,
        uid: null,
        url: failing.url,
        appId: app.billing,
        appUid: 'billing',
        appName: 'Billing',
        failingSince: expect.any(String),
        lastAttempt: {
          id: expect.stringMatching(/^atmpt_/),
          msgId: expect.stringMatching(/^msg_/),
          timestamp: expect.any(String),
          responseStatusCode: 500,
          response: 'boom: upstream down',
        },
      },
    ]);
    // The endpoint disabled by hand is not among those the worker disabled.
    expect(body.autoDisabledEndpoints).toEqual({
      total: 1,
      data: [
        {
          id: ep.gone,
          uid: null,
          url: gone.url,
          appId: app.shipping,
          appUid: 'shipping',
          appName: 'Shipping',
          failingSince: expect.any(String),
          disabledAt: expect.any(String),
          reason: 'gone',
        },
      ],
    });
  });

  it('answers for the last hour in minutes and the last week in hours; refuses another window with 422', async () => {
    const hour = await overview(t.key, 'hour');
    expect(hour.granularity).toBe('minute');
    expect(hour.data.length).toBeGreaterThanOrEqual(60);
    expect(hour.data.length).toBeLessThanOrEqual(61);
    const week = await overview(t.key, 'week');
    expect(week.granularity).toBe('hour');
    expect(week.data.length).toBeGreaterThanOrEqual(168);
    for (const body of [hour, week]) expect({ success: body.totals.success, fail: body.totals.fail }).toEqual({ success: 2, fail: 3 });
    const bad = await h.http.get('/api/v1/stats/overview?window=month').set(t.key).expect(422);
    expect(bad.body.detail[0]).toMatchObject({ loc: ['query', 'window'] });
  });

  it("shows another tenant none of this tenant's figures, and a viewer this tenant's", async () => {
    const other = await h.http.get('/api/v1/stats/overview').set(u.key).expect(200);
    expect(other.body).toMatchObject({
      totals: { success: 0, fail: 0, successRate: null, latencyMs: null },
      backlog: { pending: 0, retrying: 0 },
      failingEndpoints: { total: 0, data: [] },
      autoDisabledEndpoints: { total: 0, data: [] },
    });
    for (const id of [...Object.values(ep), ...Object.values(app), t.tenantId]) expect(other.text).not.toContain(id);
    const viewer = await sessionAs(h, t.tenantId, 'viewer');
    expect((await overview(viewer.headers)).backlog).toEqual({ pending: 3, retrying: 2 });
  });
});

describe('the application list', () => {
  it("keeps Svix's shape, and with include=stats gives each application's endpoints and health", async () => {
    const plain = (await h.http.get('/api/v1/app').set(t.key).expect(200)).body.data as Array<Record<string, unknown>>;
    expect(plain).toHaveLength(5);
    for (const a of plain) expect(Object.keys(a).sort()).toEqual(['createdAt', 'id', 'metadata', 'name', 'throttleRate', 'uid', 'updatedAt']);
    const listed = (await h.http.get('/api/v1/app?include=stats').set(t.key).expect(200)).body.data as Array<{ uid: string; stats: unknown }>;
    const statsOf = (uid: string) => listed.find((a) => a.uid === uid)?.stats;
    expect(statsOf('billing')).toEqual({
      endpoints: 2,
      failingEndpoints: 1,
      disabledEndpoints: 0,
      health: 'degraded',
      last24h: { success: 2, fail: 2, successRate: 0.5 },
    });
    expect(statsOf('shipping')).toEqual({
      endpoints: 2,
      failingEndpoints: 0,
      disabledEndpoints: 2,
      health: 'disabled',
      last24h: { success: 0, fail: 1, successRate: 0 },
    });
    expect(statsOf('slow')).toMatchObject({ endpoints: 1, health: 'healthy', last24h: { success: 0, fail: 0, successRate: null } });
    expect(statsOf('empty')).toMatchObject({ endpoints: 0, health: 'noEndpoints' });
  });

  it('searches names and uids, whatever the case, taking % and _ literally, page by page', async () => {
    const search = async (q: string, extra = '') =>
      (
        (
          await h.http
            .get(`/api/v1/app?search=${encodeURIComponent(q)}${extra}`)
            .set(t.key)
            .expect(200)
        ).body.data as Array<{ uid: string }>
      ).map((a) => a.uid);
    expect(await search('BILL')).toEqual(['billing']);
    expect(await search('100%')).toEqual(['empty']);
    expect(await search('_')).toEqual([]);
    expect(await search('I')).toEqual(['billing', 'shipping', 'plain']);
    const first = await h.http.get('/api/v1/app?search=i&limit=2&include=stats').set(t.key).expect(200);
    expect(first.body.data.map((a: { uid: string }) => a.uid)).toEqual(['billing', 'shipping']);
    expect(first.body.done).toBe(false);
    const next = await h.http.get(`/api/v1/app?search=i&limit=2&iterator=${first.body.iterator}`).set(t.key).expect(200);
    expect(next.body).toMatchObject({ data: [expect.objectContaining({ uid: 'plain' })], done: true });
    // Another tenant finds nothing of this one's.
    expect((await h.http.get('/api/v1/app?search=bill&include=stats').set(u.key).expect(200)).body.data).toEqual([]);
    for (const q of ['search=', 'include=everything', `search=${'x'.repeat(257)}`]) {
      const res = await h.http.get(`/api/v1/app?${q}`).set(t.key).expect(422);
      expect(res.body.detail[0].loc[0]).toBe('query');
    }
  });
});

describe('the backlog as deliveries settle', () => {
  it('leaves a disabled endpoint out, and empties once held deliveries are made', async () => {
    // Disabled by hand while failing: neither failing now nor disabled by the worker, and its retries wait for nothing.
    await h.http.patch(`/api/v1/app/${app.billing}/endpoint/${ep.failing}`).set(t.key).send({ disabled: true }).expect(200);
    let body = await overview(t.key);
    expect(body.backlog).toEqual({ pending: 3, retrying: 0 });
    expect(body.failingEndpoints).toEqual({ total: 0, data: [] });
    expect(body.autoDisabledEndpoints.data.map((e: { id: string }) => e.id)).toEqual([ep.gone]);
    holding.release();
    await waitUntil(async () => (await overview(t.key)).backlog.pending === 0, 20_000, 'the held deliveries made');
    body = await overview(t.key);
    expect(body.totals).toMatchObject({ success: 5, fail: 3 });
  });
});
