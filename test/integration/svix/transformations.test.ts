import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Webhook } from 'standardwebhooks';
import { ApiException, type Svix } from 'svix';
import { startReceiver, type Receiver } from '@hookline/test-support/receiver';
import { startTestHookline, type TestHookline } from '@hookline/test-support/hookline';
import { waitUntil } from '@hookline/test-support/process';
import { svixClient } from '@hookline/test-support/svix';

// Endpoint transformations through the official svix 2.5 client: endpoint.transformation.get and
// .patch, and the older endpoint.transformationPartialUpdate, with values asserted and a real
// delivery that the set code shaped, verified with standardwebhooks.

let h: TestHookline;
let svix: Svix;
let auth: { authorization: string };
let rx: Receiver;
let appId: string;

beforeAll(async () => {
  h = await startTestHookline();
  const { apiKey } = await h.createTenant();
  svix = svixClient(h, apiKey);
  auth = { authorization: `Bearer ${apiKey}` };
  rx = await startReceiver(() => ({ status: 204 }));
  await h.http.post('/api/v1/event-type').set(auth).send({ name: 'order.shipped', description: 'shipped' }).expect(201);
  appId = (await svix.application.create({ name: 'transformations', uid: 'tr-app' })).id;
});
afterAll(async () => {
  await rx?.close();
  await h?.stop();
});

describe('svix.endpoint.transformation', () => {
  it('reads an endpoint without one as disabled with no code', async () => {
    const ep = await svix.endpoint.create(appId, { url: `${rx.url}/none`, uid: 'tr-none' });
    expect(await svix.endpoint.transformation.get(appId, ep.id)).toEqual({ code: null, enabled: false, variables: null, updatedAt: null });
  });

  it('patches code, enabled and variables, reads them back by id and uid, and the next delivery is transformed', async () => {
    const ep = await svix.endpoint.create(appId, { url: `${rx.url}/patched`, uid: 'tr-patched' });
    const code = 'function handler(webhook) { webhook.payload = { shipped: webhook.payload.order, via: webhook.eventType }; return webhook; }';
    const before = Date.now();
    await svix.endpoint.transformation.patch(appId, 'tr-patched', { code, enabled: true, variables: { region: 'eu' } });
    const got = await svix.endpoint.transformation.get(appId, ep.id);
    expect(got).toMatchObject({ code, enabled: true, variables: { region: 'eu' } });
    expect(got.updatedAt).toBeInstanceOf(Date);
    expect(got.updatedAt!.getTime()).toBeGreaterThanOrEqual(before - 1000);
    expect(await svix.endpoint.transformation.get(appId, 'tr-patched')).toEqual(got);

    const msg = await svix.message.create(appId, { eventType: 'order.shipped', payload: { order: 'ord_1' } });
    await waitUntil(() => rx.requests.some((r) => r.path === '/patched'), 20_000, 'the transformed delivery');
    const req = rx.requests.find((r) => r.path === '/patched')!;
    const secret = (await svix.endpoint.getSecret(appId, ep.id)).key;
    expect(new Webhook(secret).verify(req.body, req.headers as Record<string, string>)).toEqual({ shipped: 'ord_1', via: 'order.shipped' });
    expect(req.headers['webhook-id']).toBe(msg.id);
  });

  it('takes the older transformationPartialUpdate, which disables without touching the code', async () => {
    const ep = await svix.endpoint.create(appId, { url: `${rx.url}/older`, uid: 'tr-older' });
    await svix.endpoint.transformationPartialUpdate(appId, ep.id, { code: 'function handler(w) { return w; }', enabled: true });
    expect(await svix.endpoint.transformation.get(appId, ep.id)).toMatchObject({ code: 'function handler(w) { return w; }', enabled: true, variables: null });
    await svix.endpoint.transformationPartialUpdate(appId, ep.id, { enabled: false });
    expect(await svix.endpoint.transformation.get(appId, ep.id)).toMatchObject({ code: 'function handler(w) { return w; }', enabled: false });
  });

  it('answers 404 for an unknown endpoint and 422 for code over 64 KB, as ApiExceptions', async () => {
    const missing = await svix.endpoint.transformation.get(appId, 'ep_nope').catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(ApiException);
    expect((missing as ApiException<unknown>).code).toBe(404);
    const ep = await svix.endpoint.create(appId, { url: `${rx.url}/big`, uid: 'tr-big' });
    const big = await svix.endpoint.transformation.patch(appId, ep.id, { code: `function handler(w) { return w; } //${'é'.repeat(33_000)}` }).catch((e: unknown) => e);
    expect(big).toBeInstanceOf(ApiException);
    expect((big as ApiException<unknown>).code).toBe(422);
    expect((await svix.endpoint.transformation.get(appId, ep.id)).code).toBeNull();
  });
});
