import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Webhook } from 'standardwebhooks';
import { type Svix } from 'svix';
import { startReceiver, type ReceivedRequest, type Receiver } from '@hookline/test-support/receiver';
import { startTestHookline, type TestHookline } from '@hookline/test-support/hookline';
import { waitUntil } from '@hookline/test-support/process';
import { apiError, svixClient } from '@hookline/test-support/svix';

// Every svix.endpoint method Hookline serves, called through the official client, with real
// deliveries to loopback receivers that verify signatures with the npm `standardwebhooks` package.

let h: TestHookline;
let svix: Svix;
let auth: { authorization: string };
let appId: string;
const receivers: Receiver[] = [];

beforeAll(async () => {
  h = await startTestHookline();
  const { apiKey } = await h.createTenant();
  svix = svixClient(h, apiKey);
  auth = { authorization: `Bearer ${apiKey}` };
  await h.http.post('/api/v1/event-type').set(auth).send({ name: 'invoice.paid', description: 'no schema' }).expect(201);
  await h.http
    .post('/api/v1/event-type')
    .set(auth)
    .send({
      name: 'user.created',
      description: 'with examples',
      schemas: { 1: { type: 'object', properties: { userId: { type: 'string' } }, examples: [{ userId: 'u_1', name: 'Ada' }, { userId: 'u_2' }] } },
    })
    .expect(201);
  appId = (await h.http.post('/api/v1/app').set(auth).send({ name: 'endpoints', uid: 'ep-app' }).expect(201)).body.id;
});
afterAll(async () => {
  for (const r of receivers) await r.close();
  await h?.stop();
});

async function receiver(reply?: Parameters<typeof startReceiver>[0]): Promise<Receiver> {
  const r = await startReceiver(reply);
  receivers.push(r);
  return r;
}

async function publish(eventType: string, payload: object): Promise<string> {
  return (await h.http.post(`/api/v1/app/${appId}/msg`).set(auth).send({ eventType, payload }).expect(202)).body.id;
}

/** The request that carried message `msgId` (its first arrival). */
async function arrival(r: Receiver, msgId: string, timeoutMs = 20_000): Promise<ReceivedRequest> {
  let found: ReceivedRequest | undefined;
  await waitUntil(() => (found = r.requests.find((q) => q.headers['webhook-id'] === msgId)) !== undefined, timeoutMs, `message ${msgId}`);
  return found!;
}

const signaturesOf = (req: ReceivedRequest) => String(req.headers['webhook-signature']).split(' ');
const verify = (secret: string, req: ReceivedRequest) => new Webhook(secret).verify(req.body, req.headers as Record<string, string>);
const UNRELATED_KEY = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';

describe('svix.endpoint settings', () => {
  it('create, get, list, upsert, patch and delete', async () => {
    const created = await svix.endpoint.create(appId, {
      url: 'https://example.com/one',
      uid: 'ep-main',
      description: 'first',
      eventTypes: ['invoice.paid'],
      channels: ['eu'],
      throttleRate: 10,
      metadata: { team: 'billing' },
    });
    expect(created).toMatchObject({
      uid: 'ep-main',
      url: 'https://example.com/one',
      description: 'first',
      disabled: false,
      eventTypes: ['invoice.paid'],
      channels: ['eu'],
      throttleRate: 10,
      metadata: { team: 'billing' },
    });
    expect(created.id).toMatch(/^ep_[0-9A-Za-z]{27}$/);
    expect(created.createdAt).toBeInstanceOf(Date);
    expect(Number.isNaN(created.updatedAt.getTime())).toBe(false);

    expect(await svix.endpoint.get('ep-app', 'ep-main')).toEqual(created);
    const listed = await svix.endpoint.list(appId, { limit: 250 });
    expect(listed.data.map((e) => e.id)).toContain(created.id);
    expect(listed.done).toBe(true);

    // PUT replaces every field it is given and resets the others.
    const replaced = await svix.endpoint.upsert(appId, 'ep-main', { url: 'https://example.com/two', uid: 'ep-main', description: 'replaced' });
    expect(replaced).toMatchObject({
      id: created.id,
      url: 'https://example.com/two',
      description: 'replaced',
      eventTypes: null,
      channels: null,
      throttleRate: null,
      metadata: {},
    });
    // PUT of an endpoint that does not exist creates it, under the uid in the path.
    const upserted = await svix.endpoint.upsert(appId, 'ep-upserted', { url: 'https://example.com/new' });
    expect(upserted).toMatchObject({ uid: 'ep-upserted', url: 'https://example.com/new' });
    expect(upserted.id).not.toBe(created.id);
    expect((await svix.endpoint.upsert(appId, 'ep-upserted', { url: 'https://example.com/new2', uid: 'ep-upserted' })).id).toBe(upserted.id);

    // PATCH changes only what it is given…
    const patched = await svix.endpoint.patch(appId, created.id, {
      description: 'patched',
      eventTypes: ['invoice.paid', 'user.created'],
      channels: ['eu', 'us'],
      throttleRate: 5,
      metadata: { a: 'b' },
    });
    expect(patched).toMatchObject({
      id: created.id,
      uid: 'ep-main',
      url: 'https://example.com/two',
      description: 'patched',
      eventTypes: ['invoice.paid', 'user.created'],
      channels: ['eu', 'us'],
      throttleRate: 5,
      metadata: { a: 'b' },
      disabled: false,
    });
    // …and null clears the nullable fields, leaving the rest alone.
    const cleared = await svix.endpoint.patch(appId, created.id, { uid: null, eventTypes: null, channels: null, throttleRate: null, disabled: true });
    expect(cleared).toMatchObject({
      id: created.id,
      uid: null,
      url: 'https://example.com/two',
      description: 'patched',
      eventTypes: null,
      channels: null,
      throttleRate: null,
      metadata: { a: 'b' },
      disabled: true,
    });
    expect((await apiError(svix.endpoint.get(appId, 'ep-main'))).code).toBe(404);

    await svix.endpoint.delete(appId, created.id);
    expect((await apiError(svix.endpoint.get(appId, created.id))).code).toBe(404);
    expect((await svix.endpoint.list(appId, { limit: 250 })).data.map((e) => e.id)).not.toContain(created.id);
  });
});

describe('svix.endpoint secrets', () => {
  it('rotateSecret: each delivery carries both keys during the grace period, and each verifies it', async () => {
    const r = await receiver();
    const ep = await svix.endpoint.create(appId, { url: `${r.url}/rotate` });
    const oldKey = (await svix.endpoint.getSecret(appId, ep.id)).key;
    expect(await svix.endpoint.rotateSecret(appId, ep.id)).toBeFalsy();
    const newKey = (await svix.endpoint.getSecret(appId, ep.id)).key;
    expect(newKey).toMatch(/^whsec_/);
    expect(newKey).not.toBe(oldKey);

    const req = await arrival(r, await publish('invoice.paid', { rotated: 1 }));
    const signatures = signaturesOf(req);
    expect(signatures).toHaveLength(2);
    expect(signatures.every((s) => s.startsWith('v1,'))).toBe(true);
    expect(verify(oldKey, req)).toEqual({ rotated: 1 });
    expect(verify(newKey, req)).toEqual({ rotated: 1 });
    expect(() => verify(UNRELATED_KEY, req)).toThrow();
  });

  it('rotateSecret with a given key and a short grace period: the old key stops signing when it ends', async () => {
    const r = await receiver();
    const ep = await svix.endpoint.create(appId, { url: `${r.url}/short-grace` });
    const oldKey = (await svix.endpoint.getSecret(appId, ep.id)).key;
    const givenKey = 'whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7oD';
    // The grace period ends 3 s after the server handles the rotation: between these two bounds.
    const graceEnds = Date.now() + 3000;
    await svix.endpoint.rotateSecret(appId, ep.id, { key: givenKey, gracePeriodSeconds: 3 });
    const graceEndsAtLatest = Date.now() + 3000;
    expect(await svix.endpoint.getSecret(appId, ep.id)).toEqual({ key: givenKey });

    const during = await arrival(r, await publish('invoice.paid', { during: true }));
    expect(during.at).toBeLessThan(graceEnds);
    expect(signaturesOf(during)).toHaveLength(2);
    expect(verify(oldKey, during)).toEqual({ during: true });
    expect(verify(givenKey, during)).toEqual({ during: true });

    await new Promise((res) => setTimeout(res, graceEndsAtLatest - Date.now() + 300));
    const after = await arrival(r, await publish('invoice.paid', { after: true }));
    expect(signaturesOf(after)).toHaveLength(1);
    expect(verify(givenKey, after)).toEqual({ after: true });
    expect(() => verify(oldKey, after)).toThrow();
  });

  it('rotateSecret answers 400 limit_reached when more than 10 old keys would be in their grace period', async () => {
    const r = await receiver();
    const ep = await svix.endpoint.create(appId, { url: `${r.url}/limit` });
    for (let i = 0; i < 10; i++) await svix.endpoint.rotateSecret(appId, ep.id, {});
    const err = await apiError(svix.endpoint.rotateSecret(appId, ep.id, {}));
    expect(err.code).toBe(400);
    expect(err.body).toEqual({ code: 'limit_reached', detail: expect.any(String) });
    // The refused rotation changed nothing: the current key and the 10 old ones all sign.
    const current = (await svix.endpoint.getSecret(appId, ep.id)).key;
    const req = await arrival(r, await publish('invoice.paid', { eleven: true }));
    expect(signaturesOf(req)).toHaveLength(11);
    expect(verify(current, req)).toEqual({ eleven: true });
  });

  it('rotateSecret with gracePeriodSeconds 0 retires the old key at once, so rotations never pile up', async () => {
    const r = await receiver();
    const ep = await svix.endpoint.create(appId, { url: `${r.url}/zero-grace` });
    const first = (await svix.endpoint.getSecret(appId, ep.id)).key;
    for (let i = 0; i < 12; i++) await svix.endpoint.rotateSecret(appId, ep.id, { gracePeriodSeconds: 0 });
    const current = (await svix.endpoint.getSecret(appId, ep.id)).key;
    const req = await arrival(r, await publish('invoice.paid', { zero: true }));
    expect(signaturesOf(req)).toHaveLength(1);
    expect(verify(current, req)).toEqual({ zero: true });
    expect(() => verify(first, req)).toThrow();
  });
});

describe('svix.endpoint headers', () => {
  it('getHeaders hides credentials, setHeaders replaces, patchHeaders merges, and deliveries carry them', async () => {
    const r = await receiver();
    const ep = await svix.endpoint.create(appId, { url: `${r.url}/headers`, headers: { 'X-Tenant': 'acme', Authorization: 'Bearer s3cr3t' } });
    expect(await svix.endpoint.getHeaders(appId, ep.id)).toEqual({ headers: { 'X-Tenant': 'acme' }, sensitive: ['Authorization'] });

    await svix.endpoint.setHeaders(appId, ep.id, { headers: { 'X-One': '1', 'X-Two': '2', 'X-Three': '3', 'X-Auth-Token': 'tok' } });
    expect(await svix.endpoint.getHeaders(appId, ep.id)).toEqual({ headers: { 'X-One': '1', 'X-Two': '2', 'X-Three': '3' }, sensitive: ['X-Auth-Token'] });

    // Names match case-insensitively; deleteHeaders (newer clients) and null (Svix's server) both remove.
    await svix.endpoint.patchHeaders(appId, ep.id, { headers: { 'x-one': 'uno', 'X-Four': '4' }, deleteHeaders: ['X-Two'] });
    await h.http
      .patch(`/api/v1/app/${appId}/endpoint/${ep.id}/headers`)
      .set(auth)
      .send({ headers: { 'X-Three': null } })
      .expect(204);
    expect(await svix.endpoint.getHeaders(appId, ep.id)).toEqual({ headers: { 'x-one': 'uno', 'X-Four': '4' }, sensitive: ['X-Auth-Token'] });

    const secret = (await svix.endpoint.getSecret(appId, ep.id)).key;
    const req = await arrival(r, await publish('invoice.paid', { headers: true }));
    expect(req.headers).toMatchObject({ 'x-one': 'uno', 'x-four': '4', 'x-auth-token': 'tok' });
    expect(req.headers['x-two']).toBeUndefined();
    expect(req.headers['x-three']).toBeUndefined();
    expect(req.headers['x-tenant']).toBeUndefined();
    expect(verify(secret, req)).toEqual({ headers: true });
  });
});

describe('svix.endpoint recover and stats', () => {
  it('recover resends only the failed messages once the receiver is back; stats follow', async () => {
    let up = true;
    const r = await receiver(() => (up ? { status: 200 } : { status: 503, body: 'down' }));
    const ep = await svix.endpoint.create(appId, { url: `${r.url}/recover` });
    const start = new Date(Date.now() - 1000);
    const stats = () => svix.endpoint.getStats(appId, ep.id, { since: start, until: new Date() });

    const ok = await publish('invoice.paid', { n: 1 });
    await arrival(r, ok);
    up = false;
    const failed = [await publish('invoice.paid', { n: 2 }), await publish('invoice.paid', { n: 3 })];
    // The test schedule (1 s, 1 s, 1 s) gives up after four attempts.
    await waitUntil(async () => (await stats()).fail === 2, 30_000, 'both deliveries to fail for good');
    expect(await stats()).toEqual({ success: 1, pending: 0, sending: 0, fail: 2, canceled: 0 });
    expect(r.requests.filter((q) => failed.includes(String(q.headers['webhook-id'])))).toHaveLength(8);

    up = true;
    const before = r.requests.length;
    const task = await svix.endpoint.recover(appId, ep.id, { since: start });
    expect(task).toMatchObject({ status: 'running', task: 'endpoint.recover' });
    expect(task.id).toMatch(/^qtask_[0-9A-Za-z]{27}$/);
    expect(task.updatedAt).toBeInstanceOf(Date);

    await r.waitFor(before + 2);
    const resent = r.requests.slice(before).map((q) => q.headers['webhook-id']);
    expect(resent.sort()).toEqual([...failed].sort());
    await waitUntil(async () => (await stats()).success === 3, 20_000, 'recovered deliveries to count as successes');
    expect(await stats()).toEqual({ success: 3, pending: 0, sending: 0, fail: 0, canceled: 0 });

    // The task finishes once its resends were made (the worker looks again shortly after queueing them).
    const row = async () => h.hookline.db.selectFrom('backgroundTask').selectAll().where('id', '=', task.id).executeTakeFirstOrThrow();
    await waitUntil(async () => (await row()).status === 'finished', 20_000, 'the recovery task to finish');
    expect(await row()).toMatchObject({ task: 'endpoint.recover', status: 'finished', data: { messagesSent: 2 } });
    // Other tests' endpoints in this app get the message too: look at this endpoint's attempts.
    const attempts = await h.http.get(`/api/v1/app/${appId}/attempt/msg/${failed[0]}?endpoint_id=${ep.id}`).set(auth).expect(200);
    expect(attempts.body.data[0]).toMatchObject({ responseStatusCode: 200, triggerType: 1, status: 0 });
    // Give a wrongly resent success every chance to arrive before asserting it did not.
    await new Promise((res) => setTimeout(res, 500));
    expect(r.requests.filter((q) => q.headers['webhook-id'] === ok)).toHaveLength(1);
    expect(r.requests).toHaveLength(before + 2);
  });

  it('getStats counts only the messages in the range (whole hours of their deliveries)', async () => {
    const r = await receiver();
    const ep = await svix.endpoint.create(appId, { url: `${r.url}/stats` });
    const beforePing = Date.now();
    await arrival(r, (await svix.endpoint.sendExample(appId, ep.id, { eventType: 'svix.ping' })).id);
    await waitUntil(async () => (await svix.endpoint.getStats(appId, ep.id)).success === 1, 20_000, 'the ping to count');
    expect(await svix.endpoint.getStats(appId, ep.id)).toEqual({ success: 1, pending: 0, sending: 0, fail: 0, canceled: 0 });
    // Counted from hour counters: a range that ends before the hour the ping was sent in holds none of it.
    const untilBefore = new Date(Math.floor(beforePing / 3_600_000) * 3_600_000 - 1);
    expect(await svix.endpoint.getStats(appId, ep.id, { until: untilBefore })).toEqual({ success: 0, pending: 0, sending: 0, fail: 0, canceled: 0 });
  });
});

describe('svix.endpoint.sendExample', () => {
  it('sends svix.ping to this endpoint only, signed, whatever its event-type filter', async () => {
    const target = await receiver();
    const bystander = await receiver();
    const ep = await svix.endpoint.create(appId, { url: `${target.url}/ping`, eventTypes: ['invoice.paid'] });
    await svix.endpoint.create(appId, { url: `${bystander.url}/other` });
    const msg = await svix.endpoint.sendExample(appId, ep.id, { eventType: 'svix.ping' });
    expect(msg).toMatchObject({ eventType: 'svix.ping', payload: { success: true } });
    expect(msg.id).toMatch(/^msg_/);

    const req = await arrival(target, msg.id);
    expect(req.body).toBe('{"success": true}');
    expect(verify((await svix.endpoint.getSecret(appId, ep.id)).key, req)).toEqual({ success: true });
    await new Promise((res) => setTimeout(res, 500));
    expect(bystander.requests.filter((q) => q.headers['webhook-id'] === msg.id)).toEqual([]);
  });

  it("sends the event type's schema example (exampleIndex picks one); none or an unknown type is an error", async () => {
    const r = await receiver();
    const ep = await svix.endpoint.create(appId, { url: `${r.url}/example` });
    const first = await svix.endpoint.sendExample(appId, ep.id, { eventType: 'user.created' });
    expect(first.payload).toEqual({ userId: 'u_1', name: 'Ada' });
    const second = await svix.endpoint.sendExample(appId, ep.id, { eventType: 'user.created', exampleIndex: 1 });
    const req = await arrival(r, second.id);
    expect(JSON.parse(req.body)).toEqual({ userId: 'u_2' });
    expect(verify((await svix.endpoint.getSecret(appId, ep.id)).key, req)).toEqual({ userId: 'u_2' });

    const noExample = await apiError(svix.endpoint.sendExample(appId, ep.id, { eventType: 'invoice.paid' }));
    expect(noExample.code).toBe(400);
    expect(noExample.body).toEqual({ code: 'invalid_scheme', detail: expect.any(String) });
    expect((await apiError(svix.endpoint.sendExample(appId, ep.id, { eventType: 'no.such.type' }))).code).toBe(404);
  });
});
