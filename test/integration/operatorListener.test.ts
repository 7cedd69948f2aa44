import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, startTestHookline, type TestHookline } from '@hookline/test-support/hookline';

// Issue 17, 2j: /metrics and /admin/v1 on a listener of their own (HOOKLINE_ADMIN_PORT). When it is
// set, the public port answers 404 for them; unset, everything stays on one port as before.

const admin = { authorization: `Bearer ${ADMIN_TOKEN}` };

describe('with HOOKLINE_ADMIN_PORT', () => {
  let h: TestHookline;
  let operator: ReturnType<typeof request>;
  let apiKey: string;

  beforeAll(async () => {
    h = await startTestHookline({ HOOKLINE_ADMIN_PORT: '0' });
    expect(h.hookline.api?.admin?.port).toBeGreaterThan(0);
    expect(h.hookline.api!.admin!.port).not.toBe(h.hookline.api!.port);
    operator = request(`http://127.0.0.1:${h.hookline.api!.admin!.port}`);
    const tenant = await operator.post('/admin/v1/tenants').set(admin).send({ name: 'split' }).expect(201);
    apiKey = (await operator.post(`/admin/v1/tenants/${tenant.body.id}/api-keys`).set(admin).send({ name: 'k' }).expect(201)).body.key;
  });
  afterAll(async () => h?.stop());

  it('the public port answers 404 for /metrics and every /admin/v1 route, admin token or not', async () => {
    for (const res of [
      await h.http.get('/metrics'),
      await h.http.get('/admin/v1/tenants').set(admin),
      await h.http.post('/admin/v1/tenants').set(admin).send({ name: 'x' }),
      await h.http.get('/admin/v1/tenants/org_x/api-keys').set(admin),
    ]) {
      expect(res.status).toBe(404);
      expect(res.body).toEqual({ code: 'not_found', detail: 'No such route' });
    }
    const listed = (await operator.get('/admin/v1/tenants').set(admin).expect(200)).body.data as Array<{ name: string }>;
    expect(listed.map((t) => t.name)).toEqual(['split']); // the POST above created nothing
  });

  it('the public port still serves the API, the portal, health and an OpenAPI document without the operator routes', async () => {
    await h.http
      .post('/api/v1/app')
      .set({ authorization: `Bearer ${apiKey}` })
      .send({ name: 'a' })
      .expect(201);
    await h.http.get('/health').expect(200);
    await h.http.get('/ready').expect(200);
    await h.http.get('/portal/').expect(200);
    const paths = Object.keys((await h.http.get('/openapi.json').expect(200)).body.paths as object);
    expect(paths).toContain('/api/v1/app');
    expect(paths.filter((p) => p === '/metrics' || p.startsWith('/admin/'))).toEqual([]);
  });

  it('the operator port serves /metrics, /admin/v1 and health, and nothing of the public API', async () => {
    const metrics = await operator.get('/metrics').expect(200);
    expect(metrics.text).toMatch(/^hookline_/m);
    await operator.get('/admin/v1/tenants').expect(401);
    await operator.get('/health').expect(200);
    await operator.get('/ready').expect(200);
    await operator
      .post('/api/v1/app')
      .set({ authorization: `Bearer ${apiKey}` })
      .send({ name: 'b' })
      .expect(404);
    await operator.get('/portal/').expect(404);
    await operator.get('/openapi.json').expect(404);
  });
});

describe('without HOOKLINE_ADMIN_PORT (the default, as before)', () => {
  let h: TestHookline;
  beforeAll(async () => {
    h = await startTestHookline();
  });
  afterAll(async () => h?.stop());

  it('serves /metrics and /admin/v1 on the one port', async () => {
    expect(h.hookline.api!.admin).toBeUndefined();
    await h.http.get('/metrics').expect(200);
    await h.http.get('/admin/v1/tenants').set(admin).expect(200);
  });
});
