import { afterAll, beforeAll, expect, it } from 'vitest';
import { ADMIN_TOKEN, startTestHookline, type TestHookline } from '@hookline/test-support/hookline';

let h: TestHookline;
const admin = { authorization: `Bearer ${ADMIN_TOKEN}` };

beforeAll(async () => {
  h = await startTestHookline({ HOOKLINE_ROLE: 'api' });
});
afterAll(async () => h?.stop());

const works = async (key: string) => (await h.http.get('/api/v1/app').set({ authorization: `Bearer ${key}` })).status;

it('rotates a key with an overlap: the old key works until the grace period ends, then 401', async () => {
  const { tenantId, apiKey, keyId } = await h.createTenant();
  expect(await works(apiKey)).toBe(200);
  const rotated = await h.http.post(`/admin/v1/tenants/${tenantId}/api-keys/${keyId}/rotate`).set(admin).send({ gracePeriodSeconds: 2 }).expect(201);
  expect(rotated.body.key).toMatch(/^hk_/);
  expect(rotated.body.name).toBe('test');
  expect(await works(rotated.body.key)).toBe(200);
  expect(await works(apiKey)).toBe(200);

  const list = await h.http.get(`/admin/v1/tenants/${tenantId}/api-keys`).set(admin).expect(200);
  const old = list.body.data.find((k: { id: string }) => k.id === keyId);
  expect(new Date(old.expiresAt).getTime()).toBeGreaterThan(Date.now());
  expect(new Date(old.expiresAt).getTime()).toBeLessThanOrEqual(Date.now() + 2000);
  expect(old.lastUsedAt).not.toBeNull();
  expect(old.prefix).toBe(apiKey.slice(0, old.prefix.length));

  await new Promise((r) => setTimeout(r, 2200));
  expect(await works(apiKey)).toBe(401);
  expect(await works(rotated.body.key)).toBe(200);
  // An expired key cannot be rotated again.
  await h.http.post(`/admin/v1/tenants/${tenantId}/api-keys/${keyId}/rotate`).set(admin).send({}).expect(404);
});

it('with a zero grace period the old key stops at once', async () => {
  const { tenantId, apiKey, keyId } = await h.createTenant();
  const rotated = await h.http.post(`/admin/v1/tenants/${tenantId}/api-keys/${keyId}/rotate`).set(admin).send({ gracePeriodSeconds: 0 }).expect(201);
  expect(await works(apiKey)).toBe(401);
  expect(await works(rotated.body.key)).toBe(200);
  await h.http.post(`/admin/v1/tenants/${tenantId}/api-keys/${keyId}/rotate`).set(admin).send({ gracePeriodSeconds: -1 }).expect(422);
});
