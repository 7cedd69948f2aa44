import { Writable } from 'node:stream';
import { Webhook } from 'standardwebhooks';
import { Secret, TOTP } from 'otpauth';
import { afterAll, expect, it } from 'vitest';
import { createLogger } from '@hookline/core';
import { generateAsymmetricKeyPair, generateSecret } from '@hookline/signing';
import { createCertificateAuthority } from '@hookline/test-support/certificates';
import { ADMIN_TOKEN, startTestHookline, TEST_ENCRYPTION_KEYS, type TestHookline } from '@hookline/test-support/hookline';
import { operatorInvite, sessionCookieOf, TEST_PASSWORD } from '@hookline/test-support/console';
import { waitUntil } from '@hookline/test-support/process';
import { startReceiver, type Receiver } from '@hookline/test-support/receiver';
import { startOAuthServer, type TestOAuthServer } from '@hookline/test-support/oauthServer';

// No secret, key or token ever appears in the logs: every line Hookline (api + worker) writes at
// trace level during a full run is captured through its real logger and searched for each one.

let h: TestHookline | undefined;
let receiver: Receiver | undefined;
let oauth: TestOAuthServer | undefined;
afterAll(async () => {
  await h?.stop();
  await receiver?.close();
  await oauth?.stop();
});

it('logs no API key, admin token, signing secret, header value, OAuth client secret or token, basic-auth password, mTLS key, master key, portal token, password, invite or session in a full run', async () => {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(
        ...chunk
          .toString()
          .split('\n')
          .filter((l) => l.length > 0),
      );
      done();
    },
  });
  h = await startTestHookline({ HOOKLINE_LOG_LEVEL: 'trace' }, createLogger('trace', sink));
  // The first request to /flaky fails, so the run includes a retry (n counts every path's requests).
  let flaky = 0;
  receiver = await startReceiver((req) => (req.path === '/flaky' && ++flaky === 1 ? { status: 500, body: 'try again' } : { status: 200, body: 'ok' }));
  const secrets: string[] = [ADMIN_TOKEN, TEST_ENCRYPTION_KEYS.slice(TEST_ENCRYPTION_KEYS.indexOf(':') + 1)];
  const keep = (value: string) => {
    secrets.push(value);
    return value;
  };

  const { tenantId, apiKey } = await h.createTenant('logs');
  keep(apiKey);
  const auth = { authorization: `Bearer ${apiKey}` };
  // A second key through the operator API, and a rotation of it.
  const key2 = await h.http.post(`/admin/v1/tenants/${tenantId}/api-keys`).set('authorization', `Bearer ${ADMIN_TOKEN}`).send({ name: 'second' }).expect(201);
  keep(key2.body.key);
  const key3 = await h.http.post(`/admin/v1/tenants/${tenantId}/api-keys/${key2.body.id}/rotate`).set('authorization', `Bearer ${ADMIN_TOKEN}`).send({}).expect(201);
  keep(key3.body.key);
  // Credentials in the wrong places: a bad key, a key in a query string.
  await h.http
    .get('/api/v1/app')
    .set('authorization', `Bearer ${keep('hk_wrong-key-that-must-not-be-logged')}`)
    .expect(401);
  await h.http.get(`/api/v1/app?api_key=${apiKey}`).set(auth).expect(200);
  // A console person: the invite token, the password and the session cookie, also a failed sign-in's password.
  const inviteToken = keep(await operatorInvite(h, tenantId, 'logs@example.com', 'owner'));
  const browser = { origin: h.url, 'x-hookline-csrf': '1' };
  const joined = await h.http
    .post('/console/v1/invites/accept')
    .set(browser)
    .send({ token: inviteToken, password: keep(TEST_PASSWORD) })
    .expect(200);
  const cookie = sessionCookieOf(joined.headers['set-cookie']);
  keep(cookie.slice(cookie.indexOf('=') + 1));
  await h.http.get('/console/v1/me').set({ cookie }).expect(200);
  await h.http
    .post('/console/v1/auth/sign-in')
    .set(browser)
    .send({ email: 'logs@example.com', password: keep('a wrong password to hide') })
    .expect(401);
  // Single sign-on's client secret, and the second factor: its secret, recovery codes, the pending sign-in and a code.
  const sso = { issuer: 'https://idp.example.com', clientId: 'logs', allowedEmailDomains: ['example.com'], defaultRole: 'viewer', jitProvisioning: false };
  await h.http
    .put('/console/v1/sso/config')
    .set({ ...browser, cookie })
    .send({ ...sso, clientSecret: keep('sso-client-secret-to-hide-5b7d') })
    .expect(200);
  const totpSecret = keep(
    (
      await h.http
        .post('/console/v1/me/totp')
        .set({ ...browser, cookie })
        .expect(201)
    ).body.secret as string,
  );
  const totp = new TOTP({ secret: Secret.fromBase32(totpSecret) });
  const recovery = (
    await h.http
      .post('/console/v1/me/totp/confirm')
      .set({ ...browser, cookie })
      .send({ code: totp.generate() })
      .expect(200)
  ).body.recoveryCodes as string[];
  recovery.forEach((c) => keep(c));
  const half = await h.http.post('/console/v1/auth/sign-in').set(browser).send({ email: 'logs@example.com', password: TEST_PASSWORD }).expect(200);
  const pending = (half.headers['set-cookie'] as unknown as string[]).find((c) => c.startsWith('hookline_2fa='))!.split(';')[0]!;
  keep(pending.slice(pending.indexOf('=') + 1));
  await h.http
    .post('/console/v1/auth/totp')
    .set({ ...browser, cookie: pending })
    .send({ code: recovery[0] })
    .expect(200);

  await h.http.post('/api/v1/event-type').set(auth).send({ name: 'invoice.paid', description: 'x' }).expect(201);
  const app = (await h.http.post('/api/v1/app').set(auth).send({ name: 'logs', uid: 'logs' }).expect(201)).body.id as string;
  const given = keep(generateSecret());
  keep(given.slice('whsec_'.length));
  const headerValue = keep('header-value-7e3f9a1b');
  const headerCredential = keep('Bearer header-credential-2b8c4d');
  const ep = (
    await h.http
      .post(`/api/v1/app/${app}/endpoint`)
      .set(auth)
      .send({ url: `${receiver.url}/flaky`, secret: given, headers: { 'X-Team': headerValue, Authorization: headerCredential } })
      .expect(201)
  ).body.id as string;
  // Endpoint credentials: an OAuth client (its secret and the tokens it gets) and basic auth in the URL.
  oauth = await startOAuthServer();
  keep(oauth.basicClient.clientSecret);
  const oauthEp = (
    await h.http
      .post(`/api/v1/app/${app}/endpoint`)
      .set(auth)
      .send({ url: `${receiver.url}/oauth` })
      .expect(201)
  ).body.id as string;
  await h.http
    .put(`/api/v1/app/${app}/endpoint/${oauthEp}/oauth`)
    .set(auth)
    .send({
      grantType: 'clientCredentials',
      authMethod: 'clientSecretBasic',
      tokenUrl: oauth.tokenUrl,
      clientId: oauth.basicClient.clientId,
      clientSecret: oauth.basicClient.clientSecret,
    })
    .expect(204);
  await h.http.get(`/api/v1/app/${app}/endpoint/${oauthEp}/oauth`).set(auth).expect(200);
  const basicPassword = keep('basic-password-6e0f3a');
  await h.http
    .post(`/api/v1/app/${app}/endpoint`)
    .set(auth)
    .send({ url: `http://hooks:${basicPassword}@127.0.0.1:${receiver.port}/basic` })
    .expect(201);
  const pair = generateAsymmetricKeyPair();
  keep(pair.secret);
  await h.http
    .post(`/api/v1/app/${app}/endpoint`)
    .set(auth)
    .send({ url: `${receiver.url}/ed`, secret: pair.secret })
    .expect(201);
  expect((await h.http.get(`/api/v1/app/${app}/endpoint/${ep}/secret`).set(auth).expect(200)).body.key).toBe(given);
  await h.http
    .patch(`/api/v1/app/${app}/endpoint/${ep}/headers`)
    .set(auth)
    .send({ headers: { 'X-Other': keep('other-header-value-4d2e') } })
    .expect(204);
  await h.http.get(`/api/v1/app/${app}/endpoint/${ep}/headers`).set(auth).expect(200);
  const rotatedTo = keep(generateSecret());
  await h.http.post(`/api/v1/app/${app}/endpoint/${ep}/secret/rotate`).set(auth).send({ key: rotatedTo }).expect(204);
  await h.http.post(`/api/v1/app/${app}/endpoint/${ep}/secret/rotate`).set(auth).send({}).expect(204);
  const generated = keep((await h.http.get(`/api/v1/app/${app}/endpoint/${ep}/secret`).set(auth).expect(200)).body.key);
  const ops = (
    await h.http
      .post('/api/v1/operational-webhook/endpoint')
      .set(auth)
      .send({ url: `${receiver.url}/ops`, headers: { 'X-Ops': keep('ops-header-value-8a1c') } })
      .expect(201)
  ).body.id as string;
  keep((await h.http.get(`/api/v1/operational-webhook/endpoint/${ops}/secret`).set(auth).expect(200)).body.key);
  // An integration's key: read, rotated, and read again.
  const integ = (await h.http.post(`/api/v1/app/${app}/integration`).set(auth).send({ name: 'logs' }).expect(201)).body.id as string;
  keep((await h.http.get(`/api/v1/app/${app}/integration/${integ}/key`).set(auth).expect(200)).body.key);
  keep((await h.http.post(`/api/v1/app/${app}/integration/${integ}/key/rotate`).set(auth).expect(200)).body.key);
  keep((await h.http.get(`/api/v1/app/${app}/integration/${integ}/key`).set(auth).expect(200)).body.key);

  // A mutual TLS identity: set (its key encrypted), read back (never the key), and used by the worker for each attempt.
  const clientPem = await (await createCertificateAuthority('Logs Client CA')).issue({ client: true });
  for (const line of clientPem.key.split(/\r?\n/).filter((l) => !l.startsWith('-----') && l.length > 0)) keep(line);
  const mtlsEp = (
    await h.http
      .post(`/api/v1/app/${app}/endpoint`)
      .set(auth)
      .send({ url: `${receiver.url}/mtls` })
      .expect(201)
  ).body.id as string;
  await h.http
    .put(`/api/v1/app/${app}/endpoint/${mtlsEp}/mtls`)
    .set(auth)
    .send({ identity: `${clientPem.cert}\n${clientPem.key}` })
    .expect(204);
  await h.http.get(`/api/v1/app/${app}/endpoint/${mtlsEp}/mtls`).set(auth).expect(200);
  await h.http.put(`/api/v1/app/${app}/endpoint/${mtlsEp}/mtls`).set(auth).send({ identity: clientPem.key }).expect(422);

  // Portal access: the token, and requests made with it.
  const portal = (await h.http.post(`/api/v1/auth/app-portal-access/${app}`).set(auth).send({}).expect(200)).body;
  const token = keep(portal.token);
  await h.http.get(`/api/v1/app/${app}/endpoint`).set('authorization', `Bearer ${token}`).expect(200);
  await h.http.get(`/api/v1/app/${app}/endpoint/${ep}/secret`).set('authorization', `Bearer ${token}`).expect(200);

  // Publish: the first attempt fails (500) and is retried; then a manual resend.
  const msg = (
    await h.http
      .post(`/api/v1/app/${app}/msg`)
      .set(auth)
      .send({ eventType: 'invoice.paid', payload: { amount: 1 } })
      .expect(202)
  ).body.id as string;
  await waitUntil(() => receiver!.requests.filter((r) => r.path === '/flaky' && r.headers['webhook-id'] === msg).length >= 2, 20_000, 'the retry');
  await h.http.post(`/api/v1/app/${app}/msg/${msg}/endpoint/${ep}/resend`).set(auth).send({}).expect(202);
  await waitUntil(() => receiver!.requests.filter((r) => r.path === '/flaky' && r.headers['webhook-id'] === msg).length >= 3, 20_000, 'the resend');
  const last = receiver.requests.filter((r) => r.path === '/flaky').at(-1)!;
  expect(new Webhook(generated).verify(last.body, last.headers as Record<string, string>)).toEqual({ amount: 1 });
  expect(last.headers['x-team']).toBe(headerValue);
  await waitUntil(() => receiver!.requests.some((r) => r.path === '/mtls' && r.headers['webhook-id'] === msg), 20_000, 'the delivery over the mTLS agent');
  await waitUntil(() => lines.filter((l) => l.includes('"attempt recorded"')).length >= 3, 20_000, 'the attempts to be logged');
  await waitUntil(
    () => receiver!.requests.some((r) => r.path === '/oauth') && receiver!.requests.some((r) => r.path === '/basic'),
    20_000,
    'the credentialed deliveries',
  );
  expect(oauth.tokensIssued()).toBeGreaterThan(0);
  for (const token of oauth.issued.keys()) keep(token);
  expect(receiver.requests.find((r) => r.path === '/basic')!.headers.authorization).toBe(`Basic ${Buffer.from(`hooks:${basicPassword}`).toString('base64')}`);

  await h.stop();
  h = undefined;

  // The capture saw the run: requests, deliveries, the lifecycle, at every level down to debug.
  expect(lines.some((l) => l.includes(`"path":"/api/v1/app/${app}/endpoint/${ep}/secret"`))).toBe(true);
  expect(lines.some((l) => l.includes('"path":"/api/v1/app"') && l.includes('"statusCode":401'))).toBe(true);
  expect(lines.some((l) => l.includes('"level":20'))).toBe(true);
  for (const line of lines) {
    for (const secret of secrets) expect(line, `a log line contains ${secret.slice(0, 8)}…`).not.toContain(secret);
    expect(line).not.toMatch(/whs(ec|k)_[A-Za-z0-9+/]{8}/);
    expect(line).not.toContain('api_key=');
  }
});
