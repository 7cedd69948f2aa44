import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sessionAs, sessionCookieOf, TEST_PASSWORD } from '@hookline/test-support/console';
import { startTestHookline, type TestHookline } from '@hookline/test-support/hookline';
import { waitUntil } from '@hookline/test-support/process';
import { startSmtpServer, unwrapped, type TestSmtpServer } from '@hookline/test-support/smtpServer';

// Password reset by email, over real HTTP, with the links delivered to a real SMTP server on
// loopback. Links take their base from HOOKLINE_PUBLIC_URL only, never from the request.

const PUBLIC_URL = 'https://console.example.test';
const NEW_PASSWORD = 'a brand new password, long enough';

let h: TestHookline;
let smtp: TestSmtpServer;
const browser = (t: TestHookline = h) => ({ origin: t.url, 'x-hookline-csrf': '1' });
const requestReset = (email: string, t: TestHookline = h) => t.http.post('/console/v1/auth/password-reset').set(browser(t)).send({ email });
const complete = (token: string, password: string, t: TestHookline = h) =>
  t.http.post('/console/v1/auth/password-reset/complete').set(browser(t)).send({ token, password });
const resetsOf = async (email: string) =>
  (
    await sql<{ n: number }>`SELECT count(*)::int AS n FROM password_reset r JOIN person p ON p.id = r.person_id WHERE lower(p.email) = lower(${email})`.execute(
      h.hookline.db,
    )
  ).rows[0]!.n;

/** The links mailed to `email` so far (the fragment holds the token). */
const linksTo = (email: string): string[] =>
  smtp.mails.filter((m) => m.to.includes(email)).map((m) => /(https:\/\/\S+\/console\/reset#hkr_[\w-]+)/.exec(unwrapped(m))?.[1] ?? 'no link in the mail');

async function nextLinkTo(email: string, seen: number): Promise<string> {
  await waitUntil(() => linksTo(email).length > seen, 10_000, `reset mail ${seen + 1} to ${email}`);
  return linksTo(email)[seen]!;
}

beforeAll(async () => {
  smtp = await startSmtpServer();
  h = await startTestHookline({ HOOKLINE_SMTP_URL: smtp.url, HOOKLINE_SMTP_FROM: 'Hookline <team@hookline.test>', HOOKLINE_PUBLIC_URL: PUBLIC_URL });
});
afterAll(async () => {
  await h?.stop();
  await smtp?.close();
});

describe('password reset by email', () => {
  it('mails a single-use link under the public URL; it sets the password, ends every session and is audited', async () => {
    const { tenantId } = await h.createTenant('resetting');
    const owner = await sessionAs(h, tenantId, 'owner', 'forgetful@example.com');
    const other = await h.http.post('/console/v1/auth/sign-in').set(browser()).send({ email: owner.email, password: TEST_PASSWORD }).expect(200);
    const otherSession = { ...browser(), cookie: sessionCookieOf(other.headers['set-cookie']) };

    // A forged Host (with an Origin to match, as a script sends) does not move the link: its base is HOOKLINE_PUBLIC_URL.
    const res = await requestReset('Forgetful@Example.com').set({ host: 'evil.example', origin: 'http://evil.example' }).expect(202);
    expect(res.body).toEqual({ expiresInSeconds: 1800 });
    const link = await nextLinkTo('forgetful@example.com', 0);
    expect(link.startsWith(`${PUBLIC_URL}/console/reset#hkr_`)).toBe(true);
    const mail = smtp.mails.find((m) => m.to.includes('forgetful@example.com'))!;
    expect(mail.text).toContain('From: Hookline <team@hookline.test>');
    const token = new URL(link).hash.slice(1);

    // A password too short leaves the link usable; the old password and sessions still work meanwhile.
    const short = await complete(token, 'short').expect(422);
    expect(short.body.detail[0]).toMatchObject({ loc: ['body', 'password'] });
    await h.http.get('/console/v1/me').set(owner.headers).expect(200);

    await complete(token, NEW_PASSWORD).expect(204);
    for (const session of [owner.headers, otherSession]) await h.http.get('/console/v1/me').set(session).expect(401);
    await h.http.post('/console/v1/auth/sign-in').set(browser()).send({ email: owner.email, password: TEST_PASSWORD }).expect(401);
    const signedIn = await h.http.post('/console/v1/auth/sign-in').set(browser()).send({ email: owner.email, password: NEW_PASSWORD }).expect(200);
    const fresh = { ...browser(), cookie: sessionCookieOf(signedIn.headers['set-cookie']) };

    const again = await complete(token, 'yet another long password').expect(404);
    expect(again.body).toEqual({ code: 'not_found', detail: 'This password reset link does not exist, was used already or has expired' });

    const audit = (await h.http.get('/api/v1/audit-log?action=person.password.reset').set(fresh).expect(200)).body.data as Array<Record<string, unknown>>;
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({
      tenantId,
      actor: { kind: 'person', id: owner.personId },
      target: { kind: 'person', id: owner.personId },
      changes: { password: { changed: true }, sessions: { to: 'all ended' }, by: { to: 'email link' } },
    });
    expect(JSON.stringify(audit)).not.toContain(token);
    expect(JSON.stringify(audit)).not.toContain(NEW_PASSWORD);
  });

  it('answers an unknown address as a known one and mails nothing; sends a person at most 3 links an hour', async () => {
    const { tenantId } = await h.createTenant('throttled');
    await sessionAs(h, tenantId, 'viewer', 'often@example.com');
    const unknown = await requestReset('nobody@example.com').expect(202);
    for (let i = 0; i < 4; i++) expect((await requestReset('often@example.com').expect(202)).body).toEqual(unknown.body);
    await nextLinkTo('often@example.com', 2);
    expect(await resetsOf('often@example.com')).toBe(3);
    expect(await resetsOf('nobody@example.com')).toBe(0);
    expect(smtp.mails.filter((m) => m.to.includes('nobody@example.com'))).toEqual([]);
  });

  it('refuses an expired link, one of a person who reset since, a malformed token, and requests from another site', async () => {
    const { tenantId } = await h.createTenant('expiring');
    await sessionAs(h, tenantId, 'developer', 'late@example.com');
    await requestReset('late@example.com').expect(202);
    await requestReset('late@example.com').expect(202);
    const [first, second] = [await nextLinkTo('late@example.com', 0), await nextLinkTo('late@example.com', 1)].map((l) => new URL(l).hash.slice(1));
    await sql`UPDATE password_reset SET expires_at = now() - interval '1 second' WHERE token_hash = encode(sha256(convert_to(${first}, 'UTF8')), 'hex')`.execute(
      h.hookline.db,
    );
    await complete(first!, NEW_PASSWORD).expect(404);
    // Another link of the same person, reset meanwhile through a third one: voided.
    await requestReset('late@example.com').expect(202);
    const third = new URL(await nextLinkTo('late@example.com', 2)).hash.slice(1);
    await complete(third, NEW_PASSWORD).expect(204);
    await complete(second!, 'a second new long password').expect(404);
    await complete('hki_not-a-reset-token', NEW_PASSWORD).expect(404);

    const bad = await h.http.post('/console/v1/auth/password-reset').set(browser()).send({ email: 'not an address' }).expect(422);
    expect(bad.body.detail[0]).toMatchObject({ loc: ['body', 'email'] });
    await h.http.post('/console/v1/auth/password-reset/complete').set(browser()).send({ token: '' }).expect(422);
    const foreign = { origin: 'https://evil.example', 'x-hookline-csrf': '1' };
    await h.http.post('/console/v1/auth/password-reset').set(foreign).send({ email: 'late@example.com' }).expect(403);
    await h.http.post('/console/v1/auth/password-reset/complete').set(foreign).send({ token: third, password: NEW_PASSWORD }).expect(403);
  });

  it('refuses an SSO-only person (no password, a tenant with SSO on): no link is mailed, and an older link sets nothing', async () => {
    const { tenantId } = await h.createTenant('sso-only');
    const person = await sessionAs(h, tenantId, 'developer', 'sso-only@example.com');
    // As single sign-on provisions people: no password.
    await sql`UPDATE person SET password_hash = NULL WHERE id = ${person.personId}`.execute(h.hookline.db);
    expect((await h.http.get('/console/v1/me').set(person.headers).expect(200)).body).toMatchObject({ hasPassword: false, totpEnabled: false });
    const setSso = (enabled: boolean) =>
      sql`INSERT INTO tenant_sso (tenant_id, issuer, client_id, client_secret, allowed_domains, default_role, jit_provisioning, enabled)
          VALUES (${tenantId}, 'https://idp.example.test', 'hookline', 'not-read-here', ARRAY['example.com'], 'viewer', false, ${enabled})
          ON CONFLICT (tenant_id) DO UPDATE SET enabled = ${enabled}`.execute(h.hookline.db);

    // Before the tenant turns SSO on, a reset is how a person without a password gets one (the SSO settings say so).
    await requestReset('sso-only@example.com').expect(202);
    const early = new URL(await nextLinkTo('sso-only@example.com', 0)).hash.slice(1);

    await setSso(true);
    const unknown = await requestReset('nobody-else@example.com').expect(202);
    expect((await requestReset('sso-only@example.com').expect(202)).body).toEqual(unknown.body);
    expect(await resetsOf('sso-only@example.com')).toBe(1);
    const refused = await complete(early, NEW_PASSWORD).expect(403);
    expect(refused.body).toMatchObject({ code: 'forbidden' });
    expect(refused.body.detail).toContain('single sign-on only');
    const row = await sql<{ passwordHash: string | null }>`SELECT password_hash FROM person WHERE id = ${person.personId}`.execute(h.hookline.db);
    expect(row.rows[0]!.passwordHash).toBeNull();
    await h.http.post('/console/v1/auth/sign-in').set(browser()).send({ email: 'sso-only@example.com', password: NEW_PASSWORD }).expect(401);

    // SSO off again: the same link now works.
    await setSso(false);
    await complete(early, NEW_PASSWORD).expect(204);
    await h.http.post('/console/v1/auth/sign-in').set(browser()).send({ email: 'sso-only@example.com', password: NEW_PASSWORD }).expect(200);
  });

  it('is refused with a clear 400 without SMTP, and without a public URL', async () => {
    for (const env of [{}, { HOOKLINE_SMTP_URL: smtp.url }] as Array<Record<string, string>>) {
      const t = await startTestHookline(env);
      try {
        const res = await requestReset('someone@example.com', t).expect(400);
        expect(res.body.code).toBe('password_reset_unavailable');
        expect(res.body.detail).toContain('HOOKLINE_SMTP_URL');
        expect(res.body.detail).toContain('HOOKLINE_PUBLIC_URL');
      } finally {
        await t.stop();
      }
    }
  });

  it('limits requests and wrong links per client address (429 with Retry-After)', async () => {
    const t = await startTestHookline({ HOOKLINE_SMTP_URL: smtp.url, HOOKLINE_PUBLIC_URL: PUBLIC_URL, HOOKLINE_PASSWORD_RESET_CLIENT_LIMIT: '3' });
    try {
      await requestReset('a@example.com', t).expect(202);
      await requestReset('b@example.com', t).expect(202);
      await complete('hkr_wrong', NEW_PASSWORD, t).expect(404);
      const refused = await requestReset('c@example.com', t).expect(429);
      expect(refused.body.code).toBe('too_many_auth_failures');
      expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
      await complete('hkr_wrong', NEW_PASSWORD, t).expect(429);
    } finally {
      await t.stop();
    }
  });
});
