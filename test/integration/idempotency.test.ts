import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestHookline, type TestHookline } from '@hookline/test-support/hookline';

let h: TestHookline;
let auth: { authorization: string };
let appId: string;

beforeAll(async () => {
  h = await startTestHookline({ HOOKLINE_ROLE: 'api' });
  const { apiKey } = await h.createTenant();
  auth = { authorization: `Bearer ${apiKey}` };
  appId = (await h.http.post('/api/v1/app').set(auth).send({ name: 'idem' }).expect(201)).body.id;
});
afterAll(async () => h?.stop());

const countMessages = async () => (await h.http.get(`/api/v1/app/${appId}/msg`).set(auth).expect(200)).body.data.length as number;

describe('idempotency-key', () => {
  it('replays the first response for a repeated key and creates nothing twice', async () => {
    const before = await countMessages();
    const send = (payload: object) => h.http.post(`/api/v1/app/${appId}/msg`).set(auth).set('idempotency-key', 'order-1').send({ eventType: 'a.b', payload });
    const first = await send({ n: 1 }).expect(202);
    // Even with another body: the key, not the body, identifies the request (as in Svix).
    const again = await send({ n: 2 }).expect(202);
    expect(again.body).toEqual(first.body);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(first.headers['idempotent-replayed']).toBeUndefined();
    expect(await countMessages()).toBe(before + 1);
  });

  it('makes concurrent duplicates wait for the first and share its response', async () => {
    const before = await countMessages();
    const responses = await Promise.all(
      Array.from({ length: 8 }, () =>
        h.http
          .post(`/api/v1/app/${appId}/msg`)
          .set(auth)
          .set('idempotency-key', 'burst')
          .send({ eventType: 'a.b', payload: { burst: true } }),
      ),
    );
    expect(new Set(responses.map((r) => r.status))).toEqual(new Set([202]));
    expect(new Set(responses.map((r) => r.body.id)).size).toBe(1);
    expect(await countMessages()).toBe(before + 1);
  });

  it('keys are per path and per tenant', async () => {
    const a = await h.http.post('/api/v1/app').set(auth).set('idempotency-key', 'shared').send({ name: 'one' }).expect(201);
    const b = await h.http.post('/api/v1/event-type').set(auth).set('idempotency-key', 'shared').send({ name: 'x.y', description: 'd' }).expect(201);
    expect(b.body.name).toBe('x.y');
    const other = await h.createTenant('other');
    const c = await h.http
      .post('/api/v1/app')
      .set({ authorization: `Bearer ${other.apiKey}` })
      .set('idempotency-key', 'shared')
      .send({ name: 'two' })
      .expect(201);
    expect(c.body.id).not.toBe(a.body.id);
    expect(c.body.name).toBe('two');
  });

  it('does not store a failed response: a corrected retry with the same key runs', async () => {
    const bad = await h.http.post('/api/v1/app').set(auth).set('idempotency-key', 'retry-me').send({ name: '' }).expect(422);
    expect(bad.body.detail[0].loc).toEqual(['body', 'name']);
    const conflictFirst = await h.http.post('/api/v1/app').set(auth).set('idempotency-key', 'retry-me').send({ name: 'fixed' }).expect(201);
    expect(conflictFirst.body.name).toBe('fixed');
  });

  it('rejects an over-long key with a 422', async () => {
    const res = await h.http.post('/api/v1/app').set(auth).set('idempotency-key', 'k'.repeat(257)).send({ name: 'n' }).expect(422);
    expect(res.body.detail[0].loc).toEqual(['header', 'idempotency-key']);
  });
});
