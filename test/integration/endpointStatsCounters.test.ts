import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '@hookline/core';
import { connectDatabase, type Database } from '@hookline/db';
import { startTestHookline, type TestHookline } from '@hookline/test-support/hookline';
import { svixClient } from '@hookline/test-support/svix';

// Endpoint stats come from per-hour counters that triggers on message_delivery keep (migration
// 0020), so they count every delivery in the range, however many: the row cap of issue 17 (2k) is
// gone. Only the api runs; deliveries are written straight to the database: 250 messages 40 s apart
// over the last three hours, the older 150 failed, the newest 100 delivered. Ranges are whole hours
// (of the deliveries' creation).

const FAILED = 150;
const DELIVERED = 100;
const HOUR = 3_600_000;
const hourOf = (t: Date) => Math.floor(t.getTime() / HOUR) * HOUR;

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
  h = await startTestHookline({ HOOKLINE_ROLE: 'api' });
  db = connectDatabase({ connectionString: h.connectionString, max: 2 });
  apiKey = (await h.createTenant('stats')).apiKey;
  auth = { authorization: `Bearer ${apiKey}` };
  appId = (await h.http.post('/api/v1/app').set(auth).send({ name: 'stats' }).expect(201)).body.id;
  endpointId = (await h.http.post(`/api/v1/app/${appId}/endpoint`).set(auth).send({ url: 'http://127.0.0.1:9/hook' }).expect(201)).body.id;
  const { tenantId } = await db.selectFrom('application').select('tenantId').where('id', '=', appId).executeTakeFirstOrThrow();
  const base = Date.now() - 3 * HOUR + 60_000;
  times = Array.from({ length: FAILED + DELIVERED }, (_, i) => new Date(base + i * 40_000));
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
        createdAt: times[i]!,
        updatedAt: new Date(),
      })),
    )
    .execute();
});
afterAll(async () => {
  await db?.destroy();
  await h?.stop();
});

/** What the stats should say for deliveries whose creation hour begins in [hour of since, until]. */
function expected(since: Date, until: Date) {
  const inRange = times.map((t, i) => ({ t, i })).filter(({ t }) => hourOf(t) >= hourOf(since) && hourOf(t) <= until.getTime());
  return { success: inRange.filter(({ i }) => i >= FAILED).length, pending: 0, sending: 0, fail: inRange.filter(({ i }) => i < FAILED).length, canceled: 0 };
}

describe('endpoint stats count every delivery of the range, from hour counters', () => {
  it('counts all deliveries of the default 28 days exactly, with no `capped`', async () => {
    expect(await stats()).toEqual({ success: DELIVERED, pending: 0, sending: 0, fail: FAILED, canceled: 0 });
  });

  it('counts whole hours: from the hour `since` falls in, to the hours beginning by `until`', async () => {
    const since = times[FAILED - 30]!;
    const until = new Date(hourOf(times[FAILED + 49]!) + 60_000);
    const want = expected(since, until);
    expect(want.fail).toBeGreaterThanOrEqual(30);
    expect(want.success).toBeGreaterThan(0);
    expect(want.success + want.fail).toBeLessThan(FAILED + DELIVERED);
    expect(await stats({ since: since.toISOString(), until: until.toISOString() })).toEqual(want);
    // An `until` before the first delivery's hour counts nothing.
    expect(await stats({ until: new Date(hourOf(times[0]!) - 1).toISOString() })).toEqual({ success: 0, pending: 0, sending: 0, fail: 0, canceled: 0 });
  });

  it('moves a delivery between statuses when its row changes, and forgets it when it is deleted', async () => {
    const tenth = (await db.selectFrom('message').select('id').orderBy('id').offset(9).limit(1).executeTakeFirstOrThrow()).id;
    await db.updateTable('messageDelivery').set({ status: 0 }).where('endpointId', '=', endpointId).where('status', '=', 2).where('msgId', '<=', tenth).execute();
    expect(await stats()).toEqual({ success: DELIVERED + 10, pending: 0, sending: 0, fail: FAILED - 10, canceled: 0 });
    await db.updateTable('messageDelivery').set({ status: 2 }).where('endpointId', '=', endpointId).where('msgId', '<=', tenth).execute();
    // Deliveries go row by row only with their endpoint or application (history partitions are dropped whole).
    await db
      .deleteFrom('messageDelivery')
      .where('msgId', '=', (await db.selectFrom('message').select('id').orderBy('id').executeTakeFirstOrThrow()).id)
      .execute();
    expect(await stats()).toEqual({ success: DELIVERED, pending: 0, sending: 0, fail: FAILED - 1, canceled: 0 });
    times.shift();
  });

  it('still answers the official svix client', async () => {
    const out = await svixClient(h, apiKey).endpoint.getStats(appId, endpointId);
    expect(out).toEqual({ success: DELIVERED, pending: 0, sending: 0, fail: FAILED - 1, canceled: 0 });
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
