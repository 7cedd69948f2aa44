import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Response } from 'supertest';
import { startReceiver, type Receiver } from '@hookline/test-support/receiver';
import { ADMIN_TOKEN, startTestHookline, type TestHookline } from '@hookline/test-support/hookline';

let h: TestHookline;
let receiver: Receiver;
let a: { authorization: string };
let b: { authorization: string };
const admin = { authorization: `Bearer ${ADMIN_TOKEN}` };

/** Tenant A's own application, and everything tenant B owns. */
let aApp: { id: string };
let bApp: { id: string; uid: string; name: string };
let bEndpoint: { id: string; uid: string; url: string };
let bMsg: { id: string; eventId: string };
let bSecret: string;

beforeAll(async () => {
  h = await startTestHookline();
  receiver = await startReceiver();
  a = { authorization: `Bearer ${(await h.createTenant('tenant-a')).apiKey}` };
  b = { authorization: `Bearer ${(await h.createTenant('tenant-b')).apiKey}` };
  for (const key of [a, b]) await h.http.post('/api/v1/event-type').set(key).send({ name: 'invoice.paid', description: 'paid' }).expect(201);
  await h.http.post('/api/v1/event-type').set(b).send({ name: 'b.secret.event', description: 'only B has it' }).expect(201);

  // Both tenants use the uid "shared": uids are unique per tenant, not globally.
  aApp = (await h.http.post('/api/v1/app').set(a).send({ name: 'A app', uid: 'shared' }).expect(201)).body;
  await h.http.post('/api/v1/app').set(b).send({ name: 'B shared', uid: 'shared' }).expect(201);
  bApp = (await h.http.post('/api/v1/app').set(b).send({ name: 'B-private-app-name', uid: 'b-private-uid' }).expect(201)).body;
  bEndpoint = (
    await h.http
      .post(`/api/v1/app/${bApp.id}/endpoint`)
      .set(b)
      .send({ url: `${receiver.url}/b`, uid: 'b-ep-uid' })
      .expect(201)
  ).body;
  bSecret = (await h.http.get(`/api/v1/app/${bApp.id}/endpoint/${bEndpoint.id}/secret`).set(b).expect(200)).body.key;
  bMsg = (
    await h.http
      .post(`/api/v1/app/${bApp.id}/msg`)
      .set(b)
      .send({ eventType: 'invoice.paid', eventId: 'b-evt-1', payload: { secret: 'b-payload' } })
      .expect(202)
  ).body;
  // B's message is delivered, so B has an attempt for A to (fail to) see.
  await receiver.waitFor(1);
  const deadline = Date.now() + 20_000;
  for (;;) {
    const res = await h.http.get(`/api/v1/app/${bApp.id}/attempt/msg/${bMsg.id}`).set(b).expect(200);
    if (res.body.data.length === 1) break;
    if (Date.now() > deadline) throw new Error("B's attempt was not recorded");
    await new Promise((r) => setTimeout(r, 100));
  }
});
afterAll(async () => {
  await receiver?.close();
  await h?.stop();
});

/** Strings that would confirm B's data exists to someone who is not B. */
const bSecrets = () => [bApp.id, bApp.uid, bApp.name, bEndpoint.id, bEndpoint.uid, bEndpoint.url, bMsg.id, bMsg.eventId, bSecret, 'b-payload', 'tenant-b'];

function expectHidden(res: Response, label: string): void {
  expect({ label, status: res.status, body: res.body }).toEqual({ label, status: 404, body: { code: 'not_found', detail: expect.any(String) } });
  for (const s of bSecrets()) expect(res.text, label).not.toContain(s);
}

describe('tenant A cannot reach tenant B', () => {
  it("sees 404 (not 403) for every one of B's resources, with nothing of B in the body", async () => {
    const reads: Array<[string, string]> = [
      ['app by id', `/api/v1/app/${bApp.id}`],
      ['app by uid', `/api/v1/app/${bApp.uid}`],
      ['endpoint list', `/api/v1/app/${bApp.id}/endpoint`],
      ['endpoint by id', `/api/v1/app/${bApp.id}/endpoint/${bEndpoint.id}`],
      ['endpoint by uid', `/api/v1/app/${bApp.uid}/endpoint/${bEndpoint.uid}`],
      ['endpoint secret', `/api/v1/app/${bApp.id}/endpoint/${bEndpoint.id}/secret`],
      ['message list', `/api/v1/app/${bApp.id}/msg`],
      ['message by id', `/api/v1/app/${bApp.id}/msg/${bMsg.id}`],
      ['message by eventId', `/api/v1/app/${bApp.id}/msg/${bMsg.eventId}`],
      ['attempts by message', `/api/v1/app/${bApp.id}/attempt/msg/${bMsg.id}`],
      ['attempts by endpoint', `/api/v1/app/${bApp.id}/attempt/endpoint/${bEndpoint.id}`],
      // A's own application does not open a door to B's endpoint or message either.
      ['B endpoint under A app', `/api/v1/app/${aApp.id}/endpoint/${bEndpoint.id}`],
      ['B secret under A app', `/api/v1/app/${aApp.id}/endpoint/${bEndpoint.id}/secret`],
      ['B message under A app', `/api/v1/app/${aApp.id}/msg/${bMsg.id}`],
      ['B attempts under A app', `/api/v1/app/${aApp.id}/attempt/msg/${bMsg.id}`],
      ['B endpoint attempts under A app', `/api/v1/app/${aApp.id}/attempt/endpoint/${bEndpoint.id}`],
    ];
    for (const [label, path] of reads) {
      expectHidden(await h.http.get(path).set(a), label);
      // The same request with B's key succeeds: the 404 above is about the tenant, not the path.
      if (!label.includes('under A app')) await h.http.get(path).set(b).expect(200);
    }
  });

  it("cannot write to B's application, endpoint or messages", async () => {
    expectHidden(await h.http.post(`/api/v1/app/${bApp.id}/endpoint`).set(a).send({ url: 'https://example.com/a' }), 'create endpoint');
    expectHidden(await h.http.put(`/api/v1/app/${bApp.id}/endpoint/${bEndpoint.id}`).set(a).send({ url: 'https://example.com/a' }), 'update endpoint');
    expectHidden(await h.http.delete(`/api/v1/app/${bApp.id}/endpoint/${bEndpoint.id}`).set(a), 'delete endpoint');
    expectHidden(
      await h.http
        .post(`/api/v1/app/${bApp.id}/msg`)
        .set(a)
        .send({ eventType: 'invoice.paid', payload: { from: 'a' } }),
      'publish',
    );
    expectHidden(await h.http.delete(`/api/v1/app/${bApp.id}`).set(a), 'delete app');
    expectHidden(await h.http.delete(`/api/v1/app/${bApp.uid}`).set(a), 'delete app by uid');

    // B's data is untouched.
    const app = await h.http.get(`/api/v1/app/${bApp.id}`).set(b).expect(200);
    expect(app.body).toMatchObject({ id: bApp.id, name: bApp.name, uid: bApp.uid });
    const eps = await h.http.get(`/api/v1/app/${bApp.id}/endpoint`).set(b).expect(200);
    expect(eps.body.data).toEqual([expect.objectContaining({ id: bEndpoint.id, url: bEndpoint.url })]);
    const msgs = await h.http.get(`/api/v1/app/${bApp.id}/msg`).set(b).expect(200);
    expect(msgs.body.data.map((m: { id: string }) => m.id)).toEqual([bMsg.id]);
  });

  it('resolves a uid both tenants use to its own application', async () => {
    const mine = await h.http.get('/api/v1/app/shared').set(a).expect(200);
    expect(mine.body).toMatchObject({ id: aApp.id, name: 'A app' });
    const theirs = await h.http.get('/api/v1/app/shared').set(b).expect(200);
    expect(theirs.body.name).toBe('B shared');
    expect(theirs.body.id).not.toBe(aApp.id);
  });

  it('cannot subscribe an endpoint to an event type only B has', async () => {
    const res = await h.http
      .post(`/api/v1/app/${aApp.id}/endpoint`)
      .set(a)
      .send({ url: 'https://example.com/a', eventTypes: ['b.secret.event'] });
    expect(res.status).toBe(422);
    expect(res.body.detail[0].loc).toEqual(['body', 'eventTypes']);
  });

  it('lists only its own applications and event types', async () => {
    const appsA = await h.http.get('/api/v1/app?limit=250').set(a).expect(200);
    expect(appsA.body.data.map((x: { id: string }) => x.id)).toEqual([aApp.id]);
    const appsB = await h.http.get('/api/v1/app?limit=250').set(b).expect(200);
    expect(appsB.body.data.map((x: { id: string }) => x.id)).toContain(bApp.id);
    expect(appsB.body.data.map((x: { id: string }) => x.id)).not.toContain(aApp.id);
    const typesA = await h.http.get('/api/v1/event-type?limit=250').set(a).expect(200);
    expect(typesA.body.data.map((x: { name: string }) => x.name)).toEqual(['invoice.paid']);
  });
});

describe('authentication', () => {
  const expect401 = (res: Response, label: string) => {
    expect({ label, status: res.status, body: res.body }).toEqual({ label, status: 401, body: { code: 'authentication_failed', detail: expect.any(String) } });
  };

  it('refuses requests without a valid API key with 401', async () => {
    expect401(await h.http.get('/api/v1/app'), 'no header');
    expect401(await h.http.get('/api/v1/app').set('authorization', ''), 'empty header');
    expect401(await h.http.get('/api/v1/app').set('authorization', 'Bearer'), 'no token');
    expect401(await h.http.get('/api/v1/app').set('authorization', 'Basic xyz'), 'basic');
    expect401(await h.http.get('/api/v1/app').set('authorization', `Basic ${Buffer.from('user:pw').toString('base64')}`), 'basic credentials');
    expect401(await h.http.get('/api/v1/app').set('authorization', 'Bearer hk_unknownunknownunknownunknownunknown0000'), 'unknown key');
    expect401(await h.http.get('/api/v1/app').set('authorization', 'Bearer not-even-a-key'), 'not a key');
    expect401(await h.http.get('/api/v1/app').set('authorization', 'Bearer two words'), 'two words');
    expect401(await h.http.get('/api/v1/app').set('authorization', `Bearer ${ADMIN_TOKEN}`), 'admin token on the tenant API');
    // Writes are refused too, and create nothing.
    expect401(await h.http.post('/api/v1/app').send({ name: 'anonymous' }), 'anonymous write');
    const list = await h.http.get('/api/v1/app?limit=250').set(a).expect(200);
    expect(list.body.data.map((x: { name: string }) => x.name)).not.toContain('anonymous');
  });

  it('stops accepting a revoked key at once, and only that key', async () => {
    const { tenantId, apiKey, keyId } = await h.createTenant('revocation');
    const second = await h.http.post(`/admin/v1/tenants/${tenantId}/api-keys`).set(admin).send({ name: 'second' }).expect(201);
    const first = { authorization: `Bearer ${apiKey}` };
    const other = { authorization: `Bearer ${second.body.key}` };
    await h.http.post('/api/v1/app').set(first).send({ name: 'made with the first key' }).expect(201);
    await h.http.get('/api/v1/app').set(other).expect(200);

    await h.http.delete(`/admin/v1/tenants/${tenantId}/api-keys/${keyId}`).set(admin).expect(204);

    expect401(await h.http.get('/api/v1/app').set(first), 'revoked key');
    expect401(await h.http.post('/api/v1/app').set(first).send({ name: 'after revocation' }), 'revoked key write');
    const list = await h.http.get('/api/v1/app').set(other).expect(200);
    expect(list.body.data.map((x: { name: string }) => x.name)).toEqual(['made with the first key']);
    // Another tenant's key is unaffected as well.
    await h.http.get('/api/v1/app').set(a).expect(200);
  });
});
