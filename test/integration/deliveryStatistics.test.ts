import pg from 'pg';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId, percentiles, runMaintenance } from '@hookline/core';
import { connectDatabase, deliveryStatsRepo } from '@hookline/db';
import { startReceiver, type ReceivedRequest, type Receiver, type Reply } from '@hookline/test-support/receiver';
import { startTestHookline, type TestHookline } from '@hookline/test-support/hookline';
import { waitUntil } from '@hookline/test-support/process';
import { svixClient } from '@hookline/test-support/svix';

// Issue 19 item 3: attempt statistics per minute and hour, and the endpoint stats' delivery counts
// by current status, are kept by the statements that write attempts and deliveries (migration
// 0020). Real deliveries to real receivers (signatures checked with standardwebhooks) succeed,
// fail, are retried, resent and recovered; every figure must equal what the raw rows say.

const { LATENCY_BOUNDS_MS } = deliveryStatsRepo;
const SLOW_MS = 300;

let h: TestHookline;
let client: pg.Client;
let apiKey: string;
let tenantId: string;
let auth: { authorization: string };
let appId: string;
let otherAppId: string;
const receivers: Receiver[] = [];
/** Endpoints by role: answers 200 (verifying the signature), always 500, 503 once then 200, 404, slow 200. */
const ep: Record<'ok' | 'failing' | 'flaky' | 'gone' | 'slow', string> = { ok: '', failing: '', flaky: '', gone: '', slow: '' };
let failingUp = false;
let unverified = 0;
let verified = 0;
let started: Date;
const MESSAGES = 12;

const rows = async (text: string, values: unknown[] = []) => (await client.query(text, values)).rows;

async function receiver(reply: (req: ReceivedRequest, n: number) => Reply): Promise<Receiver> {
  const r = await startReceiver(reply);
  receivers.push(r);
  return r;
}

async function endpoint(app: string, url: string): Promise<string> {
  return (await h.http.post(`/api/v1/app/${app}/endpoint`).set(auth).send({ url }).expect(201)).body.id as string;
}

const publish = async (app: string) =>
  (
    await h.http
      .post(`/api/v1/app/${app}/msg`)
      .set(auth)
      .send({ eventType: 'stats.test', payload: { n: 1 } })
      .expect(202)
  ).body.id as string;

/** Every delivery of the tenant is settled (no pending or sending one left). */
const settled = async () => Number((await rows(`SELECT count(*) FROM message_delivery WHERE tenant_id = $1 AND status IN (1, 3)`, [tenantId]))[0].count) === 0;

const series = async (path: string, query: Record<string, string>) => (await h.http.get(path).query(query).set(auth).expect(200)).body;

/** The raw attempts per bucket (minute or hour) of a scope, as the series reports them. */
async function rawSeries(where: string, values: unknown[], unit: 'minute' | 'hour') {
  const attempts = await rows(
    `SELECT date_trunc('${unit}', created_at, 'UTC') AS bucket, status, response_status_code AS code, response_duration_ms AS ms
     FROM message_attempt WHERE tenant_id = $1 ${where} ORDER BY bucket`,
    [tenantId, ...values],
  );
  const out = new Map<string, { success: number; fail: number; responses: Record<string, number>; latencyHistogram: number[] }>();
  for (const a of attempts) {
    const key = new Date(a.bucket).toISOString();
    const b = out.get(key) ?? {
      success: 0,
      fail: 0,
      responses: { '2xx': 0, '3xx': 0, '4xx': 0, '5xx': 0, other: 0 },
      latencyHistogram: new Array<number>(LATENCY_BOUNDS_MS.length + 1).fill(0),
    };
    if (a.status === 0) b.success++;
    else b.fail++;
    const cls = a.code >= 200 && a.code <= 599 ? `${Math.floor(a.code / 100)}xx` : 'other';
    b.responses[cls]!++;
    b.latencyHistogram[LATENCY_BOUNDS_MS.filter((bound) => a.ms >= bound).length]!++;
    out.set(key, b);
  }
  return out;
}

/** The series' non-empty buckets keyed by start, in rawSeries' shape. */
function nonEmpty(body: { data: Array<{ start: string; success: number; fail: number; responses: object; latencyHistogram: number[] }> }) {
  return new Map(
    body.data
      .filter((b) => b.success + b.fail > 0)
      .map((b) => [b.start, { success: b.success, fail: b.fail, responses: b.responses, latencyHistogram: b.latencyHistogram }]),
  );
}

/** Svix's endpoint stats, from the raw delivery rows. */
async function rawStats(endpointId: string) {
  const counts = await rows(`SELECT status, count(*)::int AS n FROM message_delivery WHERE endpoint_id = $1 GROUP BY status`, [endpointId]);
  const n = (s: number) => counts.find((c) => c.status === s)?.n ?? 0;
  return { success: n(0), pending: n(1), fail: n(2), sending: n(3), canceled: n(4) };
}

const stats = async (endpointId: string, app = appId) => (await h.http.get(`/api/v1/app/${app}/endpoint/${endpointId}/stats`).set(auth).expect(200)).body;

beforeAll(async () => {
  h = await startTestHookline({ HOOKLINE_RETRY_SCHEDULE: '1,1' });
  client = new pg.Client({ connectionString: h.connectionString });
  await client.connect();
  ({ apiKey, tenantId } = await h.createTenant('stats'));
  auth = { authorization: `Bearer ${apiKey}` };
  appId = (await h.http.post('/api/v1/app').set(auth).send({ name: 'stats' }).expect(201)).body.id;
  otherAppId = (await h.http.post('/api/v1/app').set(auth).send({ name: 'other' }).expect(201)).body.id;
  started = new Date();

  let secret = '';
  const ok = await receiver((req) => {
    if (req.path !== '/ok') return { status: 200 };
    try {
      new Webhook(secret).verify(req.body, req.headers as Record<string, string>);
      verified++;
    } catch {
      unverified++;
    }
    return { status: 200 };
  });
  ep.ok = await endpoint(appId, `${ok.url}/ok`);
  secret = (await h.http.get(`/api/v1/app/${appId}/endpoint/${ep.ok}/secret`).set(auth).expect(200)).body.key;
  ep.failing = await endpoint(appId, `${(await receiver(() => ({ status: failingUp ? 200 : 500 }))).url}/failing`);
  const flakySeen = new Set<string>();
  ep.flaky = await endpoint(
    appId,
    `${
      (
        await receiver((req) => {
          const id = String(req.headers['webhook-id']);
          if (flakySeen.has(id)) return { status: 200 };
          flakySeen.add(id);
          return { status: 503 };
        })
      ).url
    }/flaky`,
  );
  ep.gone = await endpoint(appId, `${(await receiver(() => ({ status: 404 }))).url}/gone`);
  ep.slow = await endpoint(appId, `${(await receiver(() => ({ status: 200, delayMs: SLOW_MS }))).url}/slow`);
  // The other application's endpoint: its attempts count for the tenant, not for `appId`.
  await endpoint(otherAppId, `${ok.url}/other`);

  for (let i = 0; i < MESSAGES; i++) {
    await publish(appId);
    if (i % 4 === 0) await publish(otherAppId);
  }
  await waitUntil(settled, 30_000, 'every delivery settled');
}, 60_000);

afterAll(async () => {
  await client?.end();
  await Promise.all(receivers.map((r) => r.close()));
  await h?.stop();
});

describe('attempt statistics per minute and hour', () => {
  it('delivered for real: every endpoint was attempted, and the receiver verified every signature', async () => {
    const perEndpoint = await rows(`SELECT endpoint_id, count(*)::int AS n FROM message_attempt WHERE app_id = $1 GROUP BY endpoint_id`, [appId]);
    expect(perEndpoint).toHaveLength(5);
    expect(unverified).toBe(0);
    expect(verified).toBe(MESSAGES);
    // 3 attempts per message to the always failing endpoints (the schedule has two retries), 2 to the flaky one.
    expect(perEndpoint.find((r) => r.endpoint_id === ep.failing).n).toBe(3 * MESSAGES);
    expect(perEndpoint.find((r) => r.endpoint_id === ep.flaky).n).toBe(2 * MESSAGES);
  });

  it.each(['minute', 'hour'] as const)('an endpoint series (%s) equals its raw attempts, bucket by bucket', async (granularity) => {
    const since = new Date(started.getTime() - 120_000).toISOString();
    for (const id of Object.values(ep)) {
      const body = await series(`/api/v1/app/${appId}/endpoint/${id}/stats/series`, { granularity, since });
      expect(nonEmpty(body)).toEqual(await rawSeries('AND endpoint_id = $2', [id], granularity));
      expect(body.latencyBoundsMs).toEqual(LATENCY_BOUNDS_MS);
    }
  });

  it('application and tenant series sum their endpoints', async () => {
    const since = new Date(started.getTime() - 120_000).toISOString();
    const app = await series(`/api/v1/app/${appId}/stats/series`, { granularity: 'minute', since });
    expect(nonEmpty(app)).toEqual(await rawSeries('AND app_id = $2', [appId], 'minute'));
    const tenant = await series('/api/v1/stats/series', { granularity: 'hour', since });
    expect(nonEmpty(tenant)).toEqual(await rawSeries('', [], 'hour'));
    const total = (b: typeof app) => b.data.reduce((s: number, x: { success: number; fail: number }) => s + x.success + x.fail, 0);
    expect(total(tenant)).toBeGreaterThan(total(app));
  });

  it('estimates latency percentiles from the histogram: a receiver that takes 300 ms is in the 200-500 ms bucket', async () => {
    const body = await series(`/api/v1/app/${appId}/endpoint/${ep.slow}/stats/series`, { granularity: 'hour', since: started.toISOString() });
    const buckets = body.data.filter((b: { success: number }) => b.success > 0);
    expect(buckets.length).toBeGreaterThan(0);
    for (const b of buckets) {
      expect(b.latencyMs).toEqual(percentiles(b.latencyHistogram));
      expect(b.latencyMs.p50).toBe(500);
    }
    // Empty buckets have no percentiles.
    expect(body.data.some((b: { latencyMs: unknown }) => b.latencyMs === null) || body.data.length === buckets.length).toBe(true);
  });

  it('lists every bucket of the range, empty ones with zero counts', async () => {
    const until = new Date(Math.ceil(Date.now() / 60_000) * 60_000 - 60_000);
    const since = new Date(until.getTime() - 30 * 60_000);
    const body = await series(`/api/v1/app/${appId}/endpoint/${ep.ok}/stats/series`, { granularity: 'minute', since: since.toISOString(), until: until.toISOString() });
    expect(body.data).toHaveLength(30);
    expect(body.data[0].start).toBe(since.toISOString());
  });
});

describe("Svix's endpoint stats from the status counters", () => {
  it('equal the raw deliveries by current status for every endpoint, and the svix client reads them', async () => {
    for (const id of Object.values(ep)) expect(await stats(id)).toEqual(await rawStats(id));
    expect(await stats(ep.failing)).toMatchObject({ fail: MESSAGES, success: 0 });
    expect(await svixClient(h, apiKey).endpoint.getStats(appId, ep.flaky)).toEqual({ success: MESSAGES, pending: 0, sending: 0, fail: 0, canceled: 0 });
  });

  it('follow resends and a recovery', async () => {
    failingUp = true;
    const failedMsgs = (await rows(`SELECT msg_id FROM message_delivery WHERE endpoint_id = $1 ORDER BY msg_id`, [ep.failing])).map((r) => r.msg_id as string);
    for (const msg of failedMsgs.slice(0, 2)) await h.http.post(`/api/v1/app/${appId}/msg/${msg}/endpoint/${ep.failing}/resend`).set(auth).expect(202);
    await waitUntil(async () => (await stats(ep.failing)).success === 2 && (await settled()), 20_000, 'two resends delivered');
    expect(await stats(ep.failing)).toEqual(await rawStats(ep.failing));
    await h.http
      .post(`/api/v1/app/${appId}/endpoint/${ep.failing}/recover`)
      .set(auth)
      .send({ since: new Date(started.getTime() - 60_000).toISOString() })
      .expect(202);
    await waitUntil(async () => (await stats(ep.failing)).success === MESSAGES && (await settled()), 30_000, 'every failed message recovered');
    expect(await stats(ep.failing)).toEqual({ ...(await rawStats(ep.failing)), success: MESSAGES });
    // The attempt series counted the resends and recoveries too.
    const body = await series(`/api/v1/app/${appId}/endpoint/${ep.failing}/stats/series`, { granularity: 'hour', since: started.toISOString() });
    expect(nonEmpty(body)).toEqual(await rawSeries('AND endpoint_id = $2', [ep.failing], 'hour'));
  });

  it('lose the deliveries of a dropped partition (retention) and keep no negative count', async () => {
    await publish(appId);
    await waitUntil(settled, 20_000, 'the new message settled');
    const before = await stats(ep.ok);
    // Maintenance as it would run three days from now with a day of retention: today's partition
    // has passed the cutoff and goes whole, and with it the hour counters of its deliveries.
    const db = connectDatabase({ connectionString: h.connectionString, max: 2 });
    try {
      const result = await runMaintenance(db, { messageRetentionDays: 1 }, new Date(Date.now() + 3 * 86_400_000));
      expect(result.partitionsDropped.length).toBeGreaterThan(0);
      expect(result.statisticsPruned).toBeGreaterThan(0);
    } finally {
      await db.destroy();
    }
    expect(before.success).toBeGreaterThan(0);
    expect(await rows(`SELECT count(*)::int AS n FROM message_delivery WHERE endpoint_id = $1`, [ep.ok])).toEqual([{ n: 0 }]);
    expect(await stats(ep.ok)).toEqual({ success: 0, pending: 0, sending: 0, fail: 0, canceled: 0 });
    expect(await rows(`SELECT * FROM delivery_status_count WHERE n < 0`)).toEqual([]);
  });
});

describe('retention of statistics rows', () => {
  it('deletes minute rows after 48 hours, hour rows and counters once their hour ended before the message retention', async () => {
    const HOUR = 3_600_000;
    const now = Date.now();
    const hourAt = (msAgo: number) => new Date(Math.floor((now - msAgo) / HOUR) * HOUR);
    const ids = { minuteOld: 'ep_ret_minute_old', minuteKept: 'ep_ret_minute_kept', hourOld: 'ep_ret_hour_old', hourKept: 'ep_ret_hour_kept' };
    const stat = (endpointId: string, minutes: number, bucket: Date) =>
      client.query(`INSERT INTO delivery_stat (tenant_id, app_id, endpoint_id, minutes, bucket, success) VALUES ($1, $2, $3, $4, $5, 1)`, [
        tenantId,
        appId,
        endpointId,
        minutes,
        bucket,
      ]);
    await stat(ids.minuteOld, 1, new Date(now - 49 * HOUR));
    await stat(ids.minuteKept, 1, new Date(now - 47 * HOUR));
    // Retention 3 days: an hour that began 3 days and 2 hours ago has ended before the cutoff; one that began 3 days ago has not.
    await stat(ids.hourOld, 60, hourAt(3 * 24 * HOUR + 2 * HOUR));
    await stat(ids.hourKept, 60, hourAt(3 * 24 * HOUR - HOUR));
    const count = (endpointId: string, hour: Date) =>
      client.query(`INSERT INTO delivery_status_count (tenant_id, app_id, endpoint_id, hour, status, n) VALUES ($1, $2, $3, $4, 0, 1)`, [
        tenantId,
        appId,
        endpointId,
        hour,
      ]);
    await count(ids.hourOld, hourAt(3 * 24 * HOUR + 2 * HOUR));
    await count(ids.hourKept, hourAt(3 * 24 * HOUR - HOUR));
    const db = connectDatabase({ connectionString: h.connectionString, max: 2 });
    try {
      expect((await runMaintenance(db, { messageRetentionDays: 3 })).statisticsPruned).toBe(3);
    } finally {
      await db.destroy();
    }
    const left = await rows(`SELECT endpoint_id, minutes FROM delivery_stat WHERE endpoint_id LIKE 'ep_ret_%' ORDER BY endpoint_id`);
    expect(left).toEqual([
      { endpoint_id: ids.hourKept, minutes: 60 },
      { endpoint_id: ids.minuteKept, minutes: 1 },
    ]);
    expect(await rows(`SELECT endpoint_id FROM delivery_status_count WHERE endpoint_id LIKE 'ep_ret_%'`)).toEqual([{ endpoint_id: ids.hourKept }]);
  });
});

describe('crash safety: statistics are written by the statement that writes the attempt', () => {
  it('a rolled-back attempt leaves no count; a committed one counts at once', async () => {
    const msgId = newId('msg');
    await client.query(
      `INSERT INTO message (id, tenant_id, app_id, event_type, payload, created_at, expires_at) VALUES ($1, $2, $3, 'stats.crash', '{}', now(), now() + interval '1 day')`,
      [msgId, tenantId, appId],
    );
    await client.query(`INSERT INTO message_delivery (tenant_id, app_id, msg_id, endpoint_id, status) VALUES ($1, $2, $3, $4, 1)`, [tenantId, appId, msgId, ep.gone]);
    const statRow = async () =>
      (await rows(`SELECT coalesce(sum(fail), 0)::int AS fail FROM delivery_stat WHERE endpoint_id = $1 AND minutes = 60`, [ep.gone]))[0].fail as number;
    const pendingCount = async () =>
      (await rows(`SELECT coalesce(sum(n), 0)::int AS n FROM delivery_status_count WHERE endpoint_id = $1 AND status = 1`, [ep.gone]))[0].n as number;
    const failBefore = await statRow();
    expect(await pendingCount()).toBe(1);
    const attempt = (id: string) =>
      client.query(
        `INSERT INTO message_attempt (id, tenant_id, app_id, msg_id, endpoint_id, url, status, response_status_code, response, response_duration_ms, trigger_type)
         VALUES ($1, $2, $3, $4, $5, 'http://x', 2, 404, '', 7, 0)`,
        [id, tenantId, appId, msgId, ep.gone],
      );
    await client.query('BEGIN');
    await attempt(newId('atmpt'));
    await client.query(`UPDATE message_delivery SET status = 2 WHERE msg_id = $1`, [msgId]);
    // Inside the transaction the counts moved with the rows...
    expect(await statRow()).toBe(failBefore + 1);
    expect(await pendingCount()).toBe(0);
    // ...and a crash before COMMIT (here: ROLLBACK) takes them back with the rows.
    await client.query('ROLLBACK');
    expect(await statRow()).toBe(failBefore);
    expect(await pendingCount()).toBe(1);
    // A statement that fails (a duplicate attempt id) counts nothing.
    const id = newId('atmpt');
    await attempt(id);
    await expect(attempt(id)).rejects.toThrow(/duplicate key/);
    expect(await statRow()).toBe(failBefore + 1);
  });
});

describe('the status counters under concurrent writes', () => {
  it("an attempt's change of a delivery does not hold up the next fan-out to the same endpoint", async () => {
    // Scenario 6: a failure's transaction moved a delivery from pending to sending while the next
    // message's fan-out added to the same pending counter, and waited for that whole transaction.
    const message = async (db: pg.Client) => {
      const msgId = newId('msg');
      await db.query(
        `INSERT INTO message (id, tenant_id, app_id, event_type, payload, created_at, expires_at) VALUES ($1, $2, $3, 'stats.lock', '{}', now(), now() + interval '1 day')`,
        [msgId, tenantId, appId],
      );
      await db.query(`INSERT INTO message_delivery (tenant_id, app_id, msg_id, endpoint_id, status) VALUES ($1, $2, $3, $4, 1)`, [tenantId, appId, msgId, ep.slow]);
      return msgId;
    };
    const count = async (status: number) =>
      (await rows(`SELECT coalesce(sum(n), 0)::int AS n FROM delivery_status_count WHERE endpoint_id = $1 AND status = $2`, [ep.slow, status]))[0].n as number;
    const [pendingBefore, sendingBefore] = [await count(1), await count(3)];
    const failed = await message(client);
    const fanOut = new pg.Client({ connectionString: h.connectionString });
    await fanOut.connect();
    try {
      await client.query('BEGIN');
      await client.query(`UPDATE message_delivery SET status = 3, attempt_count = 1 WHERE msg_id = $1`, [failed]);
      // Waiting for the open transaction's row lock would fail this.
      await fanOut.query(`SET lock_timeout = '2s'`);
      await message(fanOut);
      await client.query('COMMIT');
    } finally {
      await client.query('ROLLBACK').catch(() => {});
      await fanOut.end();
    }
    expect([await count(1), await count(3)]).toEqual([pendingBefore + 1, sendingBefore + 1]);
  });
});

describe('who may read the series, and bad input', () => {
  it('a portal token reads its application and endpoints, not another application nor the tenant', async () => {
    const { token } = (await h.http.post(`/api/v1/auth/app-portal-access/${appId}`).set(auth).send({}).expect(200)).body;
    const portal = { authorization: `Bearer ${token}` };
    await h.http.get(`/api/v1/app/${appId}/endpoint/${ep.ok}/stats/series`).set(portal).expect(200);
    await h.http.get(`/api/v1/app/${appId}/stats/series`).set(portal).expect(200);
    await h.http.get(`/api/v1/app/${otherAppId}/stats/series`).set(portal).expect(404);
    await h.http.get('/api/v1/stats/series').set(portal).expect(403);
  });

  it('another tenant gets a 404 for the endpoint', async () => {
    const other = { authorization: `Bearer ${(await h.createTenant('stranger')).apiKey}` };
    await h.http.get(`/api/v1/app/${appId}/endpoint/${ep.ok}/stats/series`).set(other).expect(404);
  });

  it('refuses a bad granularity (422), an empty or too wide range (400)', async () => {
    const path = `/api/v1/app/${appId}/endpoint/${ep.ok}/stats/series`;
    await h.http.get(path).query({ granularity: 'week' }).set(auth).expect(422);
    const now = Date.now();
    const wide = await h.http
      .get(path)
      .query({ granularity: 'minute', since: new Date(now - 49 * 3_600_000).toISOString(), until: new Date(now).toISOString() })
      .set(auth)
      .expect(400);
    expect(wide.body.code).toBe('invalid_range');
    await h.http
      .get(path)
      .query({ since: new Date(now).toISOString(), until: new Date(now - 1000).toISOString() })
      .set(auth)
      .expect(400);
  });
});
