import pg from 'pg';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startReceiver, type ReceivedRequest, type Receiver } from '@hookline/test-support/receiver';
import { startTestHookline, type TestHookline } from '@hookline/test-support/hookline';
import { waitUntil } from '@hookline/test-support/process';
import { svixClient } from '@hookline/test-support/svix';

interface OpEvent {
  type: string;
  data: Record<string, unknown> & { lastAttempt?: { id: string; responseStatusCode: number; timestamp: string } };
}

let h: TestHookline;
let apiKey: string;
let auth: { authorization: string };
let ops: Receiver;
let opEndpointId: string;
let opSecret: string;
const receivers: Receiver[] = [];

beforeAll(async () => {
  // Six attempts a second apart: the 4th failure and the exhaustion both come within seconds.
  h = await startTestHookline({ HOOKLINE_RETRY_SCHEDULE: '1,1,1,1,1' });
  apiKey = (await h.createTenant()).apiKey;
  auth = { authorization: `Bearer ${apiKey}` };
  ops = await receiver();
  const created = await h.http
    .post('/api/v1/operational-webhook/endpoint')
    .set(auth)
    .send({ url: `${ops.url}/ops`, description: 'health', metadata: { team: 'sre' } })
    .expect(201);
  opEndpointId = created.body.id;
  opSecret = (await h.http.get(`/api/v1/operational-webhook/endpoint/${opEndpointId}/secret`).set(auth).expect(200)).body.key;
});
afterAll(async () => {
  await Promise.all(receivers.map((r) => r.close()));
  await h?.stop();
});

async function receiver(reply?: Parameters<typeof startReceiver>[0]): Promise<Receiver> {
  const r = await startReceiver(reply);
  receivers.push(r);
  return r;
}

/** Verifies a delivery's Standard Webhooks signature with `secret` (throws if forged) and returns its payload. */
function verified(req: ReceivedRequest, secret: string): OpEvent {
  return new Webhook(secret).verify(req.body, req.headers as Record<string, string>) as OpEvent;
}

/** Every operational event received so far, each verified with the operational endpoint's secret. */
const opEvents = (): OpEvent[] => ops.requests.filter((req) => req.path === '/ops').map((req) => verified(req, opSecret));

async function waitForEvent(type: string, match: (e: OpEvent) => boolean, timeoutMs = 20_000): Promise<OpEvent> {
  let found: OpEvent | undefined;
  await waitUntil(() => (found = opEvents().find((e) => e.type === type && match(e))) !== undefined, timeoutMs, `a ${type} operational webhook`);
  return found!;
}

const about = (endpointId: string) => (e: OpEvent) => e.data.endpointId === endpointId;
const ofMessage = (msgId: string) => (e: OpEvent) => e.data.msgId === msgId;

async function appWithEndpoint(r: Receiver, uid?: string) {
  const app = await h.http
    .post('/api/v1/app')
    .set(auth)
    .send({ name: 'customer', ...(uid ? { uid } : {}) })
    .expect(201);
  const ep = await h.http
    .post(`/api/v1/app/${app.body.id}/endpoint`)
    .set(auth)
    .send({ url: `${r.url}/hook` })
    .expect(201);
  return { appId: app.body.id as string, endpointId: ep.body.id as string };
}

const publish = async (appId: string) =>
  (
    await h.http
      .post(`/api/v1/app/${appId}/msg`)
      .set(auth)
      .send({ eventType: 'invoice.paid', payload: { n: 1 } })
      .expect(202)
  ).body.id as string;

const attemptsOf = async (appId: string, msgId: string) =>
  (await h.http.get(`/api/v1/app/${appId}/attempt/msg/${msgId}`).set(auth).expect(200)).body.data as Array<{ id: string; responseStatusCode: number }>;

async function operationalAppId(): Promise<string> {
  const client = new pg.Client({ connectionString: h.connectionString });
  await client.connect();
  try {
    const { rows } = await client.query<{ id: string; name: string }>('SELECT id, name FROM application WHERE operational');
    expect(rows).toHaveLength(1);
    return rows[0]!.id;
  } finally {
    await client.end();
  }
}

describe('operational webhook endpoints', () => {
  it('are managed under /api/v1/operational-webhook/endpoint with Svix shapes, also through the svix client', async () => {
    const got = await h.http.get(`/api/v1/operational-webhook/endpoint/${opEndpointId}`).set(auth).expect(200);
    expect(got.body).toMatchObject({ id: opEndpointId, url: `${ops.url}/ops`, description: 'health', disabled: false, eventTypes: null, metadata: { team: 'sre' } });
    expect(got.body).not.toHaveProperty('channels');
    expect(opSecret).toMatch(/^whsec_/);

    const svix = svixClient(h, apiKey);
    const listed = await svix.operationalWebhook.endpoint.list();
    expect(listed.data.map((e) => e.id)).toEqual([opEndpointId]);

    // PUT creates (201, taking the path's uid) and replaces; DELETE removes.
    const put = await h.http
      .put('/api/v1/operational-webhook/endpoint/spare')
      .set(auth)
      .send({ url: `${ops.url}/spare`, eventTypes: ['endpoint.deleted'] })
      .expect(201);
    expect(put.body).toMatchObject({ uid: 'spare', eventTypes: ['endpoint.deleted'] });
    await h.http
      .put('/api/v1/operational-webhook/endpoint/spare')
      .set(auth)
      .send({ url: `${ops.url}/spare2`, uid: 'spare' })
      .expect(200);
    expect(await svix.operationalWebhook.endpoint.get('spare')).toMatchObject({ url: `${ops.url}/spare2`, eventTypes: null });
    await h.http.delete('/api/v1/operational-webhook/endpoint/spare').set(auth).expect(204);
    await h.http.get('/api/v1/operational-webhook/endpoint/spare').set(auth).expect(404);

    // Only operational event types may be subscribed to.
    const bad = await h.http
      .post('/api/v1/operational-webhook/endpoint')
      .set(auth)
      .send({ url: ops.url, eventTypes: ['invoice.paid'] })
      .expect(422);
    expect(bad.body.detail[0].loc).toEqual(['body', 'eventTypes', 0]);
  });

  it('live in a hidden application that the application routes and portal tokens cannot reach', async () => {
    const opApp = await operationalAppId();
    const listed = (await h.http.get('/api/v1/app?limit=250').set(auth).expect(200)).body.data as Array<{ id: string }>;
    expect(listed.map((a) => a.id)).not.toContain(opApp);
    await h.http.get(`/api/v1/app/${opApp}`).set(auth).expect(404);
    await h.http.patch(`/api/v1/app/${opApp}`).set(auth).send({ name: 'mine now' }).expect(404);
    await h.http.delete(`/api/v1/app/${opApp}`).set(auth).expect(404);
    await h.http.get(`/api/v1/app/${opApp}/endpoint`).set(auth).expect(404);
    await h.http.get(`/api/v1/app/${opApp}/endpoint/${opEndpointId}`).set(auth).expect(404);
    await h.http.post(`/api/v1/app/${opApp}/msg`).set(auth).send({ eventType: 'endpoint.disabled', payload: {} }).expect(404);
    await h.http.post(`/api/v1/auth/app-portal-access/${opApp}`).set(auth).send({}).expect(404);
    // A PUT to its id creates an ordinary application instead of touching it.
    const put = await h.http.put(`/api/v1/app/${opApp}`).set(auth).send({ name: 'other' }).expect(201);
    expect(put.body.id).not.toBe(opApp);
    expect(await operationalAppId()).toBe(opApp);

    // A portal token (of an ordinary application) cannot use the operational routes.
    const token = (await h.http.post(`/api/v1/auth/app-portal-access/${put.body.id}`).set(auth).send({}).expect(200)).body.token;
    await h.http
      .get('/api/v1/operational-webhook/endpoint')
      .set({ authorization: `Bearer ${token}` })
      .expect(403);
  });
});

describe('operational events', () => {
  it('reports endpoint.created, updated, disabled, enabled and deleted, signed with the operational secret', async () => {
    const deletions = await receiver();
    const onlyDeleted = await h.http
      .post('/api/v1/operational-webhook/endpoint')
      .set(auth)
      .send({ url: `${deletions.url}/deleted`, eventTypes: ['endpoint.deleted'] })
      .expect(201);
    const deletionSecret = (await h.http.get(`/api/v1/operational-webhook/endpoint/${onlyDeleted.body.id}/secret`).set(auth).expect(200)).body.key;

    const target = await receiver();
    const { appId, endpointId } = await appWithEndpoint(target, 'acme-ops');
    const data = { appId, appUid: 'acme-ops', endpointId, endpointUid: null };
    expect((await waitForEvent('endpoint.created', about(endpointId))).data).toEqual(data);

    await h.http.patch(`/api/v1/app/${appId}/endpoint/${endpointId}`).set(auth).send({ uid: 'primary' }).expect(200);
    expect((await waitForEvent('endpoint.updated', about(endpointId))).data).toEqual({ ...data, endpointUid: 'primary' });

    // Disabling through the API is reported as a manual endpoint.disabled, enabling as endpoint.enabled.
    await h.http.patch(`/api/v1/app/${appId}/endpoint/${endpointId}`).set(auth).send({ disabled: true }).expect(200);
    const disabled = await waitForEvent('endpoint.disabled', about(endpointId));
    expect(disabled.data).toEqual({ ...data, endpointUid: 'primary', failSince: null, trigger: 'manual' });
    await h.http.patch(`/api/v1/app/${appId}/endpoint/${endpointId}`).set(auth).send({ disabled: false }).expect(200);
    await waitForEvent('endpoint.enabled', about(endpointId));

    await h.http.delete(`/api/v1/app/${appId}/endpoint/primary`).set(auth).expect(204);
    expect((await waitForEvent('endpoint.deleted', about(endpointId))).data).toEqual({ ...data, endpointUid: 'primary' });

    // The endpoint that subscribed to endpoint.deleted alone got just that, signed with its own secret.
    await deletions.waitFor(1);
    await new Promise((r) => setTimeout(r, 500));
    const received = deletions.requests.map((req) => verified(req, deletionSecret));
    expect(received.map((e) => e.type)).toEqual(['endpoint.deleted']);
    expect(() => verified(deletions.requests[0]!, opSecret)).toThrow();
    expect(deletions.requests[0]!.headers['webhook-id']).toMatch(/^msg_/);
    await h.http.delete(`/api/v1/operational-webhook/endpoint/${onlyDeleted.body.id}`).set(auth).expect(204);
  });

  it('reports endpoint.disabled when a receiver answers 410 Gone', async () => {
    const gone = await receiver(() => ({ status: 410 }));
    const { appId, endpointId } = await appWithEndpoint(gone);
    const msgId = await publish(appId);
    const event = await waitForEvent('endpoint.disabled', about(endpointId));
    expect(event.data).toMatchObject({ appId, appUid: null, endpointId, endpointUid: null, trigger: 'automatic' });
    expect(Number.isNaN(Date.parse(event.data.failSince as string))).toBe(false);
    // The delivery ended there, without retries.
    const exhausted = await waitForEvent('message.attempt.exhausted', ofMessage(msgId));
    expect(exhausted.data.lastAttempt?.responseStatusCode).toBe(410);
  });

  it('reports message.attempt.failing on the 4th failure, exhausted after the last, recovered on a later success', async () => {
    let status = 500;
    const failing = await receiver(() => ({ status }));
    const { appId, endpointId } = await appWithEndpoint(failing);
    const msgId = await publish(appId);

    const failingEvent = await waitForEvent('message.attempt.failing', ofMessage(msgId));
    const fourth = (await attemptsOf(appId, msgId)).reverse()[3]!;
    expect(failingEvent.data).toEqual({
      appId,
      appUid: null,
      msgId,
      msgEventId: null,
      endpointId,
      lastAttempt: { id: fourth.id, responseStatusCode: 500, timestamp: expect.any(String) },
    });

    const exhausted = await waitForEvent('message.attempt.exhausted', ofMessage(msgId));
    const attempts = await attemptsOf(appId, msgId);
    expect(attempts).toHaveLength(6);
    expect(exhausted.data.lastAttempt?.id).toBe(attempts[0]!.id);
    expect(opEvents().filter((e) => e.type === 'message.attempt.failing' && e.data.msgId === msgId)).toHaveLength(1);

    // A manual resend that succeeds ends the reported failure.
    status = 200;
    await h.http.post(`/api/v1/app/${appId}/msg/${msgId}/endpoint/${endpointId}/resend`).set(auth).expect(202);
    const recovered = await waitForEvent('message.attempt.recovered', ofMessage(msgId));
    expect(recovered.data.lastAttempt?.responseStatusCode).toBe(200);
  });

  it('reports message.attempt.recovered when a delivery that was failing succeeds', async () => {
    const flaky = await receiver((_req, n) => ({ status: n <= 4 ? 503 : 200 }));
    const { appId } = await appWithEndpoint(flaky);
    const msgId = await publish(appId);
    const recovered = await waitForEvent('message.attempt.recovered', ofMessage(msgId));
    const attempts = await attemptsOf(appId, msgId);
    expect(attempts.map((a) => a.responseStatusCode)).toEqual([200, 503, 503, 503, 503]);
    expect(recovered.data.lastAttempt).toMatchObject({ id: attempts[0]!.id, responseStatusCode: 200 });
    await waitForEvent('message.attempt.failing', ofMessage(msgId), 1000);
    expect(opEvents().some((e) => e.type === 'message.attempt.exhausted' && e.data.msgId === msgId)).toBe(false);
  });

  it('never reports on the operational application itself', async () => {
    const opApp = await operationalAppId();
    expect(opEvents().length).toBeGreaterThan(5);
    expect(opEvents().filter((e) => e.data.appId === opApp || e.data.endpointId === opEndpointId)).toEqual([]);
  });
});
