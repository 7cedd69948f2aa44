import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MessageAttemptTriggerType, MessageStatus, MessageStatusText, type MessageEndpointOut, type Svix } from 'svix';
import { waitUntil } from '@hookline/test-support/process';
import { startReceiver, type Receiver } from '@hookline/test-support/receiver';
import { startTestHookline, type TestHookline } from '@hookline/test-support/hookline';
import { svixClient } from '@hookline/test-support/svix';

// Payload filters end to end: an endpoint with {"amount": {"$gte": 100}} beside one without a
// filter, both at real loopback receivers. Messages the filter leaves out are never sent, show as
// canceled in the logs, and are delivered by a resend.

let h: TestHookline;
let svix: Svix;
let auth: { authorization: string };
let rx: Receiver;
let appId: string;
let filtered: string;
let plain: string;
/** amount 150 (matches) and amount 5 (skipped by the filtered endpoint). */
let big: string;
let small: string;

const filter = { amount: { $gte: 100 } };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const receivedAt = (path: string) => rx.requests.filter((r) => r.path === path).map((r) => String(r.headers['webhook-id']));

async function publish(payload: unknown): Promise<string> {
  const res = await h.http.post(`/api/v1/app/${appId}/msg`).set(auth).send({ eventType: 'invoice.paid', payload }).expect(202);
  return res.body.id as string;
}

async function destinations(msgId: string): Promise<MessageEndpointOut[]> {
  return (await svix.messageAttempt.listAttemptedDestinations(appId, msgId)).data;
}

beforeAll(async () => {
  h = await startTestHookline({ HOOKLINE_RETRY_SCHEDULE: '3600' });
  const { apiKey } = await h.createTenant('filters');
  auth = { authorization: `Bearer ${apiKey}` };
  svix = svixClient(h, apiKey);
  rx = await startReceiver(() => ({ status: 200, body: 'ok' }));
  await h.http.post('/api/v1/event-type').set(auth).send({ name: 'invoice.paid', description: 'paid' }).expect(201);
  appId = (await h.http.post('/api/v1/app').set(auth).send({ name: 'filters' }).expect(201)).body.id;
  const created = await h.http
    .post(`/api/v1/app/${appId}/endpoint`)
    .set(auth)
    .send({ url: `${rx.url}/filtered`, uid: 'filtered', filter })
    .expect(201);
  expect(created.body.filter).toEqual(filter);
  filtered = created.body.id;
  plain = (
    await h.http
      .post(`/api/v1/app/${appId}/endpoint`)
      .set(auth)
      .send({ url: `${rx.url}/plain` })
      .expect(201)
  ).body.id;

  big = await publish({ amount: 150, currency: 'usd' });
  small = await publish({ amount: 5, currency: 'usd' });
  // Both go to the endpoint without a filter; fan-out wrote every delivery row before either.
  await waitUntil(() => receivedAt('/plain').length === 2, 20_000, 'both messages at the endpoint without a filter');
  await waitUntil(() => receivedAt('/filtered').length === 1, 20_000, 'the matching message at the filtered endpoint');
});
afterAll(async () => {
  await rx?.close();
  await h?.stop();
});

describe('an endpoint with a payload filter', () => {
  it('stores and shows the filter; the svix client reads the endpoint unchanged', async () => {
    const got = await h.http.get(`/api/v1/app/${appId}/endpoint/filtered`).set(auth).expect(200);
    expect(got.body.filter).toEqual(filter);
    expect((await h.http.get(`/api/v1/app/${appId}/endpoint/${plain}`).set(auth).expect(200)).body.filter).toBeNull();
    const viaSvix = await svix.endpoint.get(appId, 'filtered');
    expect(viaSvix).toMatchObject({ id: filtered, uid: 'filtered', url: `${rx.url}/filtered` });
  });

  it('receives only matching messages', async () => {
    await sleep(500);
    expect(receivedAt('/filtered')).toEqual([big]);
    expect(receivedAt('/plain').sort()).toEqual([big, small].sort());
    expect(rx.requests.find((r) => r.path === '/filtered')!.body).toBe('{"amount":150,"currency":"usd"}');
  });

  it('shows the skipped message as canceled in its attempted destinations, with no attempts', async () => {
    const dest = await destinations(small);
    expect(dest.find((d) => d.id === filtered)).toMatchObject({ status: MessageStatus.Canceled, statusText: MessageStatusText.Canceled, nextAttempt: null });
    expect(dest.find((d) => d.id === plain)).toMatchObject({ status: MessageStatus.Success });
    expect((await destinations(big)).find((d) => d.id === filtered)).toMatchObject({ status: MessageStatus.Success });

    expect((await svix.messageAttempt.listByMsg(appId, small, { endpointId: filtered })).data).toEqual([]);
    expect((await svix.messageAttempt.listByMsg(appId, small, { endpointId: plain })).data).toHaveLength(1);
    expect((await svix.messageAttempt.listByEndpoint(appId, filtered)).data.map((a) => a.msgId)).toEqual([big]);
  });

  it("lists the skipped message among the endpoint's messages, as canceled with expanded statuses", async () => {
    // The svix client asks for expanded statuses.
    const messages = await svix.messageAttempt.listAttemptedMessages(appId, filtered);
    expect(messages.data.map((m) => [m.id, m.status, m.statusText])).toEqual([
      [small, MessageStatus.Canceled, MessageStatusText.Canceled],
      [big, MessageStatus.Success, MessageStatusText.Success],
    ]);
    const ids = async (query: string) =>
      (await h.http.get(`/api/v1/app/${appId}/endpoint/${filtered}/msg?${query}`).set(auth).expect(200)).body.data.map((m: { id: string; status: number }) => [
        m.id,
        m.status,
      ]);
    expect(await ids('expanded_statuses=true&status=4')).toEqual([[small, MessageStatus.Canceled]]);
    expect(await ids('expanded_statuses=true&status=0')).toEqual([[big, MessageStatus.Success]]);
    // Without expanded statuses (older clients) canceled reads as success, and is found as one.
    expect(await ids('status=0')).toEqual([
      [small, MessageStatus.Success],
      [big, MessageStatus.Success],
    ]);

    const stats = await svix.endpoint.getStats(appId, filtered);
    expect(stats).toEqual({ success: 1, pending: 0, sending: 0, fail: 0, canceled: 1 });
  });

  it('delivers a skipped message when it is resent, and the delivery then succeeds', async () => {
    expect(await svix.messageAttempt.resend(appId, small, filtered)).toEqual({});
    await waitUntil(() => receivedAt('/filtered').length === 2, 20_000, 'the resent message');
    const resent = rx.requests.filter((r) => r.path === '/filtered')[1]!;
    expect([resent.headers['webhook-id'], resent.body]).toEqual([small, '{"amount":5,"currency":"usd"}']);
    await waitUntil(async () => (await destinations(small)).find((d) => d.id === filtered)?.status === MessageStatus.Success, 20_000, 'the replayed delivery to succeed');
    const attempts = await svix.messageAttempt.listByMsg(appId, small, { endpointId: filtered });
    expect(attempts.data.map((a) => [a.triggerType, a.status, a.responseStatusCode])).toEqual([[MessageAttemptTriggerType.Manual, MessageStatus.Success, 200]]);
  });
});

describe('filter validation and changes', () => {
  const detail = (res: { body: { detail: Array<{ loc: unknown[]; msg: string }> } }) => res.body.detail.map((d) => [d.loc, d.msg]);

  it('refuses bad filters on create, replace and patch with 422 and where the problem is', async () => {
    const url = `${rx.url}/bad`;
    const create = await h.http
      .post(`/api/v1/app/${appId}/endpoint`)
      .set(auth)
      .send({ url, filter: { amount: { $regex: '^1' } } })
      .expect(422);
    expect(detail(create)).toEqual([[['body', 'filter', 'amount', '$regex'], expect.stringMatching(/unknown operator \$regex/)]]);

    const put = await h.http
      .put(`/api/v1/app/${appId}/endpoint/filtered`)
      .set(auth)
      .send({ url: `${rx.url}/filtered`, filter: { $or: [{ amount: { $gt: true } }, { currency: ['usd'] }] } })
      .expect(422);
    expect(detail(put)).toEqual([
      [['body', 'filter', '$or', 0, 'amount', '$gt'], expect.stringMatching(/number or a string/)],
      [['body', 'filter', '$or', 1, 'currency'], expect.stringMatching(/\$in/)],
    ]);

    const patch = await h.http
      .patch(`/api/v1/app/${appId}/endpoint/filtered`)
      .set(auth)
      .send({ filter: { amount: { $in: 100 } } })
      .expect(422);
    expect(detail(patch)).toEqual([[['body', 'filter', 'amount', '$in'], expect.stringMatching(/list/)]]);

    const notObject = await h.http.patch(`/api/v1/app/${appId}/endpoint/filtered`).set(auth).send({ filter: 'amount > 100' }).expect(422);
    expect(detail(notObject)).toEqual([[['body', 'filter'], expect.stringMatching(/object/)]]);

    // Nothing changed, and no endpoint was created.
    expect((await h.http.get(`/api/v1/app/${appId}/endpoint/filtered`).set(auth).expect(200)).body.filter).toEqual(filter);
    expect((await svix.endpoint.list(appId)).data).toHaveLength(2);
  });

  it('changes the filter with patch and removes it with null, after which every message is delivered', async () => {
    const stricter = await h.http
      .patch(`/api/v1/app/${appId}/endpoint/filtered`)
      .set(auth)
      .send({ filter: { currency: 'eur' } })
      .expect(200);
    expect(stricter.body.filter).toEqual({ currency: 'eur' });
    const skipped = await publish({ amount: 500, currency: 'usd' });
    await waitUntil(async () => (await destinations(skipped)).some((d) => d.id === filtered), 20_000, 'fan-out of the usd message');
    expect((await destinations(skipped)).find((d) => d.id === filtered)?.status).toBe(MessageStatus.Canceled);

    const cleared = await h.http.patch(`/api/v1/app/${appId}/endpoint/filtered`).set(auth).send({ filter: null }).expect(200);
    expect(cleared.body.filter).toBeNull();
    const tiny = await publish({ amount: 1 });
    await waitUntil(() => receivedAt('/filtered').includes(tiny), 20_000, 'the small message, now that the filter is gone');
    expect(receivedAt('/filtered')).not.toContain(skipped);
  });

  it('sets a filter with PUT, and a PUT without one removes it', async () => {
    const path = `/api/v1/app/${appId}/endpoint/${filtered}`;
    const put = await h.http
      .put(path)
      .set(auth)
      .send({ url: `${rx.url}/filtered`, uid: 'filtered', filter })
      .expect(200);
    expect(put.body.filter).toEqual(filter);
    const without = await h.http
      .put(path)
      .set(auth)
      .send({ url: `${rx.url}/filtered`, uid: 'filtered' })
      .expect(200);
    expect(without.body.filter).toBeNull();
    // An empty filter matches everything: it is stored as none.
    await h.http.patch(path).set(auth).send({ filter }).expect(200);
    const empty = await h.http.patch(path).set(auth).send({ filter: {} }).expect(200);
    expect(empty.body.filter).toBeNull();
  });
});
