import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import type { Response } from 'supertest';
import { ADMIN_TOKEN, startTestHookline, type TestHookline } from '@hookline/test-support/hookline';

let h: TestHookline;
const admin = { authorization: `Bearer ${ADMIN_TOKEN}` };

beforeAll(async () => {
  h = await startTestHookline();
});
afterAll(async () => h?.stop());

const KEY_FIELDS = ['createdAt', 'expiresAt', 'id', 'lastUsedAt', 'name', 'prefix', 'revokedAt'];

function expect401(res: Response, label: string): void {
  expect({ label, status: res.status, body: res.body }).toEqual({ label, status: 401, body: { code: 'authentication_failed', detail: expect.any(String) } });
}

describe('admin authentication', () => {
  it('refuses every admin endpoint without the admin token, with a wrong one, or with a tenant API key', async () => {
    const { tenantId, apiKey, keyId } = await h.createTenant('auth-target');
    const calls = [
      () => h.http.post('/admin/v1/tenants').send({ name: 'sneaky' }),
      () => h.http.get('/admin/v1/tenants'),
      () => h.http.post(`/admin/v1/tenants/${tenantId}/api-keys`).send({ name: 'sneaky' }),
      () => h.http.get(`/admin/v1/tenants/${tenantId}/api-keys`),
      () => h.http.delete(`/admin/v1/tenants/${tenantId}/api-keys/${keyId}`),
    ];
    const credentials: Array<[string, Record<string, string>]> = [
      ['none', {}],
      ['wrong token', { authorization: `Bearer ${ADMIN_TOKEN}x` }],
      ['token prefix', { authorization: `Bearer ${ADMIN_TOKEN.slice(0, -1)}` }],
      ['tenant API key', { authorization: `Bearer ${apiKey}` }],
      ['basic', { authorization: `Basic ${Buffer.from(`admin:${ADMIN_TOKEN}`).toString('base64')}` }],
    ];
    for (const [label, headers] of credentials) {
      for (const [i, call] of calls.entries()) expect401(await call().set(headers), `${label} #${i}`);
    }
    // Nothing happened: no tenant named "sneaky", no extra key, and the key is not revoked.
    const tenants = await h.http.get('/admin/v1/tenants?limit=250').set(admin).expect(200);
    expect(tenants.body.data.map((t: { name: string }) => t.name)).not.toContain('sneaky');
    const keys = await h.http.get(`/admin/v1/tenants/${tenantId}/api-keys`).set(admin).expect(200);
    expect(keys.body.data).toEqual([expect.objectContaining({ id: keyId, revokedAt: null })]);
    await h.http.get('/api/v1/app').set('authorization', `Bearer ${apiKey}`).expect(200);
  });
});

describe('tenants', () => {
  it('creates a tenant with an org_ id', async () => {
    const res = await h.http.post('/admin/v1/tenants').set(admin).send({ name: 'Acme' }).expect(201);
    expect(res.body).toEqual({ id: expect.stringMatching(/^org_[0-9A-Za-z]{27}$/), name: 'Acme', retrySchedule: null, createdAt: expect.any(String) });
    expect(new Date(res.body.createdAt).toISOString()).toBe(res.body.createdAt);
  });

  it('rejects a tenant without a name with 422', async () => {
    const res = await h.http.post('/admin/v1/tenants').set(admin).send({});
    expect(res.status).toBe(422);
    expect(res.body.detail.map((d: { loc: unknown[] }) => d.loc)).toEqual([['body', 'name']]);
  });

  it('lists tenants as {data, iterator, prevIterator, done}', async () => {
    const created = await h.http.post('/admin/v1/tenants').set(admin).send({ name: 'Listed' }).expect(201);
    const res = await h.http.get('/admin/v1/tenants').set(admin).expect(200);
    expect(Object.keys(res.body).sort()).toEqual(['data', 'done', 'iterator', 'prevIterator']);
    expect(res.body.done).toBe(true);
    expect(res.body.data).toContainEqual(created.body);
    const last = res.body.data[res.body.data.length - 1];
    expect(res.body.iterator).toBe(last.id);
    expect(res.body.prevIterator).toBe(`-${res.body.data[0].id}`);
  });

  it('pages through tenants forwards, backwards and in descending order', async () => {
    for (let i = 0; i < 5; i++)
      await h.http
        .post('/admin/v1/tenants')
        .set(admin)
        .send({ name: `page-${i}` })
        .expect(201);
    const all = (await h.http.get('/admin/v1/tenants?limit=250').set(admin).expect(200)).body.data.map((t: { id: string }) => t.id) as string[];
    expect(all.length).toBeGreaterThanOrEqual(5);
    expect(all).toEqual([...all].sort());

    const pages: string[][] = [];
    let iterator: string | undefined;
    let prev: string | undefined;
    for (;;) {
      const res = await h.http
        .get('/admin/v1/tenants')
        .query({ limit: 2, ...(iterator ? { iterator } : {}) })
        .set(admin)
        .expect(200);
      pages.push(res.body.data.map((t: { id: string }) => t.id));
      prev = res.body.prevIterator;
      if (res.body.done) break;
      iterator = res.body.iterator;
      expect(pages.length).toBeLessThan(50);
    }
    expect(pages.flat()).toEqual(all);

    // Back from the last page: the previous page is the one before it.
    const back = await h.http.get('/admin/v1/tenants').query({ limit: 2, iterator: prev }).set(admin).expect(200);
    expect(back.body.data.map((t: { id: string }) => t.id)).toEqual(pages[pages.length - 2]);

    const desc = await h.http.get('/admin/v1/tenants?limit=250&order=descending').set(admin).expect(200);
    expect(desc.body.data.map((t: { id: string }) => t.id)).toEqual([...all].reverse());
  });
});

describe('API keys', () => {
  it('creates a key that is shown once, lists keys without it, revokes it', async () => {
    const tenant = (await h.http.post('/admin/v1/tenants').set(admin).send({ name: 'keys' }).expect(201)).body;
    const created = await h.http.post(`/admin/v1/tenants/${tenant.id}/api-keys`).set(admin).send({ name: 'ci' }).expect(201);
    expect(Object.keys(created.body).sort()).toEqual([...KEY_FIELDS, 'key'].sort());
    const { key, id } = created.body as { key: string; id: string };
    expect(key).toMatch(/^hk_[A-Za-z0-9_-]{40,}$/);
    expect(id).toMatch(/^key_/);
    expect(created.body).toMatchObject({ name: 'ci', revokedAt: null, lastUsedAt: null, prefix: key.slice(0, created.body.prefix.length) });
    expect(created.body.prefix.length).toBeLessThan(key.length / 2);

    // The key works.
    await h.http.get('/api/v1/app').set('authorization', `Bearer ${key}`).expect(200);

    const list = await h.http.get(`/admin/v1/tenants/${tenant.id}/api-keys`).set(admin).expect(200);
    expect(list.body).toEqual({ data: [expect.objectContaining({ id, name: 'ci', revokedAt: null })], iterator: null, prevIterator: null, done: true });
    expect(Object.keys(list.body.data[0]).sort()).toEqual(KEY_FIELDS);
    expect(list.text).not.toContain(key);
    expect(list.text).not.toContain(key.slice(created.body.prefix.length));
    expect(list.text).not.toMatch(/[0-9a-f]{64}/); // no SHA-256 hex digest either
    expect(list.text).not.toMatch(/hash/i);

    await h.http
      .delete(`/admin/v1/tenants/${tenant.id}/api-keys/${id}`)
      .set(admin)
      .expect(204)
      .expect((res) => expect(res.text).toBe(''));
    const after = await h.http.get(`/admin/v1/tenants/${tenant.id}/api-keys`).set(admin).expect(200);
    expect(after.body.data).toHaveLength(1);
    expect(after.body.data[0].id).toBe(id);
    expect(new Date(after.body.data[0].revokedAt).getTime()).toBeGreaterThan(Date.now() - 60_000);
    const res = await h.http.get('/api/v1/app').set('authorization', `Bearer ${key}`);
    expect(res.status).toBe(401);
  });

  it('answers 404 for unknown tenants and keys', async () => {
    const tenant = (await h.http.post('/admin/v1/tenants').set(admin).send({ name: 'unknowns' }).expect(201)).body;
    const other = await h.createTenant('other');
    const notFound = (res: Response, label: string) =>
      expect({ label, status: res.status, body: res.body }).toEqual({ label, status: 404, body: { code: 'not_found', detail: expect.any(String) } });
    notFound(await h.http.delete(`/admin/v1/tenants/${tenant.id}/api-keys/key_doesnotexist`).set(admin), 'revoke unknown key');
    // A key of another tenant is unknown under this one, and stays live.
    notFound(await h.http.delete(`/admin/v1/tenants/${tenant.id}/api-keys/${other.keyId}`).set(admin), 'revoke other tenant key');
    await h.http.get('/api/v1/app').set('authorization', `Bearer ${other.apiKey}`).expect(200);
    notFound(await h.http.post('/admin/v1/tenants/org_doesnotexist/api-keys').set(admin).send({ name: 'x' }), 'create key for unknown tenant');
    notFound(await h.http.get('/admin/v1/tenants/org_doesnotexist/api-keys').set(admin), 'list keys of unknown tenant');
  });

  it('stores no plaintext key anywhere in the database', async () => {
    const tenant = (await h.http.post('/admin/v1/tenants').set(admin).send({ name: 'storage' }).expect(201)).body;
    const created = (await h.http.post(`/admin/v1/tenants/${tenant.id}/api-keys`).set(admin).send({ name: 'stored' }).expect(201)).body;
    const key = created.key as string;
    // Use the key once, so anything written on use (last-used time) is in the database too.
    await h.http.get('/api/v1/app').set('authorization', `Bearer ${key}`).expect(200);

    const client = new pg.Client({ connectionString: h.connectionString });
    await client.connect();
    try {
      const row = (await client.query('SELECT * FROM api_key WHERE id = $1', [created.id])).rows[0] as Record<string, unknown>;
      expect(row).toBeDefined();
      for (const [column, value] of Object.entries(row)) {
        const text = value instanceof Date ? value.toISOString() : String(value);
        expect(text, column).not.toContain(key);
        expect(text, column).not.toContain(key.slice(3));
      }
      expect(row.key_hash).toMatch(/^[0-9a-f]{64}$/);

      // Every table of every schema, searched through each row's text form.
      const tables = (
        await client.query<{ schema: string; name: string }>(
          `SELECT table_schema AS schema, table_name AS name FROM information_schema.tables
         WHERE table_type = 'BASE TABLE' AND table_schema NOT IN ('pg_catalog', 'information_schema')`,
        )
      ).rows;
      expect(tables.map((t) => t.name)).toContain('api_key');
      const count = async (needle: string, t: { schema: string; name: string }) =>
        Number((await client.query(`SELECT count(*) AS n FROM "${t.schema}"."${t.name}" AS r WHERE strpos(r::text, $1) > 0`, [needle])).rows[0].n);
      for (const t of tables) expect(await count(key.slice(3), t), `${t.schema}.${t.name}`).toBe(0);
      // The search itself works: it finds the key's id and its public prefix in api_key.
      const apiKeyTable = tables.find((t) => t.name === 'api_key')!;
      expect(await count(created.id, apiKeyTable)).toBe(1);
      expect(await count(created.prefix, apiKeyTable)).toBe(1);
    } finally {
      await client.end();
    }
  });
});
