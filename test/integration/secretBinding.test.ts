import { createCipheriv, randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import pg from 'pg';
import { Webhook } from 'standardwebhooks';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger, loadConfig, parseEncryptionKeys, runMaintenance, SecretBox } from '@hookline/core';
import { JOBS } from '@hookline/db';
import { startHookline, type Hookline } from '@hookline/server';
import { createTestDatabase } from '@hookline/test-support/database';
import { ADMIN_TOKEN, TEST_ENCRYPTION_KEYS, testEnv } from '@hookline/test-support/hookline';
import { spawnHookline, waitUntil } from '@hookline/test-support/process';
import { QUEUE_SCHEMA as BOSS_SCHEMA } from '@hookline/test-support/queueTables';
import { startReceiver, type ReceivedRequest, type Receiver } from '@hookline/test-support/receiver';

// Encrypted values are bound to their place (issue 17, 2i): a ciphertext copied from tenant B's
// endpoint secret into a header of tenant A's endpoint (or from one header to another) does not
// decrypt there, and A's API answers 409 without showing it; rows of the older formats (hl1
// envelopes bound to the key id only, plaintext from before encryption) are read until
// `hookline reencrypt` has bound them all, and refused from then on.

const B_SECRET = 'whsec_QmluZGluZ1Rlc3RTZWNyZXRCYmJiYmJiYg==';
const TEAM = 'team-a-7c1e';
const A_AUTH = 'Bearer tenant-a-credential-41d2';
const [KEY_ID, KEY_B64] = TEST_ENCRYPTION_KEYS.split(':') as [string, string];

let database: Awaited<ReturnType<typeof createTestDatabase>>;
let client: pg.Client;
let receiver: Receiver;
let running: { hookline: Hookline; http: ReturnType<typeof request>; logs: string[] } | undefined;
const a = { auth: { authorization: '' }, app: '', endpoint: '' };
const b = { auth: { authorization: '' }, app: '', endpoint: '' };

/** (Re)starts Hookline (api + worker) on this file's database, logs captured; the maintenance runs only when this file runs it. */
async function boot(): Promise<NonNullable<typeof running>> {
  await running?.hookline.stop();
  running = undefined;
  const logs: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      logs.push(chunk.toString());
      done();
    },
  });
  const hookline = await startHookline(loadConfig(testEnv(database.connectionString)), createLogger('warn', sink));
  await client.query(`DELETE FROM ${BOSS_SCHEMA}.schedule WHERE name = $1`, [JOBS.maintenance]);
  await client.query(`DELETE FROM ${BOSS_SCHEMA}.job WHERE name = $1 AND state < 'active'`, [JOBS.maintenance]);
  running = { hookline, http: request(`http://127.0.0.1:${hookline.api!.port}`), logs };
  return running;
}

const http = () => running!.http;
const rows = async <T extends pg.QueryResultRow>(text: string, values: unknown[] = []) => (await client.query<T>(text, values)).rows;
const currentSecretRow = async (endpointId: string) =>
  (await rows<{ id: string; secret: string }>('SELECT id, secret FROM endpoint_secret WHERE endpoint_id = $1 AND expires_at IS NULL', [endpointId]))[0]!;
const storedHeaders = async (endpointId: string) =>
  (await rows<{ headers: Record<string, string> }>('SELECT headers FROM endpoint WHERE id = $1', [endpointId]))[0]!.headers;
const setStoredHeader = (endpointId: string, name: string, value: string) =>
  client.query('UPDATE endpoint SET headers = jsonb_set(headers, ARRAY[$2::text], to_jsonb($3::text)) WHERE id = $1', [endpointId, name, value]);

/** An envelope as Hookline wrote it before values were bound to their place: only `hl1:<keyId>` is authenticated. */
function hl1Envelope(plaintext: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', Buffer.from(KEY_B64, 'base64'), iv, { authTagLength: 16 });
  cipher.setAAD(Buffer.from(`hl1:${KEY_ID}`));
  return `hl1:${KEY_ID}:${Buffer.concat([iv, cipher.update(plaintext, 'utf8'), cipher.final(), cipher.getAuthTag()]).toString('base64')}`;
}

async function tenant(name: string, into: typeof a, endpoint: object): Promise<void> {
  const admin = { authorization: `Bearer ${ADMIN_TOKEN}` };
  const created = await http().post('/admin/v1/tenants').set(admin).send({ name }).expect(201);
  const key = await http().post(`/admin/v1/tenants/${created.body.id}/api-keys`).set(admin).send({}).expect(201);
  into.auth = { authorization: `Bearer ${key.body.key}` };
  await http().post('/api/v1/event-type').set(into.auth).send({ name: 'invoice.paid', description: 'x' }).expect(201);
  into.app = (await http().post('/api/v1/app').set(into.auth).send({ name }).expect(201)).body.id;
  into.endpoint = (await http().post(`/api/v1/app/${into.app}/endpoint`).set(into.auth).send(endpoint).expect(201)).body.id;
}

/** Publishes to the tenant's application and returns the message id. */
async function publish(of: typeof a): Promise<string> {
  return (
    await http()
      .post(`/api/v1/app/${of.app}/msg`)
      .set(of.auth)
      .send({ eventType: 'invoice.paid', payload: { n: randomBytes(4).toString('hex') } })
      .expect(202)
  ).body.id;
}

async function arrival(msgId: string): Promise<ReceivedRequest> {
  await waitUntil(() => receiver.requests.some((r) => r.headers['webhook-id'] === msgId), 20_000, `message ${msgId}`);
  return receiver.requests.find((r) => r.headers['webhook-id'] === msgId)!;
}

/** Waits for the worker to log that `endpointId`'s stored value was refused, then checks nothing of `msgId` arrived. */
async function expectRefusedDelivery(msgId: string, endpointId: string, reason: RegExp): Promise<void> {
  await waitUntil(() => running!.logs.some((l) => l.includes(endpointId) && reason.test(l)), 20_000, `the refusal for ${endpointId} to be logged`);
  expect(receiver.requests.filter((r) => r.headers['webhook-id'] === msgId)).toEqual([]);
}

beforeAll(async () => {
  database = await createTestDatabase();
  client = new pg.Client({ connectionString: database.connectionString });
  await client.connect();
  receiver = await startReceiver();
  await boot();
  await tenant('tenant-a', a, { url: `${receiver.url}/a`, headers: { 'X-Team': TEAM, Authorization: A_AUTH } });
  await tenant('tenant-b', b, { url: `${receiver.url}/b`, secret: B_SECRET });
});
afterAll(async () => {
  await running?.hookline.stop();
  await client?.end();
  await receiver?.close();
  await database?.drop();
});

describe('encrypted values are bound to their place', () => {
  it("refuses tenant B's endpoint secret copied into a header of tenant A's endpoint, and a header value copied to another header", async () => {
    const original = await storedHeaders(a.endpoint);
    // The attack: whoever can write the database copies B's ciphertext into A's non-sensitive header.
    await setStoredHeader(a.endpoint, 'X-Team', (await currentSecretRow(b.endpoint)).secret);
    const res = await http().get(`/api/v1/app/${a.app}/endpoint/${a.endpoint}/headers`).set(a.auth);
    expect(JSON.stringify(res.body)).not.toContain(B_SECRET);
    expect(JSON.stringify(res.body)).not.toContain(B_SECRET.slice(6));
    expect(res.status).toBe(409);
    expect(res.body.code).toBe('secret_unreadable');
    expect(res.body.detail).toContain('X-Team');
    expect(res.body.detail).not.toMatch(/hl[12]:|HOOKLINE_ENCRYPTION_KEYS|endpoint_secret/);
    // The operator hears of it, with the place and no value.
    const logged = running!.logs.find((l) => l.includes('stored secret unreadable'));
    expect(logged).toContain(a.endpoint);
    expect(logged).toContain('copied from another place');
    expect(logged).not.toContain(B_SECRET.slice(6));
    // Nor does A's delivery carry it: the worker refuses the endpoint's values and sends nothing.
    await expectRefusedDelivery(await publish(a), a.endpoint, /does not decrypt/);

    // Within one endpoint: the (hidden) Authorization value moved into the shown X-Team header.
    await setStoredHeader(a.endpoint, 'X-Team', original.Authorization!);
    const moved = await http().get(`/api/v1/app/${a.app}/endpoint/${a.endpoint}/headers`).set(a.auth).expect(409);
    expect(JSON.stringify(moved.body)).not.toContain(A_AUTH);

    // A's header value copied into B's endpoint secret: B's secret reads 409 too, and rotating with a given key repairs it.
    await client.query('UPDATE endpoint_secret SET secret = $1 WHERE endpoint_id = $2', [original['X-Team'], b.endpoint]);
    const secret = await http().get(`/api/v1/app/${b.app}/endpoint/${b.endpoint}/secret`).set(b.auth).expect(409);
    expect(JSON.stringify(secret.body)).not.toContain(TEAM);
    const fresh = 'whsec_UmVwYWlyZWRTZWNyZXRCYmJiYmJiYmJiYg==';
    await http().post(`/api/v1/app/${b.app}/endpoint/${b.endpoint}/secret/rotate`).set(b.auth).send({}).expect(409);
    await http().post(`/api/v1/app/${b.app}/endpoint/${b.endpoint}/secret/rotate`).set(b.auth).send({ key: fresh }).expect(204);
    expect((await http().get(`/api/v1/app/${b.app}/endpoint/${b.endpoint}/secret`).set(b.auth).expect(200)).body.key).toBe(fresh);

    // Setting the header again repairs A: the other (intact) values are kept as they were stored.
    await http()
      .patch(`/api/v1/app/${a.app}/endpoint/${a.endpoint}/headers`)
      .set(a.auth)
      .send({ headers: { 'X-Team': TEAM } })
      .expect(204);
    expect((await http().get(`/api/v1/app/${a.app}/endpoint/${a.endpoint}/headers`).set(a.auth).expect(200)).body).toEqual({
      headers: { 'X-Team': TEAM },
      sensitive: ['Authorization'],
    });
    const got = await arrival(await publish(a));
    expect(got.headers['x-team']).toBe(TEAM);
    expect(got.headers.authorization).toBe(A_AUTH);
  });

  it('reads rows of the older formats, and `hookline reencrypt` binds them all and records it', async () => {
    expect(await rows("SELECT 1 FROM setting WHERE key = 'secrets_bound_at'")).toEqual([]);
    // As an older version left them: an hl1 envelope and a plaintext header value, an hl1 signing secret, an hl1 portal key.
    await setStoredHeader(a.endpoint, 'X-Team', TEAM);
    await setStoredHeader(a.endpoint, 'Authorization', hl1Envelope(A_AUTH));
    await client.query('UPDATE endpoint_secret SET secret = $1 WHERE id = $2', [hl1Envelope(B_SECRET), (await currentSecretRow(b.endpoint)).id]);
    await client.query("UPDATE setting SET value = $1 WHERE key = 'portal_signing_key'", [hl1Envelope(randomBytes(32).toString('base64'))]);

    expect((await http().get(`/api/v1/app/${a.app}/endpoint/${a.endpoint}/headers`).set(a.auth).expect(200)).body.headers).toEqual({ 'X-Team': TEAM });
    expect((await http().get(`/api/v1/app/${b.app}/endpoint/${b.endpoint}/secret`).set(b.auth).expect(200)).body.key).toBe(B_SECRET);
    const before = await arrival(await publish(b));
    expect(new Webhook(B_SECRET).verify(before.body, before.headers as Record<string, string>)).toBeTruthy();

    const cli = spawnHookline(['reencrypt'], { ...testEnv(database.connectionString), HOOKLINE_LOG_LEVEL: 'info' });
    expect(await cli.exited, cli.output()).toBe(0);
    expect(cli.output()).toContain('"signingSecrets":1');
    expect(cli.output()).toContain('"unbound":4');
    expect(cli.output()).toContain('"bound":true');

    const bound = new RegExp(`^hl2:${KEY_ID}:`);
    for (const s of await rows<{ secret: string }>('SELECT secret FROM endpoint_secret')) expect(s.secret).toMatch(bound);
    for (const h of await rows<{ headers: Record<string, string> }>('SELECT headers FROM endpoint')) for (const v of Object.values(h.headers)) expect(v).toMatch(bound);
    for (const s of await rows<{ value: string }>("SELECT value FROM setting WHERE key = 'portal_signing_key' OR key LIKE 'encryption_key_check:%'"))
      expect(s.value).toMatch(bound);
    expect(await rows("SELECT 1 FROM setting WHERE key = 'secrets_bound_at'")).toHaveLength(1);

    // The same values, now bound: the API shows them and deliveries verify.
    expect((await http().get(`/api/v1/app/${a.app}/endpoint/${a.endpoint}/headers`).set(a.auth).expect(200)).body.headers).toEqual({ 'X-Team': TEAM });
    expect((await http().get(`/api/v1/app/${b.app}/endpoint/${b.endpoint}/secret`).set(b.auth).expect(200)).body.key).toBe(B_SECRET);
    const after = await arrival(await publish(b));
    expect(new Webhook(B_SECRET).verify(after.body, after.headers as Record<string, string>)).toBeTruthy();
    expect((await arrival(await publish(a))).headers.authorization).toBe(A_AUTH);
  }, 60_000);

  it('refuses plaintext and hl1 values once re-encryption has finished, in a running process and after a restart', async () => {
    // Planted as an older version would have stored them: a plaintext header value, an hl1 signing secret.
    await setStoredHeader(a.endpoint, 'X-Team', 'planted-plaintext');
    await client.query('UPDATE endpoint_secret SET secret = $1 WHERE id = $2', [hl1Envelope(B_SECRET), (await currentSecretRow(b.endpoint)).id]);

    // The process started before `reencrypt` recorded completion learns it within seconds.
    await waitUntil(async () => (await http().get(`/api/v1/app/${a.app}/endpoint/${a.endpoint}/headers`).set(a.auth)).status === 409, 20_000, 'plaintext to be refused');
    const headers = await http().get(`/api/v1/app/${a.app}/endpoint/${a.endpoint}/headers`).set(a.auth).expect(409);
    expect(JSON.stringify(headers.body)).not.toContain('planted-plaintext');
    const secret = await http().get(`/api/v1/app/${b.app}/endpoint/${b.endpoint}/secret`).set(b.auth).expect(409);
    expect(JSON.stringify(secret.body)).not.toContain(B_SECRET.slice(6));
    await expectRefusedDelivery(await publish(b), b.endpoint, /unbound \(hl1\) envelope, which is refused/);

    // A fresh process reads the record at start.
    await boot();
    await http().get(`/api/v1/app/${a.app}/endpoint/${a.endpoint}/headers`).set(a.auth).expect(409);
    await http().get(`/api/v1/app/${b.app}/endpoint/${b.endpoint}/secret`).set(b.auth).expect(409);
    await expectRefusedDelivery(await publish(a), a.endpoint, /is not encrypted, which is refused/);
  }, 60_000);

  it('the scheduled maintenance records completion only after a day without unbound values', async () => {
    // As if the record had never been written: a box of a process started now reads (and binds) old formats.
    await client.query("DELETE FROM setting WHERE key = 'secrets_bound_at'");
    const maintain = () => runMaintenance(running!.hookline.db, { messageRetentionDays: 90, secretBox: new SecretBox(parseEncryptionKeys(TEST_ENCRYPTION_KEYS)) });
    const recorded = async () => (await rows("SELECT 1 FROM setting WHERE key = 'secrets_bound_at'")).length === 1;
    expect((await maintain()).secretsReencrypted).toBe(2); // the two values planted above
    expect(await recorded()).toBe(false);
    expect((await maintain()).secretsReencrypted).toBe(0);
    expect(await recorded()).toBe(false); // unbound values were met a moment ago
    await client.query("UPDATE setting SET value = $1 WHERE key = 'secrets_unbound_seen_at'", [new Date(Date.now() - 25 * 3_600_000).toISOString()]);
    await maintain();
    expect(await recorded()).toBe(true);
  });
});
