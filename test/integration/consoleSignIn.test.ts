import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserHeaders, operatorInvite, sessionAs, sessionCookieOf, TEST_PASSWORD, type ConsoleSession } from '@hookline/test-support/console';
import { startTestHookline, type TestHookline } from '@hookline/test-support/hookline';

// Password sign-in, the session cookie and CSRF, over real HTTP against a real PostgreSQL. Proxies
// on loopback are trusted, so X-Forwarded-For gives each test its own client address and
// X-Forwarded-Proto stands for HTTPS at the proxy.

let h: TestHookline;
let tenantId: string;
let owner: ConsoleSession;
let address = 0;
/** A client address of its own for each caller, so per-address throttling never mixes tests. */
const nextAddress = () => `203.0.113.${++address}`;

beforeAll(async () => {
  h = await startTestHookline({ HOOKLINE_TRUST_PROXY: 'loopback', HOOKLINE_SIGN_IN_ACCOUNT_LIMIT: '3', HOOKLINE_SIGN_IN_CLIENT_LIMIT: '5' });
  ({ tenantId } = await h.createTenant('sign-in'));
  owner = await sessionAs(h, tenantId, 'owner', 'Owner@Example.com');
});
afterAll(async () => {
  await h?.stop();
});

const signIn = (body: object, from = nextAddress(), headers: Record<string, string> = { origin: h.url, 'x-hookline-csrf': '1' }) =>
  h.http
    .post('/console/v1/auth/sign-in')
    .set({ ...headers, 'x-forwarded-for': from })
    .send(body);

describe('console sign-in', () => {
  it('signs in with any case of the address and sets an HttpOnly, SameSite=Lax cookie, Secure only over HTTPS', async () => {
    const res = await signIn({ email: 'owner@EXAMPLE.com', password: TEST_PASSWORD }).expect(200);
    expect(res.body).toMatchObject({ email: 'Owner@Example.com', currentTenantId: tenantId, role: 'owner' });
    const cookie = (res.headers['set-cookie'] as unknown as string[])[0]!;
    expect(cookie).toMatch(/^hookline_session=hks_[\w-]{43}; Path=\/; Expires=.*; HttpOnly; SameSite=Lax$/);
    const overTls = await signIn({ email: 'owner@example.com', password: TEST_PASSWORD }, nextAddress(), {
      origin: 'https://console.example.com',
      'x-hookline-csrf': '1',
      'x-forwarded-proto': 'https',
      host: 'console.example.com',
    }).expect(200);
    expect((overTls.headers['set-cookie'] as unknown as string[])[0]).toMatch(/; Secure; SameSite=Lax$/);
  });

  it('answers a wrong password and an unknown address alike, in comparable time', async () => {
    const wrong = await signIn({ email: 'owner@example.com', password: 'not the password at all' }).expect(401);
    const unknown = await signIn({ email: 'nobody@example.com', password: 'not the password at all' }).expect(401);
    expect(unknown.body).toEqual(wrong.body);
    expect(wrong.body).toEqual({ code: 'authentication_failed', detail: 'Wrong email address or password' });
    const time = async (email: string) => {
      const t = performance.now();
      await signIn({ email, password: 'not the password at all' }).expect(401);
      return performance.now() - t;
    };
    const other = await sessionAs(h, tenantId, 'viewer', 'timing@example.com');
    expect(other.personId).toBeTruthy();
    // Interleaved, so the machine's load weighs on both alike; the known account stays under its limit of 3.
    const known: number[] = [];
    const unknowns: number[] = [];
    for (let i = 0; i < 3; i++) {
      known.push(await time('timing@example.com'));
      unknowns.push(await time(`nobody-${i}@example.com`));
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[1]!;
    // Without the dummy hash an unknown address answers in a few ms against a scrypt's 100+ ms.
    expect(median(unknowns)).toBeGreaterThan(median(known) * 0.3);
  });

  it('starts a new session id at every sign-in, whatever cookie the browser brought (no fixation)', async () => {
    const planted = 'hookline_session=hks_plantedplantedplantedplantedplantedplanted000';
    const first = await signIn({ email: 'owner@example.com', password: TEST_PASSWORD }, nextAddress(), { ...browserHeaders(h, planted) }).expect(200);
    const second = await signIn({ email: 'owner@example.com', password: TEST_PASSWORD }, nextAddress(), {
      ...browserHeaders(h, sessionCookieOf(first.headers['set-cookie'])),
    }).expect(200);
    const a = sessionCookieOf(first.headers['set-cookie']);
    const b = sessionCookieOf(second.headers['set-cookie']);
    expect(new Set([planted, a, b]).size).toBe(3);
    await h.http.get('/console/v1/me').set({ cookie: planted }).expect(401);
    await h.http.get('/console/v1/me').set({ cookie: a }).expect(200);
  });

  it('throttles an account after repeated failures, from any address, with a clear 429', async () => {
    const victim = await sessionAs(h, tenantId, 'developer', 'victim@example.com');
    expect(victim.personId).toBeTruthy();
    for (let i = 0; i < 3; i++) await signIn({ email: 'victim@example.com', password: `guess number ${i} here` }).expect(401);
    const refused = await signIn({ email: 'victim@example.com', password: TEST_PASSWORD }).expect(429);
    expect(refused.body.detail).toMatch(/^Too many failed sign-in attempts for this account or from this address; retry after \d+ s$/);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    // The same answer for an address with no account: the 429 tells nothing either.
    for (let i = 0; i < 3; i++) await signIn({ email: 'ghost@example.com', password: `guess number ${i} here` }).expect(401);
    // The wait is counted down in seconds: on a loaded machine a second may pass between the two answers.
    const waitless = (body: { code: string; detail: string }) => ({ ...body, detail: body.detail.replace(/\d+ s$/, 'N s') });
    const ghost = (await signIn({ email: 'ghost@example.com', password: 'guess number 4 here' }).expect(429)).body;
    expect(waitless(ghost)).toEqual(waitless(refused.body));
  });

  it('throttles a client address that tries many accounts', async () => {
    const from = nextAddress();
    for (let i = 0; i < 5; i++) await signIn({ email: `spray-${i}@example.com`, password: 'a wrong password here' }, from).expect(401);
    await signIn({ email: 'owner@example.com', password: TEST_PASSWORD }, from).expect(429);
    await signIn({ email: 'owner@example.com', password: TEST_PASSWORD }).expect(200);
  });

  it('throttles password guesses through an invitation and through a session’s password change too', async () => {
    const target = await sessionAs(h, tenantId, 'viewer', 'target@example.com');
    const { tenantId: other } = await h.createTenant('lure');
    const token = await operatorInvite(h, other, 'target@example.com', 'viewer');
    const accept = (password: string) =>
      h.http.post('/console/v1/invites/accept').set({ origin: h.url, 'x-hookline-csrf': '1', 'x-forwarded-for': nextAddress() }).send({ token, password });
    for (let i = 0; i < 3; i++) await accept(`invite guess ${i} here`).expect(401);
    await accept(TEST_PASSWORD).expect(429);

    const stolen = await sessionAs(h, tenantId, 'viewer', 'stolen@example.com');
    const change = (currentPassword: string) =>
      h.http
        .post('/console/v1/me/password')
        .set({ ...stolen.headers, 'x-forwarded-for': nextAddress() })
        .send({ currentPassword, newPassword: 'the thief wants this one' });
    for (let i = 0; i < 3; i++) await change(`password guess ${i} here`).expect(401);
    await change(TEST_PASSWORD).expect(429);
    expect(target.personId).toBeTruthy();
  });

  it('refuses a cross-site sign-in and cookie-authenticated mutations without a same-origin Origin and the CSRF header', async () => {
    await signIn({ email: 'owner@example.com', password: TEST_PASSWORD }, nextAddress(), { 'x-hookline-csrf': '1' }).expect(403);
    await signIn({ email: 'owner@example.com', password: TEST_PASSWORD }, nextAddress(), { origin: 'https://evil.example', 'x-hookline-csrf': '1' }).expect(403);
    const body = { name: 'csrf-app' };
    const { cookie } = owner.headers;
    const noOrigin = await h.http.post('/api/v1/app').set({ cookie, 'x-hookline-csrf': '1' }).send(body).expect(403);
    expect(noOrigin.body).toEqual({ code: 'forbidden', detail: 'Cross-site request refused: the Origin header must be this server' });
    await h.http.post('/api/v1/app').set({ cookie, origin: 'https://evil.example', 'x-hookline-csrf': '1' }).send(body).expect(403);
    const noHeader = await h.http.post('/api/v1/app').set({ cookie, origin: h.url }).send(body).expect(403);
    expect(noHeader.body.detail).toMatch(/x-hookline-csrf/);
    await h.http.post('/console/v1/auth/sign-out').set({ cookie, origin: 'https://evil.example', 'x-hookline-csrf': '1' }).expect(403);
    // Reads need neither; the same mutation from the console itself goes through.
    await h.http.get('/api/v1/app').set({ cookie }).expect(200);
    await h.http.post('/api/v1/app').set(owner.headers).send(body).expect(201);
  });
});
