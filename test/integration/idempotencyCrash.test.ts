import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestHookline, type TestHookline } from '@hookline/test-support/hookline';

// What a process that dies mid-request leaves behind must not block a retry with the same key.
let h: TestHookline;
let auth: { authorization: string };
let tenantId: string;
let appId: string;

beforeAll(async () => {
  h = await startTestHookline({ HOOKLINE_ROLE: 'api' });
  const tenant = await h.createTenant();
  tenantId = tenant.tenantId;
  auth = { authorization: `Bearer ${tenant.apiKey}` };
  appId = (await h.http.post('/api/v1/app').set(auth).send({ name: 'idem-crash' }).expect(201)).body.id;
});
afterAll(async () => h?.stop());

const keyRow = (key: string) => h.hookline.db.selectFrom('idempotencyKey').selectAll().where('tenantId', '=', tenantId).where('key', '=', key).executeTakeFirst();

it('takes over a claim whose owner died (stale) instead of answering 409 for ever', async () => {
  // As left by an api process SIGKILLed mid-request two minutes ago: claimed, never completed.
  await sql`INSERT INTO idempotency_key (tenant_id, key, request, created_at)
            VALUES (${tenantId}, 'crashed-create', 'POST /api/v1/app', now() - interval '2 minutes')`.execute(h.hookline.db);
  const res = await h.http.post('/api/v1/app').set(auth).set('idempotency-key', 'crashed-create').send({ name: 'after-crash' }).expect(201);
  expect(res.body.name).toBe('after-crash');
  const again = await h.http.post('/api/v1/app').set(auth).set('idempotency-key', 'crashed-create').send({ name: 'other' }).expect(201);
  expect(again.body.id).toBe(res.body.id);
});

it('claims a publish key in the message transaction: a refused publish leaves no claim, a retry runs at once', async () => {
  await h.http.post(`/api/v1/app/${appId}/msg`).set(auth).send({ eventType: 'a.b', eventId: 'taken', payload: {} }).expect(202);
  const refused = await h.http
    .post(`/api/v1/app/${appId}/msg`)
    .set(auth)
    .set('idempotency-key', 'pub-1')
    .send({ eventType: 'a.b', eventId: 'taken', payload: {} })
    .expect(409);
  expect(refused.body.code).toBeDefined();
  expect(await keyRow('pub-1')).toBeUndefined();
  const ok = await h.http
    .post(`/api/v1/app/${appId}/msg`)
    .set(auth)
    .set('idempotency-key', 'pub-1')
    .send({ eventType: 'a.b', eventId: 'fresh', payload: {} })
    .expect(202);
  // The response is stored by the transaction that stored the message, so it is there for a retry.
  const row = await keyRow('pub-1');
  expect(row?.statusCode).toBe(202);
  expect(JSON.parse(row!.responseBody!).id).toBe(ok.body.id);
  const replay = await h.http
    .post(`/api/v1/app/${appId}/msg`)
    .set(auth)
    .set('idempotency-key', 'pub-1')
    .send({ eventType: 'a.b', eventId: 'fresh', payload: {} })
    .expect(202);
  expect(replay.body).toEqual(ok.body);
  expect(replay.headers['idempotent-replayed']).toBe('true');
});
