import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startReceiver, type Receiver } from '@hookline/test-support/receiver';
import { startTestHookline, type TestHookline } from '@hookline/test-support/hookline';
import { waitUntil } from '@hookline/test-support/process';

let h: TestHookline;
let auth: { authorization: string };
const receivers: Receiver[] = [];

beforeAll(async () => {
  // A retry schedule long enough that only the behaviour under test can make a retry happen soon.
  h = await startTestHookline({ HOOKLINE_RETRY_SCHEDULE: '1,1,1', HOOKLINE_AUTO_DISABLE_AFTER_SECONDS: '2' });
  auth = { authorization: `Bearer ${(await h.createTenant()).apiKey}` };
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

async function setup(r: Receiver, path = '/hook') {
  const app = await h.http.post('/api/v1/app').set(auth).send({ name: 'sem' }).expect(201);
  const ep = await h.http
    .post(`/api/v1/app/${app.body.id}/endpoint`)
    .set(auth)
    .send({ url: `${r.url}${path}` })
    .expect(201);
  return { appId: app.body.id as string, endpointId: ep.body.id as string };
}

const publish = async (appId: string, payload: object = {}) =>
  (await h.http.post(`/api/v1/app/${appId}/msg`).set(auth).send({ eventType: 'x.y', payload }).expect(202)).body.id as string;

const attempts = async (appId: string, msgId: string) =>
  (await h.http.get(`/api/v1/app/${appId}/attempt/msg/${msgId}`).set(auth).expect(200)).body.data as Array<{ responseStatusCode: number; timestamp: string }>;

const endpoint = async (appId: string, endpointId: string) => (await h.http.get(`/api/v1/app/${appId}/endpoint/${endpointId}`).set(auth).expect(200)).body;

describe('delivery semantics', () => {
  it('treats a redirect as a failure and never follows it', async () => {
    const target = await receiver();
    const r = await receiver(() => ({ status: 302, headers: { location: `${target.url}/elsewhere` } }));
    const { appId } = await setup(r);
    const msgId = await publish(appId);
    await waitUntil(async () => (await attempts(appId, msgId)).length >= 2, 15_000, 'two attempts');
    expect((await attempts(appId, msgId)).every((a) => a.responseStatusCode === 302)).toBe(true);
    expect(target.requests).toHaveLength(0);
  });

  it('honours Retry-After on 429 by postponing the next attempt', async () => {
    const r = await startReceiver((_req, n) => (n === 1 ? { status: 429, body: 'slow down', headers: { 'retry-after': '3' } } : { status: 200 }));
    receivers.push(r);
    const { appId } = await setup(r);
    const msgId = await publish(appId);
    await r.waitFor(2, 15_000);
    const gap = r.requests[1]!.at - r.requests[0]!.at;
    // The schedule alone would retry after about 1 s.
    expect(gap).toBeGreaterThanOrEqual(2900);
    await waitUntil(async () => (await attempts(appId, msgId)).length === 2, 5000, 'second attempt recorded');
  });

  it('disables an endpoint that answers 410 Gone and stops retrying it', async () => {
    const r = await receiver(() => ({ status: 410 }));
    const { appId, endpointId } = await setup(r);
    const msgId = await publish(appId);
    await waitUntil(async () => (await endpoint(appId, endpointId)).disabled === true, 10_000, 'endpoint disabled');
    await new Promise((res) => setTimeout(res, 2000));
    expect(r.requests).toHaveLength(1);
    expect((await attempts(appId, msgId)).map((a) => a.responseStatusCode)).toEqual([410]);
    // The worker's change is in the audit log, by the maintenance actor, with why.
    const { data } = (await h.http.get(`/api/v1/audit-log?action=endpoint.disabled&target=${endpointId}`).set(auth).expect(200)).body;
    expect(data.map((r: { actor: unknown; changes: unknown }) => [r.actor, r.changes])).toEqual([
      [
        { kind: 'maintenance', id: 'delivery', displayName: 'maintenance: delivery' },
        { disabled: { from: false, to: true }, reason: { to: 'gone' } },
      ],
    ]);
  });

  it('disables an endpoint that has failed without a success for the configured period', async () => {
    const r = await receiver(() => ({ status: 500 }));
    const { appId, endpointId } = await setup(r);
    await publish(appId);
    await waitUntil(async () => (await endpoint(appId, endpointId)).disabled === true, 15_000, 'endpoint auto-disabled');
    const count = r.requests.length;
    expect(count).toBeGreaterThanOrEqual(2);
    await publish(appId);
    await new Promise((res) => setTimeout(res, 1500));
    expect(r.requests).toHaveLength(count);

    // Re-enabled, it starts afresh: one more failure does not disable it again at once.
    await h.http.patch(`/api/v1/app/${appId}/endpoint/${endpointId}`).set(auth).send({ disabled: false }).expect(200);
    await publish(appId);
    await r.waitFor(count + 1, 10_000);
    await new Promise((res) => setTimeout(res, 300));
    expect((await endpoint(appId, endpointId)).disabled).toBe(false);
  });

  it('a success clears the failing state, so a flaky endpoint is not disabled', async () => {
    let fail = true;
    const r = await receiver(() => ({ status: fail ? 500 : 200 }));
    const { appId, endpointId } = await setup(r);
    const first = await publish(appId);
    await r.waitFor(1);
    fail = false;
    await waitUntil(async () => (await attempts(appId, first)).some((a) => a.responseStatusCode === 200), 10_000, 'recovery');
    await new Promise((res) => setTimeout(res, 2500));
    fail = true;
    await publish(appId);
    await r.waitFor(r.requests.length + 1, 10_000);
    expect((await endpoint(appId, endpointId)).disabled).toBe(false);
  });
});
