import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { connectDatabase, type Database } from '@hookline/db';
import { sessionAs } from '@hookline/test-support/console';
import { startTestHookline, type TestHookline } from '@hookline/test-support/hookline';

// The tenant's own API keys through the console API (/console/v1/api-keys) over real HTTP: a
// person's session within the role, the keys checked by calling the tenant API with them.

let h: TestHookline;
let db: Database;

beforeAll(async () => {
  h = await startTestHookline({ HOOKLINE_ROLE: 'api' });
  db = connectDatabase({ connectionString: h.connectionString, max: 2 });
});
afterAll(async () => {
  await db?.destroy();
  await h?.stop();
});

const call = (key: string) => h.http.get('/api/v1/app').set({ authorization: `Bearer ${key}` });
const status = async (key: string) => (await call(key)).status;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

it('creates a named key with an expiry (the secret once, stored hashed), lists it without secrets and with last use', async () => {
  const { tenantId } = await h.createTenant('keys');
  const owner = await sessionAs(h, tenantId, 'owner');
  const expiresAt = new Date(Date.now() + 3000).toISOString();
  const created = await h.http.post('/console/v1/api-keys').set(owner.headers).send({ name: 'ci deploys', expiresAt }).expect(201);
  expect(created.body).toMatchObject({ name: 'ci deploys', lastUsedAt: null, revokedAt: null, expiresAt });
  const key = created.body.key as string;
  expect(key).toMatch(/^hk_/);
  expect(created.body.prefix).toBe(key.slice(0, created.body.prefix.length));

  const stored = await sql<Record<string, unknown>>`SELECT * FROM api_key WHERE id = ${created.body.id}`.execute(db);
  expect(JSON.stringify(stored.rows)).not.toContain(key.slice(created.body.prefix.length));

  const before = await h.http.get('/console/v1/api-keys').set(owner.headers).expect(200);
  expect(before.text).not.toContain(key);
  expect(before.body.data.find((k: { id: string }) => k.id === created.body.id)).toMatchObject({ name: 'ci deploys', lastUsedAt: null });
  expect(before.body.data.every((k: Record<string, unknown>) => !('key' in k) && !('keyHash' in k))).toBe(true);

  expect(await status(key)).toBe(200);
  // Last use is written after the answer (once a minute at most), so wait for it to land.
  let lastUsedAt: string | null = null;
  for (let i = 0; i < 50 && !lastUsedAt; i++) {
    const list = await h.http.get('/console/v1/api-keys').set(owner.headers).expect(200);
    lastUsedAt = list.body.data.find((k: { id: string }) => k.id === created.body.id).lastUsedAt;
    if (!lastUsedAt) await sleep(50);
  }
  expect(new Date(lastUsedAt!).getTime()).toBeGreaterThan(Date.now() - 10_000);

  await sleep(Math.max(0, new Date(expiresAt).getTime() - Date.now() + 100));
  const expired = await call(key).expect(401);
  expect(expired.body).toEqual({ code: 'authentication_failed', detail: `This API key expired at ${expiresAt}` });
});

it('rotates with an overlap: the old key works within the grace period and 401s after it; revoking stops a key at once', async () => {
  const { tenantId } = await h.createTenant('rotation');
  const admin = await sessionAs(h, tenantId, 'admin');
  const old = await h.http.post('/console/v1/api-keys').set(admin.headers).send({ name: 'backend' }).expect(201);
  const rotated = await h.http.post(`/console/v1/api-keys/${old.body.id}/rotate`).set(admin.headers).send({ gracePeriodSeconds: 2 }).expect(201);
  expect(rotated.body).toMatchObject({ name: 'backend', expiresAt: null });
  expect(rotated.body.id).not.toBe(old.body.id);
  expect(await status(old.body.key)).toBe(200);
  expect(await status(rotated.body.key)).toBe(200);
  await sleep(2200);
  expect((await call(old.body.key).expect(401)).body.detail).toMatch(/^This API key expired at /);
  expect(await status(rotated.body.key)).toBe(200);

  await h.http.delete(`/console/v1/api-keys/${rotated.body.id}`).set(admin.headers).expect(204);
  expect((await call(rotated.body.key).expect(401)).body).toEqual({ code: 'authentication_failed', detail: 'This API key was revoked' });
  // A key that never existed says nothing more.
  expect((await call('hk_nosuchkeynosuchkeynosuchkeynosuchkeynosuch0').expect(401)).body.detail).toBe('Invalid or missing credentials');
  // Neither a revoked nor an expired key can be rotated.
  await h.http.post(`/console/v1/api-keys/${rotated.body.id}/rotate`).set(admin.headers).send({}).expect(404);
  await h.http.post(`/console/v1/api-keys/${old.body.id}/rotate`).set(admin.headers).send({}).expect(404);
});

it('refuses bad input with 422 and changes nothing', async () => {
  const { tenantId } = await h.createTenant('bad-input');
  const owner = await sessionAs(h, tenantId, 'owner');
  const list = async () => (await h.http.get('/console/v1/api-keys').set(owner.headers).expect(200)).body.data;
  const keys = await list();
  for (const body of [{ name: '' }, { name: 'x'.repeat(257) }, { expiresAt: 'tomorrow' }, { expiresAt: new Date(Date.now() - 1000).toISOString() }, { name: 7 }]) {
    const res = await h.http.post('/console/v1/api-keys').set(owner.headers).send(body).expect(422);
    expect(Array.isArray(res.body.detail), JSON.stringify(body)).toBe(true);
  }
  const keyId = keys[0].id as string;
  for (const body of [{ gracePeriodSeconds: -1 }, { gracePeriodSeconds: 30 * 86400 + 1 }, { gracePeriodSeconds: 1.5 }]) {
    await h.http.post(`/console/v1/api-keys/${keyId}/rotate`).set(owner.headers).send(body).expect(422);
  }
  expect(await list()).toEqual(keys);
});

it('lets owners and admins (and the tenant API key) manage keys, and refuses developers and viewers with 403', async () => {
  const { tenantId, apiKey, keyId } = await h.createTenant('roles');
  for (const role of ['developer', 'viewer'] as const) {
    const person = await sessionAs(h, tenantId, role);
    expect((await h.http.get('/console/v1/api-keys').set(person.headers).expect(403)).body.code).toBe('forbidden');
    await h.http.post('/console/v1/api-keys').set(person.headers).send({ name: role }).expect(403);
    await h.http.post(`/console/v1/api-keys/${keyId}/rotate`).set(person.headers).send({}).expect(403);
    await h.http.delete(`/console/v1/api-keys/${keyId}`).set(person.headers).expect(403);
  }
  const byKey = await h.http
    .post('/console/v1/api-keys')
    .set({ authorization: `Bearer ${apiKey}` })
    .send({ name: 'by key' })
    .expect(201);
  expect(await status(byKey.body.key)).toBe(200);
  expect(await status(apiKey)).toBe(200);
});

it("keeps tenants apart: one tenant's keys are neither listed nor rotated nor revoked by another", async () => {
  const a = await h.createTenant('iso-a');
  const b = await h.createTenant('iso-b');
  const ownerA = await sessionAs(h, a.tenantId, 'owner');
  const listed = await h.http.get('/console/v1/api-keys').set(ownerA.headers).expect(200);
  expect(listed.body.data.map((k: { id: string }) => k.id)).toEqual([a.keyId]);
  for (const auth of [ownerA.headers, { authorization: `Bearer ${a.apiKey}` }]) {
    expect((await h.http.post(`/console/v1/api-keys/${b.keyId}/rotate`).set(auth).send({ gracePeriodSeconds: 0 }).expect(404)).body.code).toBe('not_found');
    await h.http.delete(`/console/v1/api-keys/${b.keyId}`).set(auth).expect(404);
  }
  expect(await status(b.apiKey)).toBe(200);
  const bKeys = await sql<{ n: string }>`SELECT count(*) AS n FROM api_key WHERE tenant_id = ${b.tenantId}`.execute(db);
  expect(Number(bKeys.rows[0]!.n)).toBe(1);
});
