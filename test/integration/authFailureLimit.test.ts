import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Response } from 'supertest';
import { ADMIN_TOKEN, startTestHookline, type TestHookline } from '@hookline/test-support/hookline';

// Issue 17, 2j: failed authentication (bad API keys, portal tokens, admin tokens) is limited per
// client address: after HOOKLINE_AUTH_FAILURE_LIMIT failures in the window, 429 with Retry-After,
// before the credential is looked at. Other addresses are unaffected. The client address follows
// HOOKLINE_TRUST_PROXY: with `loopback` these tests play several clients through X-Forwarded-For.

const LIMIT = 5;
const admin = { authorization: `Bearer ${ADMIN_TOKEN}` };
const badKey = { authorization: 'Bearer sk_not_a_real_key_0123456789' };
const badPortal = { authorization: 'Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl' };
const badAdmin = { authorization: 'Bearer not-the-admin-token-0123456789' };

function expectLimited(res: Response): void {
  expect(res.status).toBe(429);
  expect(res.body).toEqual({ code: 'too_many_auth_failures', detail: expect.stringMatching(/failed authentication attempts.*retry after \d+ s/) });
  const retryAfter = Number(res.headers['retry-after']);
  expect(retryAfter).toBeGreaterThanOrEqual(1);
  expect(retryAfter).toBeLessThanOrEqual(60);
}

describe('behind a trusted proxy (HOOKLINE_TRUST_PROXY=loopback)', () => {
  let h: TestHookline;
  let key: { authorization: string };
  const from = (ip: string) => ({ 'x-forwarded-for': ip });

  beforeAll(async () => {
    h = await startTestHookline({ HOOKLINE_AUTH_FAILURE_LIMIT: String(LIMIT), HOOKLINE_AUTH_FAILURE_WINDOW_SECONDS: '60', HOOKLINE_TRUST_PROXY: 'loopback' });
    key = { authorization: `Bearer ${(await h.createTenant('limits')).apiKey}` };
  });
  afterAll(async () => h?.stop());

  it('bad API keys: 401 up to the limit, then 429 with Retry-After, also for a good key from that address', async () => {
    for (let i = 0; i < LIMIT; i++) expect((await h.http.get('/api/v1/app').set(badKey).set(from('203.0.113.1'))).status).toBe(401);
    expectLimited(await h.http.get('/api/v1/app').set(badKey).set(from('203.0.113.1')));
    expectLimited(await h.http.get('/api/v1/app').set(key).set(from('203.0.113.1')));
    // Another address is unaffected, with a good key or a bad one.
    await h.http.get('/api/v1/app').set(key).set(from('203.0.113.2')).expect(200);
    expect((await h.http.get('/api/v1/app').set(badKey).set(from('203.0.113.2'))).status).toBe(401);
  });

  it('bad portal tokens count the same way', async () => {
    for (let i = 0; i < LIMIT; i++) expect((await h.http.get('/api/v1/app').set(badPortal).set(from('198.51.100.7'))).status).toBe(401);
    expectLimited(await h.http.get('/api/v1/app').set(badPortal).set(from('198.51.100.7')));
  });

  it('bad admin tokens count the same way, and the operator with the right token elsewhere is unaffected', async () => {
    for (let i = 0; i < LIMIT; i++) expect((await h.http.get('/admin/v1/tenants').set(badAdmin).set(from('192.0.2.9'))).status).toBe(401);
    expectLimited(await h.http.get('/admin/v1/tenants').set(admin).set(from('192.0.2.9')));
    await h.http.get('/admin/v1/tenants').set(admin).set(from('192.0.2.10')).expect(200);
  });

  it('an IPv6 client is counted by its /64', async () => {
    for (let i = 0; i < LIMIT; i++)
      expect(
        (
          await h.http
            .get('/api/v1/app')
            .set(badKey)
            .set(from(`2001:db8:1:2::${i + 1}`))
        ).status,
      ).toBe(401);
    expectLimited(await h.http.get('/api/v1/app').set(badKey).set(from('2001:db8:1:2:ffff::1')));
    await h.http.get('/api/v1/app').set(key).set(from('2001:db8:1:3::1')).expect(200);
  });

  it('requests without credentials are not counted', async () => {
    for (let i = 0; i < LIMIT * 2; i++) expect((await h.http.get('/api/v1/app').set(from('203.0.113.50'))).status).toBe(401);
    await h.http.get('/api/v1/app').set(key).set(from('203.0.113.50')).expect(200);
  });
});

describe('by default (no trusted proxy)', () => {
  let h: TestHookline;
  let key: { authorization: string };

  beforeAll(async () => {
    h = await startTestHookline({ HOOKLINE_AUTH_FAILURE_LIMIT: String(LIMIT), HOOKLINE_AUTH_FAILURE_WINDOW_SECONDS: '2' });
    key = { authorization: `Bearer ${(await h.createTenant('limits')).apiKey}` };
  });
  afterAll(async () => h?.stop());

  it('X-Forwarded-For does not let a client escape the limit, and the window ends', async () => {
    for (let i = 0; i < LIMIT; i++) {
      expect((await h.http.get('/api/v1/app').set(badKey).set('x-forwarded-for', `203.0.113.${i}`)).status).toBe(401);
    }
    const limited = await h.http.get('/api/v1/app').set(key).set('x-forwarded-for', '198.51.100.99');
    expect(limited.status).toBe(429);
    expect(Number(limited.headers['retry-after'])).toBeLessThanOrEqual(2);
    // Nothing was read or written for the refused request; once the window is over the key works.
    await new Promise((r) => setTimeout(r, Number(limited.headers['retry-after']) * 1000 + 100));
    await h.http.get('/api/v1/app').set(key).expect(200);
  });
});
