import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import pg from 'pg';
import { Webhook } from 'standardwebhooks';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, createLogger, endpointSecretPlace, loadConfig, parseEncryptionKeys, runMaintenance, SecretBox } from '@hookline/core';
import { JOBS, MAINTENANCE_CRON } from '@hookline/db';
import { startHookline, type Hookline } from '@hookline/server';
import { verifyWebhook } from '@hookline/signing';
import { createTestDatabase } from '@hookline/test-support/database';
import { ADMIN_TOKEN, testEnv } from '@hookline/test-support/hookline';
import { QUEUE_SCHEMA as BOSS_SCHEMA } from '@hookline/test-support/queueTables';
import { spawnHookline, waitUntil } from '@hookline/test-support/process';
import { startReceiver, type ReceivedRequest, type Receiver } from '@hookline/test-support/receiver';

// Secrets at rest: endpoint signing keys (HMAC and ed25519) and custom header values are stored
// AES-256-GCM encrypted, as the raw rows show; deliveries still verify; the master key rotates
// (k1 → k2,k1 → reencrypt → k2) without a failed delivery; a wrong or missing key, or an altered
// row, is a clear error and never a wrong signature.

const K1 = `k1:${randomBytes(32).toString('base64')}`;
const K2 = `k2:${randomBytes(32).toString('base64')}`;
const HMAC_SECRET = 'whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7oD';
const TEAM = 'team-value-5f1c2e';
const SSO_SECRET = 'sso-client-secret-93be0d';
const AUTH = 'Bearer header-credential-9d8a7b';
const OPS_HEADER = 'ops-header-value-3c4d';

let database: Awaited<ReturnType<typeof createTestDatabase>>;
let client: pg.Client;
let receiver: Receiver;
let running: { hookline: Hookline; http: ReturnType<typeof request>; logs: string[] } | undefined;
let auth: { authorization: string };
let appId: string;
let hmacId: string;
let edId: string;
let edPublicKey: string;
let opsId: string;
let portalToken: string;
let integId: string;
let integKey: string;
/** The token part of the failure-notice chat webhook URL. */
const CHAT_TOKEN = 'chat-token-7f3a9c';

const env = (keys: string) => testEnv(database.connectionString, { HOOKLINE_ENCRYPTION_KEYS: keys });

/** (Re)starts Hookline (api + worker) on this file's database with the given master keys, logs captured. */
async function boot(keys: string): Promise<NonNullable<typeof running>> {
  await running?.hookline.stop();
  running = undefined;
  const logs: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      logs.push(chunk.toString());
      done();
    },
  });
  const hookline = await startHookline(loadConfig(env(keys)), createLogger('warn', sink));
  // The scheduled maintenance (every ten minutes) re-encrypts rows under an older key: a slot that
  // fell inside this file moved the k1 rows to k2 before the rotation test looked. This file runs
  // that maintenance itself (runMaintenance), when it means to.
  await client.query(`DELETE FROM ${BOSS_SCHEMA}.schedule WHERE name = $1`, [JOBS.maintenance]);
  await client.query(`DELETE FROM ${BOSS_SCHEMA}.job WHERE name = $1 AND state < 'active'`, [JOBS.maintenance]);
  running = { hookline, http: request(`http://127.0.0.1:${hookline.api!.port}`), logs };
  return running;
}

/**
 * Waits (a minute at most) while the maintenance cron's minute is now or 5 s away. A worker that
 * starts inside that minute sends and takes its slot's job at once, before boot can remove the
 * schedule, and that maintenance re-encrypts k1 rows under k2.
 */
async function outsideMaintenanceMinute(): Promise<void> {
  const every = Number(/^\*\/(\d+) \* \* \* \*$/.exec(MAINTENANCE_CRON)![1]);
  const inSlot = (ms: number) => new Date(ms).getUTCMinutes() % every === 0;
  while (inSlot(Date.now()) || inSlot(Date.now() + 5000)) await new Promise((r) => setTimeout(r, 1000));
}

const http = () => running!.http;
const rows = async <T extends pg.QueryResultRow>(text: string) => (await client.query<T>(text)).rows;
const storedSecrets = () => rows<{ id: string; endpoint_id: string; secret: string }>('SELECT id, endpoint_id, secret FROM endpoint_secret ORDER BY id');
const storedHeaders = async (endpointId: string) =>
  (await rows<{ headers: Record<string, string> }>(`SELECT headers FROM endpoint WHERE id = '${endpointId}'`))[0]!.headers;
/** Everything the two tables hold, as text: no secret may appear anywhere in it. */
const tablesAsText = async () =>
  JSON.stringify(await rows('SELECT t::text FROM endpoint t UNION ALL SELECT s::text FROM endpoint_secret s UNION ALL SELECT a::text FROM endpoint_auth a'));
/** An endpoint's OAuth client secret and basic-auth password (set in an application of their own, so its deliveries stay apart). */
const OAUTH_SECRET = 'oauth-client-secret-at-rest-4c1e';
const BASIC_PASSWORD = 'basic-password-at-rest-8d2f';

async function publish(payload: object): Promise<string> {
  return (await http().post(`/api/v1/app/${appId}/msg`).set(auth).send({ eventType: 'invoice.paid', payload }).expect(202)).body.id;
}

async function arrivals(msgId: string, count: number): Promise<ReceivedRequest[]> {
  let found: ReceivedRequest[] = [];
  await waitUntil(() => (found = receiver.requests.filter((q) => q.headers['webhook-id'] === msgId)).length >= count, 20_000, `message ${msgId}`);
  return found;
}

/** Publishes and checks both endpoints' deliveries: verified signatures, decrypted custom headers. */
async function expectVerifiedDeliveries(hmacSecrets: string[]): Promise<void> {
  const msgId = await publish({ n: randomBytes(4).toString('hex') });
  const got = await arrivals(msgId, 2);
  const hmac = got.find((r) => r.path === '/hmac')!;
  for (const key of hmacSecrets) expect(new Webhook(key).verify(hmac.body, hmac.headers as Record<string, string>)).toBeTruthy();
  expect(hmac.headers['x-team']).toBe(TEAM);
  expect(hmac.headers.authorization).toBe(AUTH);
  const ed = got.find((r) => r.path === '/ed25519')!;
  expect(() => verifyWebhook(ed.body, ed.headers, edPublicKey)).not.toThrow();
}

async function expectAllUnder(keyId: string): Promise<void> {
  const secrets = await storedSecrets();
  expect(secrets.length).toBeGreaterThan(0);
  for (const s of secrets) expect(s.secret).toMatch(new RegExp(`^hl2:${keyId}:`));
  for (const id of [hmacId, opsId]) for (const value of Object.values(await storedHeaders(id))) expect(value).toMatch(new RegExp(`^hl2:${keyId}:`));
  // The generated portal signing key too: reading the database must not let anyone mint portal tokens.
  const [portalKey] = await rows<{ value: string }>("SELECT value FROM setting WHERE key = 'portal_signing_key'");
  expect(portalKey!.value).toMatch(new RegExp(`^hl2:${keyId}:`));
  // And the tenant's single sign-on client secret.
  const [sso] = await rows<{ client_secret: string }>('SELECT client_secret FROM tenant_sso');
  expect(sso!.client_secret).toMatch(new RegExp(`^hl2:${keyId}:`));
  const [totp] = await rows<{ secret: string }>('SELECT secret FROM person_totp');
  expect(totp!.secret).toMatch(new RegExp(`^hl2:${keyId}:`));
  const [integration] = await rows<{ key: string }>('SELECT key FROM integration');
  expect(integration!.key).toMatch(new RegExp(`^hl2:${keyId}:`));
  // And endpoints' OAuth client secrets and basic-auth passwords.
  const [credentials] = await rows<{ oauth_client_secret: string; basic_password: string }>('SELECT oauth_client_secret, basic_password FROM endpoint_auth');
  expect(credentials!.oauth_client_secret).toMatch(new RegExp(`^hl2:${keyId}:`));
  expect(credentials!.basic_password).toMatch(new RegExp(`^hl2:${keyId}:`));
  const [notices] = await rows<{ chat_webhook_url: string }>('SELECT chat_webhook_url FROM notification_setting');
  expect(notices!.chat_webhook_url).toMatch(new RegExp(`^hl2:${keyId}:`));
}

/** The failure-notice chat webhook (its path is the token) answers: the stored URL decrypts. */
async function expectChatNoticeSent(): Promise<void> {
  const res = await http().post(`/api/v1/app/${appId}/notification-settings/test`).set(auth).expect(200);
  expect(res.body.results).toEqual([{ target: 'chat', to: 'slack', ok: true }]);
  expect(receiver.requests.at(-1)!.path).toBe(`/chat/${CHAT_TOKEN}`);
}

beforeAll(async () => {
  database = await createTestDatabase();
  client = new pg.Client({ connectionString: database.connectionString });
  await client.connect();
  receiver = await startReceiver();
});
afterAll(async () => {
  await running?.hookline.stop();
  await client?.end();
  await receiver?.close();
  await database?.drop();
});

describe('secrets at rest', () => {
  it('stores signing keys and header values encrypted, and still signs and sends them', async () => {
    await boot(K1);
    const admin = { authorization: `Bearer ${ADMIN_TOKEN}` };
    const tenant = await http().post('/admin/v1/tenants').set(admin).send({ name: 'secrets' }).expect(201);
    const key = await http().post(`/admin/v1/tenants/${tenant.body.id}/api-keys`).set(admin).send({}).expect(201);
    auth = { authorization: `Bearer ${key.body.key}` };
    await http().post('/api/v1/event-type').set(auth).send({ name: 'invoice.paid', description: 'x' }).expect(201);
    appId = (await http().post('/api/v1/app').set(auth).send({ name: 'secrets' }).expect(201)).body.id;
    hmacId = (
      await http()
        .post(`/api/v1/app/${appId}/endpoint`)
        .set(auth)
        .send({ url: `${receiver.url}/hmac`, secret: HMAC_SECRET, headers: { 'X-Team': TEAM, Authorization: AUTH } })
        .expect(201)
    ).body.id;
    edId = (
      await http()
        .post(`/api/v1/app/${appId}/endpoint`)
        .set(auth)
        .send({ url: `${receiver.url}/ed25519`, signatureType: 'ed25519' })
        .expect(201)
    ).body.id;
    edPublicKey = (await http().get(`/api/v1/app/${appId}/endpoint/${edId}/secret`).set(auth).expect(200)).body.key;
    integId = (await http().post(`/api/v1/app/${appId}/integration`).set(auth).send({ name: 'secrets' }).expect(201)).body.id;
    integKey = (await http().get(`/api/v1/app/${appId}/integration/${integId}/key`).set(auth).expect(200)).body.key;
    await http()
      .put(`/api/v1/app/${appId}/notification-settings`)
      .set(auth)
      .send({ chatWebhookUrl: `${receiver.url}/chat/${CHAT_TOKEN}`, chatKind: 'slack' })
      .expect(200);
    opsId = (
      await http()
        .post('/api/v1/operational-webhook/endpoint')
        .set(auth)
        .send({ url: `${receiver.url}/ops`, headers: { 'X-Ops': OPS_HEADER } })
        .expect(201)
    ).body.id;
    const opsSecret = (await http().get(`/api/v1/operational-webhook/endpoint/${opsId}/secret`).set(auth).expect(200)).body.key;
    const credApp = (await http().post('/api/v1/app').set(auth).send({ name: 'credentials' }).expect(201)).body.id;
    const credEp = (
      await http()
        .post(`/api/v1/app/${credApp}/endpoint`)
        .set(auth)
        .send({ url: `http://hooks:${BASIC_PASSWORD}@127.0.0.1:${receiver.port}/credentials` })
        .expect(201)
    ).body.id;
    await http()
      .put(`/api/v1/app/${credApp}/endpoint/${credEp}/oauth`)
      .set(auth)
      .send({ grantType: 'clientCredentials', authMethod: 'clientSecretPost', tokenUrl: 'http://127.0.0.1:9/token', clientId: 'at-rest', clientSecret: OAUTH_SECRET })
      .expect(204);

    portalToken = (await http().post(`/api/v1/auth/app-portal-access/${appId}`).set(auth).send({}).expect(200)).body.token;
    const sso = {
      issuer: 'https://idp.example.com',
      clientId: 'hookline',
      clientSecret: SSO_SECRET,
      allowedEmailDomains: ['example.com'],
      defaultRole: 'viewer',
      jitProvisioning: false,
    };
    await http().put('/console/v1/sso/config').set(auth).send(sso).expect(200);
    // A person's TOTP secret.
    const invite = await http().post(`/admin/v1/tenants/${tenant.body.id}/invites`).set(admin).send({ email: 'totp@example.com', role: 'viewer' }).expect(201);
    const browser = { origin: `http://127.0.0.1:${running!.hookline.api!.port}`, 'x-hookline-csrf': '1' };
    const joined = await http()
      .post('/console/v1/invites/accept')
      .set(browser)
      .send({ token: new URL(invite.body.url as string).hash.slice(1), password: 'a long enough password' })
      .expect(200);
    const cookie = (joined.headers['set-cookie'] as unknown as string[])[0]!.split(';')[0]!;
    await http()
      .post('/console/v1/me/totp')
      .set({ ...browser, cookie })
      .expect(201);

    // The raw rows: envelopes under k1; no secret, private key or header value in any column.
    await expectAllUnder('k1');
    expect(Object.keys(await storedHeaders(hmacId)).sort()).toEqual(['Authorization', 'X-Team']);
    const text = await tablesAsText();
    for (const plain of [HMAC_SECRET, HMAC_SECRET.slice(6), TEAM, AUTH, OPS_HEADER, opsSecret, opsSecret.slice(6), 'whsk_', 'whsec_', OAUTH_SECRET, BASIC_PASSWORD]) {
      expect(text).not.toContain(plain);
    }

    // What the API shows is decrypted.
    expect((await http().get(`/api/v1/app/${appId}/endpoint/${hmacId}/secret`).set(auth).expect(200)).body).toEqual({ key: HMAC_SECRET });
    expect((await http().get(`/api/v1/app/${appId}/endpoint/${hmacId}/headers`).set(auth).expect(200)).body).toEqual({
      headers: { 'X-Team': TEAM },
      sensitive: ['Authorization'],
    });
    expect((await http().get(`/api/v1/operational-webhook/endpoint/${opsId}/headers`).set(auth).expect(200)).body.headers).toEqual({ 'X-Ops': OPS_HEADER });
    await http()
      .patch(`/api/v1/app/${appId}/endpoint/${hmacId}/headers`)
      .set(auth)
      .send({ headers: { 'X-Extra': 'extra-1' } })
      .expect(204);
    expect((await storedHeaders(hmacId))['X-Extra']).toMatch(/^hl2:k1:/);
    expect((await http().get(`/api/v1/app/${appId}/endpoint/${hmacId}/headers`).set(auth).expect(200)).body.headers).toEqual({ 'X-Team': TEAM, 'X-Extra': 'extra-1' });
    await http()
      .patch(`/api/v1/app/${appId}/endpoint/${hmacId}/headers`)
      .set(auth)
      .send({ headers: { 'X-Extra': null } })
      .expect(204);

    await expectVerifiedDeliveries([HMAC_SECRET]);
  });

  it('rotates the master key: k2,k1 reads k1 rows and writes k2; reencrypt moves every row to k2; then k2 alone works', async () => {
    await outsideMaintenanceMinute();
    await boot(`${K2},${K1}`);
    await expectVerifiedDeliveries([HMAC_SECRET]);
    // New writes use the new primary key while the old rows stay readable.
    await http().post(`/api/v1/app/${appId}/endpoint/${hmacId}/secret/rotate`).set(auth).send({}).expect(204);
    const rotated = (await http().get(`/api/v1/app/${appId}/endpoint/${hmacId}/secret`).set(auth).expect(200)).body.key as string;
    const mine = (await storedSecrets())
      .filter((s) => s.endpoint_id === hmacId)
      .map((s) => s.secret.slice(0, 7))
      .sort();
    expect(mine).toEqual(['hl2:k1:', 'hl2:k2:']);
    // During the grace period both keys sign: receivers with either verify.
    await expectVerifiedDeliveries([HMAC_SECRET, rotated]);

    // Dropping k1 before re-encrypting is refused at start, naming the key.
    await running!.hookline.stop();
    running = undefined;
    await expect(startHookline(loadConfig(env(K2)), createLogger('silent'))).rejects.toThrow(/lacks key\(s\) "k1"/);

    // `hookline reencrypt`, the real command.
    const cli = spawnHookline(['reencrypt'], { ...env(`${K2},${K1}`), HOOKLINE_LOG_LEVEL: 'info' });
    expect(await cli.exited, cli.output()).toBe(0);
    expect(cli.output()).toContain('secrets re-encrypted');
    await expectAllUnder('k2');
    expect(await tablesAsText()).not.toContain(TEAM);

    await boot(K2);
    expect((await http().get(`/api/v1/app/${appId}/endpoint/${hmacId}/secret`).set(auth).expect(200)).body.key).toBe(rotated);
    expect((await http().get(`/api/v1/app/${appId}/integration/${integId}/key`).set(auth).expect(200)).body.key).toBe(integKey);
    await expectChatNoticeSent();
    // A portal token issued under k1 still verifies: the portal signing key itself did not change.
    await http().get(`/api/v1/app/${appId}/endpoint`).set('authorization', `Bearer ${portalToken}`).expect(200);
    expect((await http().get(`/api/v1/app/${appId}/endpoint/${hmacId}/headers`).set(auth).expect(200)).body.headers).toEqual({ 'X-Team': TEAM });
    await expectVerifiedDeliveries([HMAC_SECRET, rotated]);
  }, 150_000);

  it('refuses to start with a wrong key under a known id, or with DATABASE_URL and no key', async () => {
    await running?.hookline.stop();
    running = undefined;
    const wrong = `k2:${randomBytes(32).toString('base64')}`;
    const failure = await startHookline(loadConfig(env(wrong)), createLogger('silent')).then(
      () => undefined,
      (err: unknown) => err,
    );
    expect(failure).toBeInstanceOf(ConfigError);
    expect((failure as Error).message).toMatch(/key "k2" is not the key/);

    const cli = spawnHookline([], env(''));
    expect(await cli.exited).toBe(1);
    expect(cli.output()).toContain('HOOKLINE_ENCRYPTION_KEYS is required with DATABASE_URL');
    expect(cli.output()).not.toMatch(/\n\s+at /); // a message, not a stack trace
  });

  it('fails clearly, and sends nothing, when a stored secret was altered', async () => {
    await boot(K2);
    const [current] = (await storedSecrets()).filter((s) => s.endpoint_id === edId);
    // One base64 character of the ciphertext changed: still a well-formed envelope.
    const i = 'hl2:k2:'.length + 30;
    const altered = current!.secret.slice(0, i) + (current!.secret[i] === 'A' ? 'B' : 'A') + current!.secret.slice(i + 1);
    await client.query('UPDATE endpoint_secret SET secret = $1 WHERE id = $2', [altered, current!.id]);

    const res = await http().get(`/api/v1/app/${appId}/endpoint/${edId}/secret`).set(auth).expect(409);
    expect(res.body.code).toBe('secret_unreadable');
    expect(res.body.detail).not.toMatch(/k2|hl2|HOOKLINE/);
    const msgId = await publish({ altered: true });
    await arrivals(msgId, 1); // the intact HMAC endpoint still gets it
    await waitUntil(() => running!.logs.some((l) => l.includes(edId) && l.includes('does not decrypt with key \\"k2\\"')), 20_000, 'the decryption failure to be logged');
    expect(receiver.requests.filter((r) => r.headers['webhook-id'] === msgId && r.path === '/ed25519')).toEqual([]);
    await client.query('UPDATE endpoint_secret SET secret = $1 WHERE id = $2', [current!.secret, current!.id]);
  });

  it('reads rows stored before encryption as plaintext, and the maintenance job encrypts them', async () => {
    // A database from before encryption at rest has not recorded that every secret is bound (the rotation's reencrypt did).
    await client.query("DELETE FROM setting WHERE key = 'secrets_bound_at'");
    await boot(K2);
    const [current] = (await storedSecrets()).filter((s) => s.endpoint_id === hmacId);
    const box = new SecretBox(parseEncryptionKeys(K2));
    const plainSecret = box.decrypt(
      current!.secret,
      endpointSecretPlace({ id: current!.id, tenantId: (await rows<{ tenant_id: string }>(`SELECT tenant_id FROM endpoint WHERE id = '${hmacId}'`))[0]!.tenant_id }),
    );
    await client.query('UPDATE endpoint_secret SET secret = $1 WHERE id = $2', [plainSecret, current!.id]);
    await client.query(`UPDATE endpoint SET headers = $1 WHERE id = $2`, [JSON.stringify({ 'X-Team': TEAM, Authorization: AUTH }), hmacId]);
    expect(await tablesAsText()).toContain(TEAM);

    expect((await http().get(`/api/v1/app/${appId}/endpoint/${hmacId}/headers`).set(auth).expect(200)).body.headers).toEqual({ 'X-Team': TEAM });
    await expectVerifiedDeliveries([plainSecret]);

    const result = await runMaintenance(running!.hookline.db, { messageRetentionDays: 90, secretBox: box });
    expect(result.secretsReencrypted).toBe(2);
    await expectAllUnder('k2');
    expect(await tablesAsText()).not.toContain(TEAM);
    expect(await tablesAsText()).not.toContain(plainSecret);
    await expectVerifiedDeliveries([plainSecret]);
    // Nothing left to do: a second run rewrites nothing.
    expect((await runMaintenance(running!.hookline.db, { messageRetentionDays: 90, secretBox: box })).secretsReencrypted).toBe(0);
    // It met unbound values just now: the maintenance records completion only after a quiet day (`hookline reencrypt` at once).
    expect(await rows("SELECT key FROM setting WHERE key LIKE 'secrets_%'")).toEqual([{ key: 'secrets_unbound_seen_at' }]);
  });
});
