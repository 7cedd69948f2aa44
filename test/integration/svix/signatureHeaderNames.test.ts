import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Webhook as StandardWebhook } from 'standardwebhooks';
import { Webhook as SvixWebhook, type Svix } from 'svix';
import { startReceiver, type ReceivedRequest, type Receiver } from '@hookline/test-support/receiver';
import { startTestHookline, type TestHookline } from '@hookline/test-support/hookline';
import { waitUntil } from '@hookline/test-support/process';
import { svixClient } from '@hookline/test-support/svix';

// Receivers written for Svix read svix-id, svix-timestamp and svix-signature. A tenant (console
// settings) and an endpoint (its own field) choose the names: webhook (default), svix or both.
// Each delivery is verified by a real receiver with the svix package's verifier given only the
// svix-* headers, and with standardwebhooks given only the webhook-* headers.

let h: TestHookline;
let svix: Svix;
let auth: { authorization: string };
let appId: string;
let receiver: Receiver;

const SIGNATURE_NAMES = ['id', 'timestamp', 'signature'];
const only = (req: ReceivedRequest, prefix: 'svix' | 'webhook') =>
  Object.fromEntries(SIGNATURE_NAMES.map((n) => [`${prefix}-${n}`, String(req.headers[`${prefix}-${n}`])]));
/** The svix package's verifier, given only the svix-* headers: it throws unless they verify (it returns nothing). */
const svixVerified = (secret: string, req: ReceivedRequest): unknown => {
  new SvixWebhook(secret).verify(req.body, only(req, 'svix'));
  return JSON.parse(req.body);
};
const present = (req: ReceivedRequest) => SIGNATURE_NAMES.flatMap((n) => ['webhook', 'svix'].map((p) => `${p}-${n}`)).filter((name) => name in req.headers);

beforeAll(async () => {
  h = await startTestHookline();
  const { apiKey } = await h.createTenant();
  svix = svixClient(h, apiKey);
  auth = { authorization: `Bearer ${apiKey}` };
  appId = (await svix.application.create({ name: 'header names' })).id;
  receiver = await startReceiver();
});
afterAll(async () => {
  await receiver?.close();
  await h?.stop();
});

async function endpointWith(names: 'webhook' | 'svix' | 'both' | null, path: string): Promise<{ id: string; secret: string }> {
  const ep = await svix.endpoint.create(appId, { url: `${receiver.url}/${path}` });
  if (names !== null) {
    const res = await h.http.patch(`/api/v1/app/${appId}/endpoint/${ep.id}`).set(auth).send({ signatureHeaderNames: names }).expect(200);
    expect(res.body.signatureHeaderNames).toBe(names);
  }
  return { id: ep.id, secret: (await svix.endpoint.getSecret(appId, ep.id)).key };
}

/** Publishes through the svix client and returns each endpoint path's request for it. */
async function deliver(paths: string[]): Promise<Map<string, ReceivedRequest>> {
  const msg = await svix.message.create(appId, { eventType: 'invoice.paid', payload: { amount: 42 } });
  const of = () => receiver.requests.filter((r) => r.headers['webhook-id'] === msg.id || r.headers['svix-id'] === msg.id);
  await waitUntil(() => paths.every((p) => of().some((r) => r.path === `/${p}`)), 20_000, `deliveries of ${msg.id}`);
  return new Map(of().map((r) => [r.path.slice(1), r]));
}

describe('signature header names', () => {
  it('per endpoint: webhook by default, svix or both on request, each verified by its own library', async () => {
    const plain = await endpointWith(null, 'plain');
    const svixOnly = await endpointWith('svix', 'svix-only');
    const both = await endpointWith('both', 'both');
    const got = await deliver(['plain', 'svix-only', 'both']);

    const p = got.get('plain')!;
    expect(present(p).sort()).toEqual(['webhook-id', 'webhook-signature', 'webhook-timestamp']);
    expect(new StandardWebhook(plain.secret).verify(p.body, only(p, 'webhook'))).toEqual({ amount: 42 });

    const s = got.get('svix-only')!;
    expect(present(s).sort()).toEqual(['svix-id', 'svix-signature', 'svix-timestamp']);
    expect(svixVerified(svixOnly.secret, s)).toEqual({ amount: 42 });
    // standardwebhooks reads only webhook-*: a receiver of that library needs "webhook" or "both".
    expect(() => new StandardWebhook(svixOnly.secret).verify(s.body, s.headers as Record<string, string>)).toThrow();

    const b = got.get('both')!;
    expect(present(b).sort()).toEqual(['svix-id', 'svix-signature', 'svix-timestamp', 'webhook-id', 'webhook-signature', 'webhook-timestamp']);
    expect(only(b, 'svix')['svix-signature']).toBe(only(b, 'webhook')['webhook-signature']);
    expect(svixVerified(both.secret, b)).toEqual({ amount: 42 });
    expect(new StandardWebhook(both.secret).verify(b.body, only(b, 'webhook'))).toEqual({ amount: 42 });

    // The attempt records the headers as sent, under their names.
    // The receiver has the request before the worker records the attempt: wait for the record.
    let attempts = await svix.messageAttempt.listByEndpoint(appId, svixOnly.id);
    await waitUntil(async () => (attempts = await svix.messageAttempt.listByEndpoint(appId, svixOnly.id)).data.length > 0, 20_000, 'the attempt record');
    expect(attempts.data).toHaveLength(1);
    const sent = await h.http.get(`/api/v1/app/${appId}/msg/${attempts.data[0]!.msgId}/attempt/${attempts.data[0]!.id}`).set(auth).expect(200);
    expect(sent.body.requestHeaders.headers['svix-id']).toBe(attempts.data[0]!.msgId);
    expect(sent.body.requestHeaders.headers['webhook-id']).toBeUndefined();
  });

  it("per tenant, with an endpoint's own choice winning, and null going back to the tenant's", async () => {
    const settings = await h.http.patch('/console/v1/settings').set(auth).send({ signatureHeaderNames: 'svix' }).expect(200);
    expect(settings.body.signatureHeaderNames).toBe('svix');
    const follows = await endpointWith(null, 'tenant-svix');
    const own = await endpointWith('webhook', 'own-webhook');
    let got = await deliver(['tenant-svix', 'own-webhook']);
    expect(present(got.get('tenant-svix')!).sort()).toEqual(['svix-id', 'svix-signature', 'svix-timestamp']);
    expect(svixVerified(follows.secret, got.get('tenant-svix')!)).toEqual({ amount: 42 });
    expect(present(got.get('own-webhook')!).sort()).toEqual(['webhook-id', 'webhook-signature', 'webhook-timestamp']);
    expect(new StandardWebhook(own.secret).verify(got.get('own-webhook')!.body, only(got.get('own-webhook')!, 'webhook'))).toEqual({ amount: 42 });

    // A Svix client's PUT (which knows nothing of the field) keeps it; null clears it.
    await svix.endpoint.upsert(appId, own.id, { url: `${receiver.url}/own-webhook`, description: 'put' });
    expect((await h.http.get(`/api/v1/app/${appId}/endpoint/${own.id}`).set(auth).expect(200)).body.signatureHeaderNames).toBe('webhook');
    const cleared = await h.http.patch(`/api/v1/app/${appId}/endpoint/${own.id}`).set(auth).send({ signatureHeaderNames: null }).expect(200);
    expect(cleared.body.signatureHeaderNames).toBeNull();
    got = await deliver(['own-webhook']);
    expect(present(got.get('own-webhook')!).sort()).toEqual(['svix-id', 'svix-signature', 'svix-timestamp']);
    await h.http.patch('/console/v1/settings').set(auth).send({ signatureHeaderNames: 'both' }).expect(200);
    got = await deliver(['tenant-svix']);
    expect(present(got.get('tenant-svix')!)).toHaveLength(6);
    await h.http.patch('/console/v1/settings').set(auth).send({ signatureHeaderNames: 'webhook' }).expect(200);
  });

  it('refuses a name set it does not know, changing nothing', async () => {
    const ep = await svix.endpoint.create(appId, { url: `${receiver.url}/refused` });
    const res = await h.http.patch(`/api/v1/app/${appId}/endpoint/${ep.id}`).set(auth).send({ signatureHeaderNames: 'x-my' }).expect(422);
    expect(res.body.detail[0].loc).toEqual(['body', 'signatureHeaderNames']);
    await h.http.patch('/console/v1/settings').set(auth).send({ signatureHeaderNames: null }).expect(422);
    expect((await h.http.get('/console/v1/settings').set(auth).expect(200)).body.signatureHeaderNames).toBe('webhook');
  });
});
