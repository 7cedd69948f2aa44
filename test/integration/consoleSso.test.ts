import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { operatorInvite, sessionAs, type ConsoleSession } from '@hookline/test-support/console';
import { startTestHookline, type TestHookline } from '@hookline/test-support/hookline';
import { browserGet, CookieJar, followUntil, startOidcProvider, type TestAccount, type TestOidcProvider } from '@hookline/test-support/oidcProvider';

// OpenID Connect single sign-on end to end: Hookline against a real OpenID provider (oidc-provider)
// on loopback, the browser's hops driven with fetch and a cookie jar.

let h: TestHookline;
let idp: TestOidcProvider;
let tenantId: string;
let otherTenantId: string;
let owner: ConsoleSession;
let callbackUrl: string;

const ssoConfig = (over: object = {}) => ({
  issuer: idp.issuer,
  clientId: idp.clientId,
  clientSecret: idp.clientSecret,
  allowedEmailDomains: ['corp.example'],
  defaultRole: 'developer',
  jitProvisioning: true,
  ...over,
});

beforeAll(async () => {
  h = await startTestHookline();
  ({ tenantId } = await h.createTenant('sso'));
  ({ tenantId: otherTenantId } = await h.createTenant('sso-other'));
  owner = await sessionAs(h, tenantId, 'owner');
  callbackUrl = `${h.url}/console/v1/sso/callback`;
  idp = await startOidcProvider(callbackUrl);
  await h.http.put('/console/v1/sso/config').set(owner.headers).send(ssoConfig()).expect(200);
});
afterAll(async () => {
  await idp?.stop();
  await h?.stop();
});

/** Starts a sign-in as `account` and returns the provider's redirect back to Hookline (not yet followed). */
async function toCallback(account: TestAccount, jar = new CookieJar()): Promise<{ jar: CookieJar; url: string }> {
  idp.login(account);
  return { jar, url: await followUntil(jar, `${h.url}/console/v1/sso/start?tenant=${tenantId}`, callbackUrl) };
}

/** Runs the whole sign-in and returns Hookline's answer at the callback. */
async function signInAs(account: TestAccount): Promise<{ jar: CookieJar; res: Response }> {
  const { jar, url } = await toCallback(account);
  return { jar, res: await browserGet(jar, url) };
}

const me = (jar: CookieJar) => fetch(`${h.url}/console/v1/me`, { headers: { cookie: jar.headerFor(h.url) } });

async function expectRefused(res: Response, jar: CookieJar, status: number, detail: RegExp): Promise<void> {
  expect(res.status).toBe(status);
  expect(((await res.json()) as { detail: string }).detail).toMatch(detail);
  expect(jar.get(h.url, 'hookline_session')).toBeUndefined();
}

describe('single sign-on configuration', () => {
  it('is the owner’s: the client secret is stored encrypted for its row and never returned', async () => {
    const res = await h.http.get('/console/v1/sso/config').set(owner.headers).expect(200);
    expect(res.body).toMatchObject({ issuer: idp.issuer, clientId: idp.clientId, clientSecretSet: true, redirectUri: callbackUrl, jitProvisioning: true });
    expect(JSON.stringify(res.body)).not.toContain(idp.clientSecret);
    const admin = await sessionAs(h, tenantId, 'admin');
    await h.http.get('/console/v1/sso/config').set(admin.headers).expect(403);
    await h.http.put('/console/v1/sso/config').set(admin.headers).send(ssoConfig()).expect(403);
    const client = new pg.Client({ connectionString: h.connectionString });
    await client.connect();
    try {
      const { rows } = await client.query<{ client_secret: string }>('SELECT client_secret FROM tenant_sso WHERE tenant_id = $1', [tenantId]);
      expect(rows[0]!.client_secret).toMatch(/^hl2:test:/);
      expect(rows[0]!.client_secret).not.toContain(idp.clientSecret);
    } finally {
      await client.end();
    }
  });

  it('refuses bad input with a 422 and a first configuration without a secret', async () => {
    await h.http
      .put('/console/v1/sso/config')
      .set(owner.headers)
      .send(ssoConfig({ issuer: 'http://idp.example.com' }))
      .expect(422);
    await h.http
      .put('/console/v1/sso/config')
      .set(owner.headers)
      .send(ssoConfig({ allowedEmailDomains: ['not a domain'] }))
      .expect(422);
    await h.http
      .put('/console/v1/sso/config')
      .set(owner.headers)
      .send(ssoConfig({ defaultRole: 'owner' }))
      .expect(422);
    const other = await sessionAs(h, otherTenantId, 'owner');
    const { clientSecret: _, ...noSecret } = ssoConfig();
    await h.http.put('/console/v1/sso/config').set(other.headers).send(noSecret).expect(422);
  });
});

describe('single sign-on discovery', () => {
  const discover = (tenant: string) => h.http.get('/console/v1/sso/discover').query({ tenant });

  it('tells the sign-in page whether a tenant offers it, without a session', async () => {
    expect((await discover(tenantId).expect(200)).body).toEqual({ enabled: true });
    expect((await discover(otherTenantId).expect(200)).body).toEqual({ enabled: false });
    expect((await discover('org_nobody').expect(200)).body).toEqual({ enabled: false });
    await h.http.get('/console/v1/sso/discover').expect(422);
  });

  it('says no once the owner turns it off', async () => {
    await h.http
      .put('/console/v1/sso/config')
      .set(owner.headers)
      .send(ssoConfig({ clientSecret: undefined, enabled: false }))
      .expect(200);
    try {
      expect((await discover(tenantId).expect(200)).body).toEqual({ enabled: false });
    } finally {
      await h.http
        .put('/console/v1/sso/config')
        .set(owner.headers)
        .send(ssoConfig({ clientSecret: undefined }))
        .expect(200);
    }
    expect((await discover(tenantId).expect(200)).body).toEqual({ enabled: true });
  });
});

describe('single sign-on', () => {
  it('signs a new person in (just-in-time, default role) with a new session confined to the tenant', async () => {
    const { jar, res } = await signInAs({ email: 'Dana@Corp.Example', name: 'Dana' });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe(`${h.url}/console/`);
    expect(jar.get(h.url, 'hookline_session')).toMatch(/^hks_/);
    expect(jar.get(h.url, 'hookline_sso')).toBeUndefined();
    const profile = (await (await me(jar)).json()) as { email: string; name: string; role: string; currentTenantId: string };
    expect(profile).toMatchObject({ email: 'Dana@Corp.Example', name: 'Dana', role: 'developer', currentTenantId: tenantId });
    // The same person signing in again gets another session, same membership.
    const again = await signInAs({ email: 'dana@corp.example' });
    expect(again.res.status).toBe(303);
    expect(again.jar.get(h.url, 'hookline_session')).not.toBe(jar.get(h.url, 'hookline_session'));
  });

  it('keeps the PKCE verifier and nonce out of the URLs: only the challenge and state travel', async () => {
    const jar = new CookieJar();
    const res = await browserGet(jar, `${h.url}/console/v1/sso/start?tenant=${tenantId}`);
    expect(res.status).toBe(303);
    const authorize = new URL(res.headers.get('location')!);
    expect(authorize.searchParams.get('code_challenge_method')).toBe('S256');
    expect(authorize.searchParams.get('state')).toBeTruthy();
    expect(authorize.searchParams.has('code_verifier')).toBe(false);
    const cookie = res.headers.getSetCookie().find((c) => c.startsWith('hookline_sso='))!;
    expect(cookie).toMatch(/Path=\/console\/v1\/sso; .*HttpOnly; SameSite=Lax/);
    expect(decodeURIComponent(cookie)).toMatch(/^hookline_sso=hl2:/);
  });

  it('a session from one tenant’s provider cannot switch to the person’s other tenants', async () => {
    const email = 'multi@corp.example';
    await sessionAs(h, otherTenantId, 'owner', email);
    await sessionAs(h, tenantId, 'viewer', email);
    const { jar, res } = await signInAs({ email });
    expect(res.status).toBe(303);
    const headers = { cookie: jar.headerFor(h.url), origin: h.url, 'x-hookline-csrf': '1', 'content-type': 'application/json' };
    const switched = await fetch(`${h.url}/console/v1/me/tenant`, { method: 'POST', headers, body: JSON.stringify({ tenantId: otherTenantId }) });
    expect(switched.status).toBe(403);
    const profile = (await (await me(jar)).json()) as { tenants: Array<{ id: string }> };
    expect(profile.tenants.map((t) => t.id)).toEqual([tenantId]);
  });

  it('refuses a wrong or missing state, and a callback without the sign-in’s cookie', async () => {
    const wrong = await toCallback({ email: 'state@corp.example' });
    const tampered = new URL(wrong.url);
    tampered.searchParams.set('state', 'not-the-state');
    await expectRefused(await browserGet(wrong.jar, tampered.href), wrong.jar, 400, /state does not match/);

    const missing = await toCallback({ email: 'state@corp.example' });
    const noState = new URL(missing.url);
    noState.searchParams.delete('state');
    await expectRefused(await browserGet(missing.jar, noState.href), missing.jar, 400, /no state/);

    const other = await toCallback({ email: 'state@corp.example' });
    const stranger = new CookieJar();
    await expectRefused(await browserGet(stranger, other.url), stranger, 400, /cookie is missing/);
  });

  it('refuses an ID token of the wrong issuer, audience or nonce (signed by the provider’s real key)', async () => {
    for (const [claims, detail] of [
      [{ iss: 'http://127.0.0.1:1' }, /iss/],
      [{ aud: 'another-client' }, /aud/],
      [{ nonce: 'another-nonce' }, /nonce/],
    ] as const) {
      const { jar, url } = await toCallback({ email: 'tamper@corp.example' });
      idp.tamper(claims);
      await expectRefused(await browserGet(jar, url), jar, 401, detail);
    }
  });

  it('refuses an authorization response that names another issuer (RFC 9207)', async () => {
    const { jar, url } = await toCallback({ email: 'iss@corp.example' });
    const tampered = new URL(url);
    tampered.searchParams.set('iss', 'https://evil.example');
    await expectRefused(await browserGet(jar, tampered.href), jar, 401, /iss/);
  });

  it('sends a browser back to the console with the kind of refusal, never the provider’s words', async () => {
    const { jar, url } = await toCallback({ email: 'browser@elsewhere.example' });
    const res = await fetch(url, { redirect: 'manual', headers: { cookie: jar.headerFor(url), accept: 'text/html,application/xhtml+xml,*/*;q=0.8' } });
    jar.store(url, res);
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe(`${h.url}/console/?sso_error=forbidden`);
    expect(jar.get(h.url, 'hookline_session')).toBeUndefined();
    expect(jar.get(h.url, 'hookline_sso')).toBeUndefined();
  });

  it('refuses a domain that is not allowed and an address the provider did not verify', async () => {
    const outside = await signInAs({ email: 'eve@elsewhere.example' });
    await expectRefused(outside.res, outside.jar, 403, /domain/);
    const unverified = await signInAs({ email: 'unverified@corp.example', emailVerified: false });
    await expectRefused(unverified.res, unverified.jar, 403, /email_verified/);
  });

  it('without just-in-time provisioning, only members and invited addresses get in (the invitation is taken)', async () => {
    await h.http
      .put('/console/v1/sso/config')
      .set(owner.headers)
      .send(ssoConfig({ clientSecret: undefined, jitProvisioning: false }))
      .expect(200);
    try {
      const stranger = await signInAs({ email: 'stranger@corp.example' });
      await expectRefused(stranger.res, stranger.jar, 403, /not a member/);

      await operatorInvite(h, tenantId, 'Invited@corp.example', 'admin');
      const invited = await signInAs({ email: 'invited@corp.example' });
      expect(invited.res.status).toBe(303);
      expect(await (await me(invited.jar)).json()).toMatchObject({ role: 'admin', currentTenantId: tenantId });

      const member = await signInAs({ email: 'dana@corp.example' });
      expect(member.res.status).toBe(303);
      expect(await (await me(member.jar)).json()).toMatchObject({ role: 'developer' });
    } finally {
      await h.http.put('/console/v1/sso/config').set(owner.headers).send(ssoConfig()).expect(200);
    }
  });

  it('answers 404 for a tenant without single sign-on', async () => {
    const res = await browserGet(new CookieJar(), `${h.url}/console/v1/sso/start?tenant=${otherTenantId}`);
    expect(res.status).toBe(404);
  });
});
