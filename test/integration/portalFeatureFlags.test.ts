import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestHookline, type TestHookline } from '@hookline/test-support/hookline';
import { startReceiver, type Receiver } from '@hookline/test-support/receiver';

// Svix's event type feature flags (issue 17, 2f): an event type with feature flags is visible only
// to portal sessions whose token carries one of them, in the catalog (list, get) and for
// subscribing (endpoint create, update, patch) and send-example; an API key sees every one.

let h: TestHookline;
let receiver: Receiver;
let auth: { authorization: string };
let appId: string;

const example = (id: string) => ({ 1: { type: 'object', properties: { id: { type: 'string' } }, examples: [{ id }] } });

beforeAll(async () => {
  [h, receiver] = await Promise.all([startTestHookline(), startReceiver()]);
  const { apiKey } = await h.createTenant();
  auth = { authorization: `Bearer ${apiKey}` };
  await h.http
    .post('/api/v1/event-type')
    .set(auth)
    .send({ name: 'invoice.paid', description: 'Public', schemas: example('public') })
    .expect(201);
  await h.http
    .post('/api/v1/event-type')
    .set(auth)
    .send({ name: 'beta.feature', description: 'Beta', schemas: example('beta'), featureFlags: ['beta'] })
    .expect(201);
  await h.http
    .post('/api/v1/event-type')
    .set(auth)
    .send({ name: 'vip.only', description: 'VIP', schemas: example('vip'), featureFlag: 'vip' })
    .expect(201);
  appId = (await h.http.post('/api/v1/app').set(auth).send({ name: 'Customer', uid: 'customer' }).expect(201)).body.id;
});
afterAll(async () => Promise.all([h?.stop(), receiver?.close()]));

async function portalToken(body: object = {}): Promise<{ authorization: string }> {
  const res = await h.http.post('/api/v1/auth/app-portal-access/customer').set(auth).send(body).expect(200);
  return { authorization: `Bearer ${res.body.token}` };
}

const names = (res: { body: { data: { name: string }[] } }) => res.body.data.map((e) => e.name);

describe('event type feature flags with portal tokens', () => {
  it('lists and gets flag-gated event types only for tokens carrying one of their flags', async () => {
    const plain = await portalToken();
    expect(names(await h.http.get('/api/v1/event-type?with_content=true').set(plain).expect(200))).toEqual(['invoice.paid']);
    for (const hidden of ['beta.feature', 'vip.only']) {
      const res = await h.http.get(`/api/v1/event-type/${hidden}`).set(plain).expect(404);
      expect(JSON.stringify(res.body)).not.toContain('"beta"');
    }
    await h.http.get('/api/v1/event-type/invoice.paid').set(plain).expect(200);

    const beta = await portalToken({ featureFlags: ['beta', 'unrelated'] });
    expect(names(await h.http.get('/api/v1/event-type').set(beta).expect(200))).toEqual(['beta.feature', 'invoice.paid']);
    expect((await h.http.get('/api/v1/event-type/beta.feature').set(beta).expect(200)).body.schemas['1'].examples).toEqual([{ id: 'beta' }]);
    await h.http.get('/api/v1/event-type/vip.only').set(beta).expect(404);

    // Pages stay full and walk every visible one: the filter is in the query, not after it.
    const page = await h.http.get('/api/v1/event-type?limit=1').set(beta).expect(200);
    expect(names(page)).toEqual(['beta.feature']);
    const next = await h.http.get(`/api/v1/event-type?limit=1&iterator=${page.body.iterator}`).set(beta).expect(200);
    expect(names(next)).toEqual(['invoice.paid']);

    // The vendor's API key sees them all.
    expect(names(await h.http.get('/api/v1/event-type').set(auth).expect(200))).toEqual(['beta.feature', 'invoice.paid', 'vip.only']);
  });

  it('refuses to subscribe an endpoint to an event type the token does not see, as an unknown one (422)', async () => {
    const plain = await portalToken();
    const refused = await h.http
      .post(`/api/v1/app/${appId}/endpoint`)
      .set(plain)
      .send({ url: `${receiver.url}/plain`, eventTypes: ['invoice.paid', 'beta.feature'] })
      .expect(422);
    expect(refused.body.detail).toEqual([expect.objectContaining({ loc: ['body', 'eventTypes'], msg: expect.stringContaining('beta.feature') })]);
    expect((await h.http.get(`/api/v1/app/${appId}/endpoint`).set(auth).expect(200)).body.data).toHaveLength(0);

    const ep = (
      await h.http
        .post(`/api/v1/app/${appId}/endpoint`)
        .set(plain)
        .send({ url: `${receiver.url}/plain`, eventTypes: ['invoice.paid'] })
        .expect(201)
    ).body;
    await h.http
      .patch(`/api/v1/app/${appId}/endpoint/${ep.id}`)
      .set(plain)
      .send({ eventTypes: ['vip.only'] })
      .expect(422);
    await h.http
      .put(`/api/v1/app/${appId}/endpoint/${ep.id}`)
      .set(plain)
      .send({ url: ep.url, eventTypes: ['beta.feature'] })
      .expect(422);
    await h.http
      .put(`/api/v1/app/${appId}/endpoint/new-one`)
      .set(plain)
      .send({ url: ep.url, eventTypes: ['beta.feature'] })
      .expect(422);
    expect((await h.http.get(`/api/v1/app/${appId}/endpoint/${ep.id}`).set(auth).expect(200)).body.eventTypes).toEqual(['invoice.paid']);

    const beta = await portalToken({ featureFlags: ['beta'] });
    const patched = await h.http
      .patch(`/api/v1/app/${appId}/endpoint/${ep.id}`)
      .set(beta)
      .send({ eventTypes: ['invoice.paid', 'beta.feature'] })
      .expect(200);
    expect(patched.body.eventTypes).toEqual(['invoice.paid', 'beta.feature']);
    // The API key may subscribe to any event type.
    await h.http
      .patch(`/api/v1/app/${appId}/endpoint/${ep.id}`)
      .set(auth)
      .send({ eventTypes: ['invoice.paid', 'beta.feature', 'vip.only'] })
      .expect(200);

    // A token without the flag may keep what the vendor subscribed the endpoint to, and edit the rest.
    const kept = await h.http
      .put(`/api/v1/app/${appId}/endpoint/${ep.id}`)
      .set(plain)
      .send({ url: ep.url, description: 'edited', eventTypes: ['invoice.paid', 'beta.feature', 'vip.only'] })
      .expect(200);
    expect(kept.body).toMatchObject({ description: 'edited', eventTypes: ['invoice.paid', 'beta.feature', 'vip.only'] });
    // An unknown event type stays unknown, kept or not.
    await h.http
      .patch(`/api/v1/app/${appId}/endpoint/${ep.id}`)
      .set(plain)
      .send({ eventTypes: ['no.such.type'] })
      .expect(422);
  });

  it("does not send a hidden event type's example", async () => {
    const ep = (
      await h.http
        .post(`/api/v1/app/${appId}/endpoint`)
        .set(auth)
        .send({ url: `${receiver.url}/example` })
        .expect(201)
    ).body;
    const plain = await portalToken();
    await h.http.post(`/api/v1/app/${appId}/endpoint/${ep.id}/send-example`).set(plain).send({ eventType: 'beta.feature' }).expect(404);
    await h.http.post(`/api/v1/app/${appId}/endpoint/${ep.id}/send-example`).set(plain).send({ eventType: 'invoice.paid' }).expect(202);
    const beta = await portalToken({ featureFlags: ['beta'] });
    await h.http.post(`/api/v1/app/${appId}/endpoint/${ep.id}/send-example`).set(beta).send({ eventType: 'beta.feature' }).expect(202);
    await expect
      .poll(
        () =>
          receiver.requests
            .filter((r) => r.path === '/example')
            .map((r) => JSON.parse(r.body).id)
            .sort(),
        { timeout: 15_000 },
      )
      .toEqual(['beta', 'public']);
  });
});
