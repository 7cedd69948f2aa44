import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Webhook } from 'standardwebhooks';
import { startReceiver, type Receiver } from '@hookline/test-support/receiver';
import { startTestHookline, type TestHookline } from '@hookline/test-support/hookline';

let h: TestHookline;
let auth: { authorization: string };

beforeAll(async () => {
  h = await startTestHookline();
  const { apiKey } = await h.createTenant();
  auth = { authorization: `Bearer ${apiKey}` };
  for (const name of ['invoice.paid', 'user.created']) {
    await h.http.post('/api/v1/event-type').set(auth).send({ name, description: name }).expect(201);
  }
});
afterAll(async () => h?.stop());

async function createAppWithEndpoint(receiver: Receiver, endpoint: Record<string, unknown> = {}) {
  const app = await h.http.post('/api/v1/app').set(auth).send({ name: 'app' }).expect(201);
  const ep = await h.http
    .post(`/api/v1/app/${app.body.id}/endpoint`)
    .set(auth)
    .send({ url: `${receiver.url}/hook`, ...endpoint })
    .expect(201);
  return { appId: app.body.id as string, endpointId: ep.body.id as string };
}

async function publish(appId: string, eventType: string, payload: unknown): Promise<string> {
  const res = await h.http.post(`/api/v1/app/${appId}/msg`).set(auth).send({ eventType, payload }).expect(202);
  return res.body.id as string;
}

/** Polls the attempt log until `done` holds; the worker records attempts asynchronously. */
async function attemptsFor(appId: string, msgId: string, done: (statuses: number[]) => boolean, timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const res = await h.http.get(`/api/v1/app/${appId}/attempt/msg/${msgId}`).set(auth).expect(200);
    const codes = (res.body.data as Array<{ responseStatusCode: number }>).map((a) => a.responseStatusCode);
    if (done(codes)) return res.body.data as Array<Record<string, unknown>>;
    if (Date.now() > deadline) throw new Error(`attempts so far: ${JSON.stringify(codes)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('delivery', () => {
  it('delivers the payload byte-for-byte with a signature that standardwebhooks verifies', async () => {
    const receiver = await startReceiver();
    try {
      const { appId, endpointId } = await createAppWithEndpoint(receiver);
      const payload = { invoiceId: 'in_1', amount: 4200, lines: [{ sku: 'a', qty: 2 }], note: 'héllo ✓' };
      const msgId = await publish(appId, 'invoice.paid', payload);
      const [req] = await receiver.waitFor(1);
      expect(req!.body).toBe(JSON.stringify(payload));
      expect(req!.headers['webhook-id']).toBe(msgId);
      expect(req!.headers['content-type']).toBe('application/json');

      const secret = await h.http.get(`/api/v1/app/${appId}/endpoint/${endpointId}/secret`).set(auth).expect(200);
      expect(secret.body.key).toMatch(/^whsec_/);
      const verified = new Webhook(secret.body.key).verify(req!.body, req!.headers as Record<string, string>);
      expect(verified).toEqual(payload);
      // A different secret must not verify: the check above is not vacuous.
      expect(() => new Webhook('whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw').verify(req!.body, req!.headers as Record<string, string>)).toThrow();

      const attempts = await attemptsFor(appId, msgId, (c) => c.length === 1);
      expect(attempts[0]).toMatchObject({ msgId, endpointId, responseStatusCode: 200, status: 0, statusText: 'success', triggerType: 0 });
    } finally {
      await receiver.close();
    }
  });

  it('signs with the secret given at endpoint creation', async () => {
    const receiver = await startReceiver();
    try {
      const secret = 'whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7oD';
      const { appId, endpointId } = await createAppWithEndpoint(receiver, { secret });
      const got = await h.http.get(`/api/v1/app/${appId}/endpoint/${endpointId}/secret`).set(auth).expect(200);
      expect(got.body).toEqual({ key: secret });
      await publish(appId, 'invoice.paid', { given: true });
      const [req] = await receiver.waitFor(1);
      expect(new Webhook(secret).verify(req!.body, req!.headers as Record<string, string>)).toEqual({ given: true });
    } finally {
      await receiver.close();
    }
  });

  it('retries a receiver that answers 500 twice, then 200, and lists all three attempts', async () => {
    const receiver = await startReceiver((_req, n) => (n <= 2 ? { status: 500, body: `failure ${n}` } : { status: 200, body: 'ok' }));
    try {
      const { appId } = await createAppWithEndpoint(receiver);
      const msgId = await publish(appId, 'invoice.paid', { n: 1 });
      const attempts = await attemptsFor(appId, msgId, (c) => c.length >= 3);
      // Newest first, as Svix lists them.
      expect(attempts.map((a) => a.responseStatusCode)).toEqual([200, 500, 500]);
      expect(attempts.map((a) => a.response)).toEqual(['ok', 'failure 2', 'failure 1']);
      expect(attempts.map((a) => a.status)).toEqual([0, 2, 2]);
      expect(new Set(receiver.requests.map((r) => r.headers['webhook-id']))).toEqual(new Set([msgId]));
      const msg = await h.http.get(`/api/v1/app/${appId}/msg/${msgId}`).set(auth).expect(200);
      expect(msg.body.payload).toEqual({ n: 1 });
    } finally {
      await receiver.close();
    }
  });

  it('records status 0 for a receiver that is down and keeps retrying', async () => {
    const receiver = await startReceiver();
    const { appId } = await createAppWithEndpoint(receiver);
    await receiver.close();
    const msgId = await publish(appId, 'invoice.paid', { down: true });
    const attempts = await attemptsFor(appId, msgId, (c) => c.length >= 2);
    expect(attempts.every((a) => a.responseStatusCode === 0 && a.status === 2)).toBe(true);
    expect(String(attempts[0]!.response)).toMatch(/refused|reset|closed/);
  });

  it('delivers only the event types an endpoint subscribes to', async () => {
    const receiver = await startReceiver();
    try {
      const { appId } = await createAppWithEndpoint(receiver, { eventTypes: ['invoice.paid'] });
      const skipped = await publish(appId, 'user.created', { user: 1 });
      const wanted = await publish(appId, 'invoice.paid', { invoice: 1 });
      await receiver.waitFor(1);
      await attemptsFor(appId, wanted, (c) => c.length === 1);
      // Give the unsubscribed message every chance to arrive before asserting it did not.
      await new Promise((r) => setTimeout(r, 1000));
      expect(receiver.requests.map((r) => r.headers['webhook-id'])).toEqual([wanted]);
      expect((await attemptsFor(appId, skipped, () => true)).length).toBe(0);
    } finally {
      await receiver.close();
    }
  });
});
