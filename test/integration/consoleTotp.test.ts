import pg from 'pg';
import { Secret, TOTP } from 'otpauth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { operatorInvite, sessionAs, sessionCookieOf, TEST_PASSWORD, type ConsoleSession } from '@hookline/test-support/console';
import { startTestHookline, type TestHookline } from '@hookline/test-support/hookline';

// The TOTP second factor over real HTTP: codes computed here from the secret shown at enrolment,
// as an authenticator app would (RFC 6238, SHA-1, 6 digits, 30 s).

let h: TestHookline;
let tenantId: string;
let address = 0;
const nextAddress = () => `203.0.113.${++address}`;
const browser = { origin: '', 'x-hookline-csrf': '1' };

beforeAll(async () => {
  h = await startTestHookline({ HOOKLINE_TRUST_PROXY: 'loopback', HOOKLINE_SIGN_IN_ACCOUNT_LIMIT: '4', HOOKLINE_SIGN_IN_CLIENT_LIMIT: '100' });
  browser.origin = h.url;
  ({ tenantId } = await h.createTenant('totp'));
});
afterAll(async () => {
  await h?.stop();
});

const codeAt = (secret: string, offsetSteps = 0) =>
  new TOTP({ algorithm: 'SHA1', digits: 6, period: 30, secret: Secret.fromBase32(secret) }).generate({ timestamp: Date.now() + offsetSteps * 30_000 });

/** Waits into a fresh 30-second step, so two codes of a test never share one. */
async function nextStep(): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, 30_000 - (Date.now() % 30_000) + 50));
}

/** What /console/v1/me says of the person's second factor. */
const totpEnabled = async (who: ConsoleSession) => ((await h.http.get('/console/v1/me').set(who.headers).expect(200)).body as { totpEnabled: boolean }).totpEnabled;

/** Enrols `who` and returns the secret and recovery codes. */
async function enrol(who: ConsoleSession): Promise<{ secret: string; recoveryCodes: string[] }> {
  expect(await totpEnabled(who)).toBe(false);
  const started = await h.http.post('/console/v1/me/totp').set(who.headers).expect(201);
  const { secret, uri } = started.body as { secret: string; uri: string };
  // Started but not confirmed: not on yet.
  expect(await totpEnabled(who)).toBe(false);
  expect(uri).toMatch(/^otpauth:\/\/totp\/Hookline:.*\?.*secret=/);
  expect(uri).toContain(`secret=${secret}`);
  await h.http
    .post('/console/v1/me/totp/confirm')
    .set(who.headers)
    .send({ code: '000000' === codeAt(secret) ? '111111' : '000000' })
    .expect(401);
  const confirmed = await h.http
    .post('/console/v1/me/totp/confirm')
    .set(who.headers)
    .send({ code: codeAt(secret) })
    .expect(200);
  const recoveryCodes = confirmed.body.recoveryCodes as string[];
  expect(await totpEnabled(who)).toBe(true);
  expect(recoveryCodes).toHaveLength(10);
  expect(new Set(recoveryCodes).size).toBe(10);
  return { secret, recoveryCodes };
}

const signIn = (email: string, from = nextAddress()) =>
  h.http
    .post('/console/v1/auth/sign-in')
    .set({ ...browser, 'x-forwarded-for': from })
    .send({ email, password: TEST_PASSWORD });

const challengeCookie = (res: { headers: Record<string, unknown> }) => {
  const cookies = res.headers['set-cookie'] as string[];
  const found = cookies.find((c) => c.startsWith('hookline_2fa='))!;
  expect(found).toMatch(/Path=\/console\/v1\/auth; .*HttpOnly; SameSite=Lax/);
  return found.split(';')[0]!;
};

const sendCode = (cookie: string, code: string, from = nextAddress()) =>
  h.http
    .post('/console/v1/auth/totp')
    .set({ ...browser, cookie, 'x-forwarded-for': from })
    .send({ code });

describe('TOTP second factor', () => {
  it('enrols (secret once, stored encrypted), then sign-in stops half way until a real code comes', async () => {
    const who = await sessionAs(h, tenantId, 'developer', 'totp-a@example.com');
    const { secret } = await enrol(who);
    // A second enrolment while on is refused.
    await h.http.post('/console/v1/me/totp').set(who.headers).expect(409);
    const client = new pg.Client({ connectionString: h.connectionString });
    await client.connect();
    try {
      const { rows } = await client.query<{ secret: string }>('SELECT secret FROM person_totp WHERE person_id = $1', [who.personId]);
      expect(rows[0]!.secret).toMatch(/^hl2:test:/);
      expect(rows[0]!.secret).not.toContain(secret);
    } finally {
      await client.end();
    }

    const half = await signIn('totp-a@example.com').expect(200);
    expect(half.body).toMatchObject({ secondFactorRequired: true });
    expect((half.headers['set-cookie'] as unknown as string[]).some((c) => c.startsWith('hookline_session='))).toBe(false);
    const pending = challengeCookie(half);
    // The pending sign-in is not a session.
    await h.http.get('/console/v1/me').set('cookie', pending).expect(401);
    await sendCode(pending, codeAt(secret) === '123456' ? '654321' : '123456').expect(401);
    await nextStep();
    const done = await sendCode(pending, codeAt(secret)).expect(200);
    expect(done.body).toMatchObject({ email: 'totp-a@example.com', currentTenantId: tenantId, role: 'developer' });
    const session = sessionCookieOf(done.headers['set-cookie']);
    await h.http.get('/console/v1/me').set('cookie', session).expect(200);
    // The challenge works once, and the same code does not work twice.
    await sendCode(pending, codeAt(secret)).expect(401);
    const again = challengeCookie(await signIn('totp-a@example.com').expect(200));
    await sendCode(again, codeAt(secret)).expect(401);
  }, 70_000);

  it('takes each recovery code once', async () => {
    const who = await sessionAs(h, tenantId, 'viewer', 'totp-b@example.com');
    const { recoveryCodes } = await enrol(who);
    const first = challengeCookie(await signIn('totp-b@example.com').expect(200));
    await sendCode(first, recoveryCodes[0]!.toUpperCase()).expect(200);
    const second = challengeCookie(await signIn('totp-b@example.com').expect(200));
    await sendCode(second, recoveryCodes[0]!).expect(401);
    await sendCode(second, recoveryCodes[1]!).expect(200);
  });

  it('throttles code guesses per account like passwords', async () => {
    const who = await sessionAs(h, tenantId, 'viewer', 'totp-c@example.com');
    const { secret } = await enrol(who);
    const pending = challengeCookie(await signIn('totp-c@example.com').expect(200));
    const wrong = codeAt(secret) === '000001' ? '000002' : '000001';
    // Limit 4 per account: the confirmation's wrong code counted once already.
    for (let i = 0; i < 3; i++) await sendCode(pending, wrong).expect(401);
    const refused = await sendCode(pending, codeAt(secret)).expect(429);
    expect(refused.headers['retry-after']).toBeDefined();
  });

  it('asks an account with the factor for its code when it takes an invitation, on the invited tenant', async () => {
    const { tenantId: other } = await h.createTenant('totp-invite');
    const who = await sessionAs(h, tenantId, 'viewer', 'totp-e@example.com');
    const { recoveryCodes } = await enrol(who);
    const token = await operatorInvite(h, other, 'totp-e@example.com', 'admin');
    const res = await h.http.post('/console/v1/invites/accept').set(browser).send({ token, password: TEST_PASSWORD }).expect(200);
    expect(res.body).toMatchObject({ secondFactorRequired: true });
    expect((res.headers['set-cookie'] as unknown as string[]).some((c) => c.startsWith('hookline_session='))).toBe(false);
    const done = await sendCode(challengeCookie(res), recoveryCodes[0]!).expect(200);
    expect(done.body).toMatchObject({ currentTenantId: other, role: 'admin' });
  });

  it('turns off only with the password and a code', async () => {
    const who = await sessionAs(h, tenantId, 'viewer', 'totp-d@example.com');
    const { recoveryCodes } = await enrol(who);
    await h.http.post('/console/v1/me/totp/disable').set(who.headers).send({ password: 'not the password at all', code: recoveryCodes[0] }).expect(401);
    await h.http.post('/console/v1/me/totp/disable').set(who.headers).send({ password: TEST_PASSWORD, code: '12345x' }).expect(401);
    await h.http.post('/console/v1/me/totp/disable').set(who.headers).send({ password: TEST_PASSWORD, code: recoveryCodes[0] }).expect(204);
    expect(await totpEnabled(who)).toBe(false);
    const res = await signIn('totp-d@example.com').expect(200);
    expect(res.body).toMatchObject({ email: 'totp-d@example.com' });
    expect(sessionCookieOf(res.headers['set-cookie'])).toMatch(/^hookline_session=hks_/);
  });
});
