import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Response } from 'supertest';
import type { Svix } from 'svix';
import { generateAsymmetricKeyPair, verifyWebhook, WebhookVerificationError } from '@hookline/signing';
import { startReceiver, type ReceivedRequest, type Receiver } from '@hookline/test-support/receiver';
import { startTestHookline, type TestHookline } from '@hookline/test-support/hookline';
import { waitUntil } from '@hookline/test-support/process';
import { svixClient } from '@hookline/test-support/svix';

// Asymmetric (ed25519, Standard Webhooks `v1a`) endpoints: real deliveries to loopback receivers,
// verified with the endpoint's whpk_ public key and @hookline/signing, as a receiver would.

let h: TestHookline;
let svix: Svix;
let auth: { authorization: string };
let appId: string;
let base: string;
const receivers: Receiver[] = [];

beforeAll(async () => {
  h = await startTestHookline();
  const { apiKey } = await h.createTenant();
  svix = svixClient(h, apiKey);
  auth = { authorization: `Bearer ${apiKey}` };
  await h.http.post('/api/v1/event-type').set(auth).send({ name: 'invoice.paid', description: 'no schema' }).expect(201);
  appId = (await h.http.post('/api/v1/app').set(auth).send({ name: 'ed25519' }).expect(201)).body.id;
  base = `/api/v1/app/${appId}/endpoint`;
});
afterAll(async () => {
  for (const r of receivers) await r.close();
  await h?.stop();
});

async function receiver(): Promise<Receiver> {
  const r = await startReceiver();
  receivers.push(r);
  return r;
}

async function publish(payload: object): Promise<string> {
  return (await h.http.post(`/api/v1/app/${appId}/msg`).set(auth).send({ eventType: 'invoice.paid', payload }).expect(202)).body.id;
}

async function arrival(r: Receiver, msgId: string): Promise<ReceivedRequest> {
  let found: ReceivedRequest | undefined;
  await waitUntil(() => (found = r.requests.find((q) => q.headers['webhook-id'] === msgId)) !== undefined, 20_000, `message ${msgId}`);
  return found!;
}

const signaturesOf = (req: ReceivedRequest) => String(req.headers['webhook-signature']).split(' ');
const verify = (key: string, req: ReceivedRequest) => verifyWebhook(req.body, req.headers, key);
const secretOf = async (epId: string) => (await h.http.get(`${base}/${epId}/secret`).set(auth).expect(200)).body.key as string;
const WHPK = /^whpk_[A-Za-z0-9+/]{43}=$/;

/** Asserts a 422 whose only problem is at `loc`. */
function expectInvalid(res: Response, loc: string[]): void {
  expect(res.status, JSON.stringify(res.body)).toBe(422);
  expect(res.body).toEqual({ detail: [{ loc, msg: expect.any(String), type: expect.stringMatching(/^(value|type)_error/) }] });
}

describe('ed25519 endpoints', () => {
  it('signatureType ed25519 generates a key pair: the secret route shows the public key, deliveries carry only v1a', async () => {
    const r = await receiver();
    const created = await h.http
      .post(base)
      .set(auth)
      .send({ url: `${r.url}/generated`, signatureType: 'ed25519' })
      .expect(201);
    expect(created.text).not.toMatch(/wh(sk|sec)_/);
    const publicKey = await secretOf(created.body.id);
    expect(publicKey).toMatch(WHPK);
    // The private key is nowhere in what the API shows of the endpoint.
    expect((await h.http.get(`${base}/${created.body.id}`).set(auth).expect(200)).text).not.toContain('whsk_');

    const req = await arrival(r, await publish({ generated: true }));
    expect(signaturesOf(req)).toHaveLength(1);
    expect(signaturesOf(req)[0]).toMatch(/^v1a,[A-Za-z0-9+/]{86}==$/);
    expect(req.headers['webhook-signature']).not.toContain('v1,');
    expect(verify(publicKey, req)).toEqual({ generated: true });
    // Not vacuous: another key pair's public key does not verify it, nor does the body changed.
    expect(() => verify(generateAsymmetricKeyPair().publicKey, req)).toThrow(WebhookVerificationError);
    expect(() => verifyWebhook(req.body.replace('true', 'false'), req.headers, publicKey)).toThrow(WebhookVerificationError);
  });

  it('a given whsk_ secret (through the svix client) signs; its public key is what the secret route returns', async () => {
    const r = await receiver();
    const pair = generateAsymmetricKeyPair();
    const ep = await svix.endpoint.create(appId, { url: `${r.url}/given`, secret: pair.secret });
    expect(await svix.endpoint.getSecret(appId, ep.id)).toEqual({ key: pair.publicKey });

    const req = await arrival(r, await publish({ given: 1 }));
    expect(signaturesOf(req)).toEqual([expect.stringMatching(/^v1a,/)]);
    expect(verify(pair.publicKey, req)).toEqual({ given: 1 });
    expect(() => verify(generateAsymmetricKeyPair().publicKey, req)).toThrow('No matching signature found');
  });

  it('rotation generates a new key pair; during the grace period each delivery carries one v1a signature per key', async () => {
    const r = await receiver();
    const ep = await svix.endpoint.create(appId, { url: `${r.url}/rotate`, secret: generateAsymmetricKeyPair().secret });
    const oldKey = (await svix.endpoint.getSecret(appId, ep.id)).key;
    await svix.endpoint.rotateSecret(appId, ep.id, {});
    const newKey = (await svix.endpoint.getSecret(appId, ep.id)).key;
    expect(newKey).toMatch(WHPK);
    expect(newKey).not.toBe(oldKey);

    const req = await arrival(r, await publish({ rotated: true }));
    const signatures = signaturesOf(req);
    expect(signatures).toHaveLength(2);
    expect(signatures.every((s) => s.startsWith('v1a,'))).toBe(true);
    expect(verify(oldKey, req)).toEqual({ rotated: true });
    expect(verify(newKey, req)).toEqual({ rotated: true });
    // Each signature verifies with exactly one of the two keys.
    const only = (sig: string) => ({ ...req.headers, 'webhook-signature': sig });
    expect(
      signatures.map((sig) =>
        [oldKey, newKey].filter((k) => {
          try {
            verifyWebhook(req.body, only(sig), k);
            return true;
          } catch {
            return false;
          }
        }),
      ),
    ).toEqual([[newKey], [oldKey]]);
  });

  it('rotation to a given whsk_ key with no grace period: only the new key signs', async () => {
    const r = await receiver();
    const ep = await svix.endpoint.create(appId, { url: `${r.url}/rotate-given`, secret: generateAsymmetricKeyPair().secret });
    const oldKey = (await svix.endpoint.getSecret(appId, ep.id)).key;
    const given = generateAsymmetricKeyPair();
    await svix.endpoint.rotateSecret(appId, ep.id, { key: given.secret, gracePeriodSeconds: 0 });
    expect((await svix.endpoint.getSecret(appId, ep.id)).key).toBe(given.publicKey);

    const req = await arrival(r, await publish({ given: 'rotated' }));
    expect(signaturesOf(req)).toEqual([expect.stringMatching(/^v1a,/)]);
    expect(verify(given.publicKey, req)).toEqual({ given: 'rotated' });
    expect(() => verify(oldKey, req)).toThrow(WebhookVerificationError);
  });
});

describe('ed25519 input rules', () => {
  const pair = generateAsymmetricKeyPair();
  const other = generateAsymmetricKeyPair();
  const raw = Buffer.from(pair.secret.slice('whsk_'.length), 'base64');
  const badKeys = {
    // The public half belongs to another seed.
    mismatched: `whsk_${Buffer.concat([raw.subarray(0, 32), Buffer.from(other.publicKey.slice('whpk_'.length), 'base64')]).toString('base64')}`,
    tooShort: `whsk_${raw.subarray(0, 48).toString('base64')}`,
    notBase64: `whsk_${'!'.repeat(88)}`,
    publicKey: pair.publicKey,
  };

  it('create refuses a bad whsk_ key, a whpk_ public key and a signatureType that contradicts the secret', async () => {
    for (const [what, secret] of Object.entries(badKeys)) {
      const res = await h.http.post(base).set(auth).send({ url: 'https://example.com/bad', secret });
      expectInvalid(res, ['body', 'secret']);
      expect(res.text, what).not.toContain(secret);
    }
    expectInvalid(await h.http.post(base).set(auth).send({ url: 'https://example.com/bad', signatureType: 'rsa' }), ['body', 'signatureType']);
    expectInvalid(
      await h.http.post(base).set(auth).send({ url: 'https://example.com/bad', secret: 'whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7oD', signatureType: 'ed25519' }),
      ['body', 'signatureType'],
    );
    expectInvalid(await h.http.post(base).set(auth).send({ url: 'https://example.com/bad', secret: pair.secret, signatureType: 'hmac256' }), ['body', 'signatureType']);
    // Agreeing fields are fine, and hmac256 is the default scheme.
    const agreed = await h.http.post(base).set(auth).send({ url: 'https://example.com/ok', secret: pair.secret, signatureType: 'ed25519' }).expect(201);
    expect(await secretOf(agreed.body.id)).toBe(pair.publicKey);
    const hmac = await h.http.post(base).set(auth).send({ url: 'https://example.com/ok', signatureType: 'hmac256' }).expect(201);
    expect(await secretOf(hmac.body.id)).toMatch(/^whsec_/);
  });

  it('rotation keeps the scheme: a key of the other scheme or a bad whsk_ key is a 422 and changes nothing', async () => {
    const asym = (await h.http.post(base).set(auth).send({ url: 'https://example.com/asym', signatureType: 'ed25519' }).expect(201)).body.id;
    const sym = (await h.http.post(base).set(auth).send({ url: 'https://example.com/sym' }).expect(201)).body.id;
    const [asymKey, symKey] = [await secretOf(asym), await secretOf(sym)];

    expectInvalid(await h.http.post(`${base}/${asym}/secret/rotate`).set(auth).send({ key: 'whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7oD' }), ['body', 'key']);
    expectInvalid(await h.http.post(`${base}/${sym}/secret/rotate`).set(auth).send({ key: pair.secret }), ['body', 'key']);
    for (const key of Object.values(badKeys)) {
      expectInvalid(await h.http.post(`${base}/${asym}/secret/rotate`).set(auth).send({ key }), ['body', 'key']);
    }
    expect([await secretOf(asym), await secretOf(sym)]).toEqual([asymKey, symKey]);

    // A symmetric endpoint still rotates to a generated whsec_ key.
    await h.http.post(`${base}/${sym}/secret/rotate`).set(auth).send({}).expect(204);
    expect(await secretOf(sym)).toMatch(/^whsec_/);
  });
});
