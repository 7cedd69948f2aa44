import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestHookline, type TestHookline } from '@hookline/test-support/hookline';
import { waitUntil } from '@hookline/test-support/process';
import { startReceiver, type Receiver } from '@hookline/test-support/receiver';

// GET /api/v1/endpoints, the vendor console's list of every application's endpoints, against a
// real Hookline delivering to real receivers: states (failing, disabled, enabled), URL host, the
// last attempt and last error, pagination, bad input, and another tenant's endpoints never shown.

type Auth = { authorization: string };
interface Attempt {
  id: string;
  msgId: string;
  timestamp: string;
  status: number;
  responseStatusCode: number;
  response: string;
}
interface Listed {
  id: string;
  url: string;
  disabled: boolean;
  application: { id: string; uid: string | null; name: string };
  failingSince: string | null;
  lastAttempt: Attempt | null;
  lastError: Attempt | null;
}

let h: TestHookline;
let ok: Receiver;
let down: Receiver;
let a: Auth;
let b: Auth;
const ep: Record<string, string> = {};
let shop: { id: string };
let bEndpoint: string;

const list = (auth: Auth, query = '') => h.http.get(`/api/v1/endpoints${query}`).set(auth);
const listed = async (auth: Auth, query = '') => (await list(auth, query).expect(200)).body.data as Listed[];
const ids = async (auth: Auth, query = '') => (await listed(auth, query)).map((e) => e.id);
const create = async (auth: Auth, app: string, body: object) => (await h.http.post(`/api/v1/app/${app}/endpoint`).set(auth).send(body).expect(201)).body.id as string;

beforeAll(async () => {
  h = await startTestHookline();
  ok = await startReceiver();
  down = await startReceiver(() => ({ status: 503, body: `{"error":"maintenance ${'x'.repeat(600)}"}` }));
  a = { authorization: `Bearer ${(await h.createTenant('endpoints-a')).apiKey}` };
  b = { authorization: `Bearer ${(await h.createTenant('endpoints-b')).apiKey}` };
  shop = (await h.http.post('/api/v1/app').set(a).send({ name: 'Shop', uid: 'shop' }).expect(201)).body;
  const billing = (await h.http.post('/api/v1/app').set(a).send({ name: 'Billing' }).expect(201)).body;
  // Created in this order, so ids (and the list) run ok, failing, disabled, example, sub, org.
  ep.ok = await create(a, shop.id, { url: `${ok.url}/ok` });
  ep.failing = await create(a, shop.id, { url: `${down.url}/down` });
  ep.disabled = await create(a, billing.id, { url: `${ok.url}/off`, disabled: true });
  ep.example = await create(a, billing.id, { url: 'https://Example.COM:8443/hook?x=1' });
  ep.sub = await create(a, billing.id, { url: 'https://hooks.example.com/in' });
  ep.org = await create(a, billing.id, { url: 'https://example.org/hook' });
  // An operational webhook endpoint lives in a hidden application: not listed.
  await h.http
    .post('/api/v1/operational-webhook/endpoint')
    .set(a)
    .send({ url: `${ok.url}/ops` })
    .expect(201);
  const bApp = (await h.http.post('/api/v1/app').set(b).send({ name: 'B shop', uid: 'shop' }).expect(201)).body;
  bEndpoint = await create(b, bApp.id, { url: 'https://hooks.example.com/b' });

  await h.http
    .post(`/api/v1/app/${shop.id}/msg`)
    .set(a)
    .send({ eventType: 'order.created', payload: { n: 1 } })
    .expect(202);
  await waitUntil(
    async () => {
      const rows = await listed(a);
      const failing = rows.find((e) => e.id === ep.failing);
      return rows.find((e) => e.id === ep.ok)?.lastAttempt !== null && failing?.lastAttempt !== null && failing?.failingSince !== null;
    },
    30_000,
    'the first attempts',
  );
}, 120_000);
afterAll(async () => {
  await ok?.close();
  await down?.close();
  await h?.stop();
});

describe('GET /api/v1/endpoints', () => {
  it("lists every application's endpoints (not operational ones) by id, with application and last attempt", async () => {
    const res = await list(a).expect(200);
    const rows = res.body.data as Listed[];
    expect(rows.map((e) => e.id)).toEqual([ep.ok, ep.failing, ep.disabled, ep.example, ep.sub, ep.org]);
    expect(res.body.done).toBe(true);
    const healthy = rows[0]!;
    expect(healthy.application).toEqual({ id: shop.id, uid: 'shop', name: 'Shop' });
    expect(healthy).toMatchObject({ failingSince: null, lastError: null, lastAttempt: { status: 0, responseStatusCode: 200 } });
    expect(rows[2]!.application.uid).toBeNull();
    expect(rows[3]!.lastAttempt).toBeNull();
    expect(res.text).not.toContain(bEndpoint);
    expect(res.text).not.toContain('/ops');
  });

  it('shows a failing endpoint with its last error, its response cut to 500 characters', async () => {
    const [failing] = await listed(a, '?state=failing');
    expect(failing!.id).toBe(ep.failing);
    expect(failing!.failingSince).not.toBeNull();
    expect(failing!.lastError).toEqual(failing!.lastAttempt);
    expect(failing!.lastError).toMatchObject({ status: 2, responseStatusCode: 503 });
    expect(failing!.lastError!.response).toHaveLength(500);
    expect(failing!.lastError!.response.startsWith('{"error":"maintenance')).toBe(true);
    // The attempt is the one the per-application routes show.
    const attempts = (await h.http.get(`/api/v1/app/${shop.id}/attempt/endpoint/${ep.failing}`).set(a).expect(200)).body.data as Attempt[];
    expect(attempts.map((x) => x.id)).toContain(failing!.lastError!.id);
  });

  it('filters by state', async () => {
    expect(await ids(a, '?state=failing')).toEqual([ep.failing]);
    expect(await ids(a, '?state=disabled')).toEqual([ep.disabled]);
    expect(await ids(a, '?state=enabled')).toEqual([ep.ok, ep.failing, ep.example, ep.sub, ep.org]);
    expect(await ids(b, '?state=failing')).toEqual([]);
    // Disabling a failing endpoint moves it from failing to disabled.
    await h.http.patch(`/api/v1/app/${shop.id}/endpoint/${ep.failing}`).set(a).send({ disabled: true }).expect(200);
    expect(await ids(a, '?state=failing')).toEqual([]);
    expect(await ids(a, '?state=disabled')).toEqual([ep.failing, ep.disabled]);
  });

  it("filters by the URL's host: that host or a subdomain, in any case, never another tenant's", async () => {
    expect(await ids(a, '?host=example.com')).toEqual([ep.example, ep.sub]);
    expect(await ids(a, '?host=EXAMPLE.com')).toEqual([ep.example, ep.sub]);
    expect(await ids(a, '?host=hooks.example.com')).toEqual([ep.sub]);
    expect(await ids(a, '?host=ample.com')).toEqual([]);
    expect(await ids(a, '?host=example.org&state=enabled')).toEqual([ep.org]);
    expect(await ids(a, '?host=127.0.0.1')).toEqual([ep.ok, ep.failing, ep.disabled]);
    expect(await ids(b, '?host=example.com')).toEqual([bEndpoint]);
  });

  it('pages through the list both ways', async () => {
    const first = (await list(a, '?limit=4').expect(200)).body;
    expect((first.data as Listed[]).map((e) => e.id)).toEqual([ep.ok, ep.failing, ep.disabled, ep.example]);
    expect(first.done).toBe(false);
    const second = (await list(a, `?limit=4&iterator=${first.iterator}`).expect(200)).body;
    expect((second.data as Listed[]).map((e) => e.id)).toEqual([ep.sub, ep.org]);
    expect(second.done).toBe(true);
    expect(await ids(a, `?limit=4&iterator=${second.prevIterator}`)).toEqual([ep.ok, ep.failing, ep.disabled, ep.example]);
    expect(await ids(a, '?order=descending&limit=2')).toEqual([ep.org, ep.sub]);
  });

  it('answers bad input with 422 naming the parameter', async () => {
    for (const [query, param] of [
      ['?state=broken', 'state'],
      ['?host=https://example.com/', 'host'],
      ['?host=example.com:8443', 'host'],
      ['?host=', 'host'],
      ['?limit=251', 'limit'],
      ['?order=sideways', 'order'],
    ] as const) {
      const res = await list(a, query);
      expect({ query, status: res.status }).toEqual({ query, status: 422 });
      expect((res.body.detail as Array<{ loc: unknown[] }>)[0]!.loc.slice(0, 2)).toEqual(['query', param]);
    }
  });

  it('is not for portal tokens', async () => {
    const portal = await h.http.post(`/api/v1/auth/app-portal-access/${shop.id}`).set(a).send({}).expect(200);
    expect((await list({ authorization: `Bearer ${portal.body.token}` }).expect(403)).body.code).toBe('forbidden');
  });
});
