import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestHookline, type TestHookline } from '@hookline/test-support/hookline';
import { svixClient } from '@hookline/test-support/svix';

// Svix's v1.authentication.expire-all, called with the official client: tokens issued so far stop
// working (at once, after `expiry`, or for some sessions only); later tokens and other apps' do not.

let h: TestHookline;
let apiKey: string;
let auth: { authorization: string };

beforeAll(async () => {
  h = await startTestHookline({ HOOKLINE_ROLE: 'api' });
  ({ apiKey } = await h.createTenant());
  auth = { authorization: `Bearer ${apiKey}` };
});
afterAll(async () => h?.stop());

async function newApp(uid: string): Promise<string> {
  return (await h.http.post('/api/v1/app').set(auth).send({ name: uid, uid }).expect(201)).body.id;
}

async function portalToken(app: string, body: object = {}): Promise<{ authorization: string }> {
  const res = await h.http.post(`/api/v1/auth/app-portal-access/${app}`).set(auth).send(body).expect(200);
  return { authorization: `Bearer ${res.body.token}` };
}

/** The status a portal token gets reading its application (and, for 401, that it is the auth error the portal shows as revoked). */
async function statusOf(app: string, token: { authorization: string }): Promise<number> {
  const res = await h.http.get(`/api/v1/app/${app}/endpoint`).set(token);
  if (res.status === 401) expect(res.body).toEqual({ code: 'authentication_failed', detail: 'Portal token revoked' });
  return res.status;
}

describe('portal token expire-all', () => {
  it("revokes the application's tokens issued so far, and only those", async () => {
    const app = await newApp('expire-me');
    const other = await newApp('keep-me');
    const before = await portalToken(app);
    const readOnly = await portalToken(app, { readOnly: true });
    const otherToken = await portalToken(other);
    expect(await statusOf(app, before)).toBe(200);

    await svixClient(h, apiKey).authentication.expireAll('expire-me', {});

    expect(await statusOf(app, before)).toBe(401);
    expect(await statusOf(app, readOnly)).toBe(401);
    // Event-type routes have no :app in their path; the token is refused there too.
    expect((await h.http.get('/api/v1/event-type').set(before)).status).toBe(401);
    const after = await portalToken(app);
    expect(await statusOf(app, after)).toBe(200);
    expect(await statusOf(other, otherToken)).toBe(200);
    // The API key itself is unaffected.
    await h.http.get(`/api/v1/app/${app}/endpoint`).set(auth).expect(200);
  });

  it("expires only the given sessions' tokens when sessionIds are given", async () => {
    const app = await newApp('sessions');
    const s1 = await portalToken(app, { sessionId: 's1' });
    const s2 = await portalToken(app, { sessionId: 's2' });
    const none = await portalToken(app);
    await svixClient(h, apiKey).authentication.expireAll(app, { sessionIds: ['s1'] });
    expect(await statusOf(app, s1)).toBe(401);
    expect(await statusOf(app, s2)).toBe(200);
    expect(await statusOf(app, none)).toBe(200);
    expect(await statusOf(app, await portalToken(app, { sessionId: 's1' }))).toBe(200);
  });

  it('keeps tokens working for `expiry` seconds, then refuses them', async () => {
    const app = await newApp('grace');
    const long = await portalToken(app);
    await svixClient(h, apiKey).authentication.expireAll(app, { expiry: 3600 });
    expect(await statusOf(app, long)).toBe(200);

    const short = await portalToken(app);
    await svixClient(h, apiKey).authentication.expireAll(app, { expiry: 1 });
    // Bounded wait for the one-second grace to pass (no assertion on how long it took).
    let status = 0;
    for (let i = 0; i < 100 && status !== 401; i++) {
      status = await statusOf(app, short);
      if (status !== 401) await new Promise((r) => setTimeout(r, 100));
    }
    expect(status).toBe(401);
    // The later, shorter grace also ends the earlier token's longer one.
    expect(await statusOf(app, long)).toBe(401);
  });

  it('refuses bad input and unknown applications, and accepts no portal token', async () => {
    const app = await newApp('bad-input');
    const token = await portalToken(app);
    const bad = await h.http.post(`/api/v1/auth/app/${app}/expire-all`).set(auth).send({ expiry: -1 });
    expect(bad.status).toBe(422);
    expect(bad.body.detail[0].loc).toEqual(['body', 'expiry']);
    expect(await statusOf(app, token)).toBe(200);
    const unknown = await h.http.post('/api/v1/auth/app/nobody/expire-all').set(auth).send({});
    expect(unknown.status).toBe(404);
    expect(unknown.body.code).toBe('not_found');
    await h.http.post(`/api/v1/auth/app/${app}/expire-all`).set(token).send({}).expect(403);
    expect(await statusOf(app, token)).toBe(200);
    // An empty body is accepted, as the svix client may send none.
    await h.http.post(`/api/v1/auth/app/${app}/expire-all`).set(auth).expect(204);
    expect(await statusOf(app, token)).toBe(401);
  });
});
