import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MessageStatus, MessageStatusText, type Svix } from 'svix';
import { startReceiver, type Receiver } from '@hookline/test-support/receiver';
import { startTestHookline, type TestHookline } from '@hookline/test-support/hookline';
import { waitUntil } from '@hookline/test-support/process';
import { apiError, svixClient } from '@hookline/test-support/svix';

// Two of Svix's behaviours (issue 23), through the official client: a delivery whose attempt failed
// and that will be retried is `sending` (3), not `pending` (1); and an endpoint deleted after a
// message went to it is still among the message's attempted destinations, with its attempts, while
// its deliveries still waiting end (canceled) and are never sent. Retries: 5 s, then an hour.

let h: TestHookline;
let svix: Svix;
let auth: { authorization: string };
let db: pg.Client;
let failing: Receiver;
let ok: Receiver;
let appId: string;

beforeAll(async () => {
  h = await startTestHookline({ HOOKLINE_RETRY_SCHEDULE: '5,3600' });
  const { apiKey } = await h.createTenant('delivery-states');
  svix = svixClient(h, apiKey);
  auth = { authorization: `Bearer ${apiKey}` };
  db = new pg.Client({ connectionString: h.connectionString });
  await db.connect();
  failing = await startReceiver(() => ({ status: 500, body: 'down' }));
  ok = await startReceiver(() => ({ status: 200, body: 'ok' }));
  await svix.eventType.create({ name: 'order.paid', description: 'order.paid' });
  appId = (await svix.application.create({ name: 'states' })).id;
});
afterAll(async () => {
  await db?.end();
  await h?.stop();
  await Promise.all([failing?.close(), ok?.close()]);
});

/** The message's destinations as [endpoint id, status, status text, next attempt set]. */
async function destinations(msgId: string): Promise<Array<[string, number, string, boolean]>> {
  const list = await svix.messageAttempt.listAttemptedDestinations(appId, msgId);
  return list.data.map((d) => [d.id, d.status, d.statusText, d.nextAttempt != null]);
}

/** Waits until the message has `n` attempts and returns their [endpoint id, status] (newest first). */
async function attemptsOf(msgId: string, n: number): Promise<Array<[string, number]>> {
  let found: Array<[string, number]> = [];
  await waitUntil(
    async () => {
      found = (await svix.messageAttempt.listByMsg(appId, msgId)).data.map((a) => [a.endpointId, a.status]);
      return found.length >= n;
    },
    20_000,
    `${n} attempts of ${msgId}`,
  );
  return found;
}

describe('status sending (3)', () => {
  it('is the state of a delivery that failed and will be retried, in every list and filter that shows it', async () => {
    const ep = await svix.endpoint.create(appId, { url: `${failing.url}/retrying`, uid: 'retrying' });
    const msg = await svix.message.create(appId, { eventType: 'order.paid', payload: { n: 1 } });
    // The first attempt and the retry 5 s later both fail; the next waits an hour.
    expect(await attemptsOf(msg.id, 2)).toEqual([
      [ep.id, MessageStatus.Fail],
      [ep.id, MessageStatus.Fail],
    ]);
    expect(await destinations(msg.id)).toEqual([[ep.id, MessageStatus.Sending, MessageStatusText.Sending, true]]);

    const attempted = await svix.messageAttempt.listAttemptedMessages(appId, ep.id, { status: MessageStatus.Sending });
    expect(attempted.data.map((m) => [m.id, m.status, m.statusText])).toEqual([[msg.id, MessageStatus.Sending, MessageStatusText.Sending]]);
    expect((await svix.messageAttempt.listAttemptedMessages(appId, ep.id, { status: MessageStatus.Pending })).data).toEqual([]);

    const search = await h.http.get('/api/v1/messages').query({ status: 3 }).set(auth).expect(200);
    expect(search.body.data.map((m: { id: string; deliveries: object }) => [m.id, m.deliveries])).toEqual([
      [msg.id, { success: 0, pending: 0, fail: 0, sending: 1, canceled: 0 }],
    ]);
    expect((await h.http.get('/api/v1/messages').query({ status: 1 }).set(auth).expect(200)).body.data).toEqual([]);

    // From the delivery counters the triggers keep.
    expect(await svix.endpoint.getStats(appId, ep.id)).toEqual({ success: 0, pending: 0, sending: 1, fail: 0, canceled: 0 });
    await svix.endpoint.delete(appId, ep.id);
  });
});

describe('attempted destinations of a deleted endpoint', () => {
  it('still lists the endpoint and its attempts; its waiting delivery ends canceled and is never sent', async () => {
    const kept = await svix.endpoint.create(appId, { url: `${ok.url}/kept` });
    const gone = await svix.endpoint.create(appId, { url: `${failing.url}/gone`, uid: 'gone', description: 'to be deleted' });
    const msg = await svix.message.create(appId, { eventType: 'order.paid', payload: { n: 2 } });
    await attemptsOf(msg.id, 2);
    const before = failing.requests.filter((r) => r.path === '/gone').length;
    expect(before).toBe(1);
    // Deleted while its retry (due in 5 s) waits.
    await svix.endpoint.delete(appId, gone.id);
    expect((await apiError(svix.endpoint.get(appId, gone.id))).code).toBe(404);

    const list = await svix.messageAttempt.listAttemptedDestinations(appId, msg.id);
    const shown = list.data.find((d) => d.id === gone.id)!;
    expect(shown).toMatchObject({ uid: 'gone', url: `${failing.url}/gone`, description: 'to be deleted', disabled: false, nextAttempt: null });
    // Canceled: Hookline's status 4, as when a payload filter skips an endpoint.
    expect([shown.status, shown.statusText as string]).toEqual([4, 'canceled']);
    expect(list.data.find((d) => d.id === kept.id)).toMatchObject({ status: MessageStatus.Success });
    expect((await svix.messageAttempt.listByMsg(appId, msg.id)).data.map((a) => [a.endpointId, a.status]).sort()).toEqual(
      [
        [kept.id, MessageStatus.Success],
        [gone.id, MessageStatus.Fail],
      ].sort(),
    );

    // Past the retry's time (5 s, at most +20 % jitter): nothing more was sent to it.
    await new Promise((r) => setTimeout(r, 7_000));
    expect(failing.requests.filter((r) => r.path === '/gone').length).toBe(before);
    expect((await svix.messageAttempt.listByMsg(appId, msg.id)).data).toHaveLength(2);
  });

  it('goes with its application: deleting it removes the deliveries, attempts and tombstones of its endpoints', async () => {
    const app = (await svix.application.create({ name: 'short-lived' })).id;
    const ep = await svix.endpoint.create(app, { url: `${ok.url}/short` });
    const msg = await svix.message.create(app, { eventType: 'order.paid', payload: {} });
    await waitUntil(async () => (await svix.messageAttempt.listByMsg(app, msg.id)).data.length === 1, 20_000, 'the attempt');
    await svix.endpoint.delete(app, ep.id);
    const rows = async () =>
      Number(
        (
          await db.query<{ n: string }>(
            `SELECT (SELECT count(*) FROM message_delivery WHERE endpoint_id = $1) + (SELECT count(*) FROM message_attempt WHERE endpoint_id = $1)
            + (SELECT count(*) FROM deleted_endpoint WHERE id = $1) AS n`,
            [ep.id],
          )
        ).rows[0]!.n,
      );
    expect(await rows()).toBe(3);
    await svix.application.delete(app);
    expect(await rows()).toBe(0);
  });
});
