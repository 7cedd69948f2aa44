import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '@hookline/core';
import { connectDatabase, type Database } from '@hookline/db';
import { startTestHookline, type TestHookline } from '@hookline/test-support/hookline';
import { svixClient } from '@hookline/test-support/svix';

// Issue 17, 2k: endpoint stats count at most HOOKLINE_ENDPOINT_STATS_MAX_ROWS deliveries per call
// (the newest in the range) and say so with `capped: true`, so a read-only token cannot make one call
// count 28 days of a busy endpoint. Only the api runs; deliveries are written straight to the
// database: 250 messages a second apart, the older 150 failed, the newest 100 delivered.

const MAX_ROWS = 100;
const FAILED = 150;
const DELIVERED = 100;

let h: TestHookline;
let db: Database;
let apiKey: string;
let auth: { authorization: string };
let appId: string;
let endpointId: string;
/** Creation time of each message, oldest first. */
let times: Date[];

const stats = async (query: Record<string, string> = {}) =>
  (await h.http.get(`/api/v1/app/${appId}/endpoint/${endpointId}/stats`).query(query).set(auth).expect(200)).body;

beforeAll(async () => {
  h = await startTestHookline({ HOOKLINE_ROLE: 'api', HOOKLINE_ENDPOINT_STATS_MAX_ROWS: String(MAX_ROWS) });
  db = connectDatabase({ connectionString: h.connectionString, max: 2 });
  apiKey = (await h.createTenant('stats')).apiKey;
  auth = { authorization: `Bearer ${apiKey}` };
  appId = (await h.http.post('/api/v1/app').set(auth).send({ name: 'stats' }).expect(201)).body.id;
  endpointId = (await h.http.post(`/api/v1/app/${appId}/endpoint`).set(auth).send({ url: 'http://127.0.0.1:9/hook' }).expect(201)).body.id;
  const { tenantId } = await db.selectFrom('application').select('tenantId').where('id', '=', appId).executeTakeFirstOrThrow();
  const base = Date.now() - 3_600_000;
  times = Array.from({ length: FAILED + DELIVERED }, (_, i) => new Date(base + i * 1000));
  const messages = times.map((at) => ({
    id: newId('msg', at),
    tenantId,
    appId,
    eventType: 'stats.item',
    eventId: null,
    channels: null,
    payload: '{}',
    createdAt: at,
    expiresAt: new Date(at.getTime() + 86_400_000),
  }));
  await db.insertInto('message').values(messages).execute();
  await db
    .insertInto('messageDelivery')
    .values(
      messages.map((m, i) => ({
        tenantId,
        appId,
        msgId: m.id,
        endpointId,
        status: i < FAILED ? 2 : 0,
        nextAttemptAt: null,
        updatedAt: new Date(),
      })),
    )
    .execute();
});
afterAll(async () => {
  await db?.destroy();
  await h?.stop();
});

describe('endpoint stats are bounded (HOOKLINE_ENDPOINT_STATS_MAX_ROWS)', () => {
  it('counts only the newest MAX_ROWS deliveries of the default 28 days, and says it is capped', async () => {
    expect(await stats()).toEqual({ success: DELIVERED, pending: 0, sending: 0, fail: 0, canceled: 0, capped: true });
  });

  it('counts the newest MAX_ROWS of an earlier range too', async () => {
    const until = times[FAILED - 1]!.toISOString();
    expect(await stats({ until })).toEqual({ success: 0, pending: 0, sending: 0, fail: MAX_ROWS, canceled: 0, capped: true });
  });

  it('counts exactly, with no `capped`, when the range holds MAX_ROWS or fewer', async () => {
    // The newest 100: exactly the cap.
    expect(await stats({ since: times[FAILED]!.toISOString() })).toEqual({ success: DELIVERED, pending: 0, sending: 0, fail: 0, canceled: 0 });
    // 30 failed and 50 delivered.
    const range = { since: times[FAILED - 30]!.toISOString(), until: new Date(times[FAILED + 49]!.getTime() + 500).toISOString() };
    expect(await stats(range)).toEqual({ success: 50, pending: 0, sending: 0, fail: 30, canceled: 0 });
  });

  it('still answers the official svix client', async () => {
    const out = await svixClient(h, apiKey).endpoint.getStats(appId, endpointId);
    expect(out).toEqual({ success: DELIVERED, pending: 0, sending: 0, fail: 0, canceled: 0 });
  });

  it('refuses a range wider than 28 days with a clear 400, as before', async () => {
    const res = await h.http
      .get(`/api/v1/app/${appId}/endpoint/${endpointId}/stats`)
      .query({ since: new Date(Date.now() - 40 * 86_400_000).toISOString() })
      .set(auth)
      .expect(400);
    expect(res.body.code).toBe('invalid_range');
  });
});
