import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordAudit } from '@hookline/core';
import { ADMIN_TOKEN, startTestHookline, type TestHookline } from '@hookline/test-support/hookline';

// Reading the audit log: filters, Svix-style pagination, the NDJSON export, and tenant isolation.

type Auth = { authorization: string };
interface Record {
  id: string;
  tenantId: string;
  at: string;
  action: string;
  actor: { kind: string; id: string };
  target: { kind: string; id: string; appId: string | null };
}

let h: TestHookline;
let a: { tenantId: string; key: Auth; keyId: string };
let b: { tenantId: string; key: Auth; keyId: string };
let appA: string;
const endpointsA: string[] = [];
let middle: Date;

const list = async (auth: Auth, query: string) =>
  (await h.http.get(`/api/v1/audit-log?${query}`).set(auth).expect(200)).body as { data: Record[]; iterator: string | null; done: boolean };

beforeAll(async () => {
  h = await startTestHookline();
  for (const [name, set] of [
    ['audit-api-a', (t: typeof a) => (a = t)],
    ['audit-api-b', (t: typeof a) => (b = t)],
  ] as const) {
    const t = await h.createTenant(name);
    set({ tenantId: t.tenantId, key: { authorization: `Bearer ${t.apiKey}` }, keyId: t.keyId });
  }
  appA = (await h.http.post('/api/v1/app').set(a.key).send({ name: 'audited' }).expect(201)).body.id;
  for (let i = 0; i < 5; i++) {
    endpointsA.push(
      (
        await h.http
          .post(`/api/v1/app/${appA}/endpoint`)
          .set(a.key)
          .send({ url: `https://audit.example.com/${i}` })
          .expect(201)
      ).body.id,
    );
  }
  await new Promise((r) => setTimeout(r, 20));
  middle = new Date();
  await new Promise((r) => setTimeout(r, 20));
  await h.http.patch(`/api/v1/app/${appA}/endpoint/${endpointsA[0]}`).set(a.key).send({ description: 'later' }).expect(200);
  await h.http.get(`/api/v1/app/${appA}/endpoint/${endpointsA[0]}/secret`).set(a.key).expect(200);
  const appB = (await h.http.post('/api/v1/app').set(b.key).send({ name: 'b only' }).expect(201)).body.id;
  await h.http.post(`/api/v1/app/${appB}/endpoint`).set(b.key).send({ url: 'https://audit.example.com/b' }).expect(201);
});
afterAll(async () => h?.stop());

describe('GET /api/v1/audit-log', () => {
  it("lists the tenant's records newest first, by the actor that made them", async () => {
    const page = await list(a.key, 'limit=250');
    expect(page.done).toBe(true);
    // The tenant and its key (operator), the application, five endpoints, a patch, a secret read.
    expect(page.data.map((r) => r.action)).toEqual([
      'endpoint.secret.read',
      'endpoint.updated',
      ...Array(5).fill('endpoint.created'),
      'application.created',
      'apiKey.created',
      'tenant.created',
    ]);
    expect(page.data.every((r) => r.tenantId === a.tenantId)).toBe(true);
    expect(page.data[0]!.actor).toEqual({ kind: 'apiKey', id: a.keyId, displayName: 'test' });
    expect(page.data.at(-1)!.actor).toEqual({ kind: 'operator', id: 'operator', displayName: 'operator' });
  });

  it('filters by action, actor, target, application and time', async () => {
    expect((await list(a.key, 'action=endpoint.created')).data.map((r) => r.target.id)).toEqual([...endpointsA].reverse());
    expect((await list(a.key, 'actor=operator')).data.map((r) => r.action)).toEqual(['apiKey.created', 'tenant.created']);
    expect((await list(a.key, `target=${endpointsA[0]}`)).data.map((r) => r.action)).toEqual(['endpoint.secret.read', 'endpoint.updated', 'endpoint.created']);
    expect((await list(a.key, `app=${appA}`)).data).toHaveLength(8);
    const since = (await list(a.key, `since=${middle.toISOString()}`)).data.map((r) => r.action);
    expect(since).toEqual(['endpoint.secret.read', 'endpoint.updated']);
    const until = (await list(a.key, `until=${middle.toISOString()}`)).data;
    expect(until).toHaveLength(8);
    expect((await list(a.key, `since=${middle.toISOString()}&action=endpoint.updated`)).data).toHaveLength(1);
  });

  it('pages with iterator, prevIterator and done, in either order', async () => {
    const all = (await list(a.key, 'limit=250')).data.map((r) => r.id);
    const seen: string[] = [];
    let iterator: string | null = null;
    for (let i = 0; i < 20; i++) {
      const page = await list(a.key, `limit=3${iterator ? `&iterator=${iterator}` : ''}`);
      seen.push(...page.data.map((r) => r.id));
      if (page.done) break;
      iterator = page.iterator;
    }
    expect(seen).toEqual(all);
    const ascending = (await list(a.key, 'limit=250&order=ascending')).data.map((r) => r.id);
    expect(ascending).toEqual([...all].reverse());
  });

  it('refuses bad filters with 422 and portal tokens with 403', async () => {
    await h.http.get('/api/v1/audit-log?action=endpoint.nonsense').set(a.key).expect(422);
    await h.http.get('/api/v1/audit-log?since=yesterday').set(a.key).expect(422);
    const token = (await h.http.post(`/api/v1/auth/app-portal-access/${appA}`).set(a.key).send({}).expect(200)).body.token as string;
    await h.http
      .get('/api/v1/audit-log')
      .set({ authorization: `Bearer ${token}` })
      .expect(403);
    await h.http
      .get('/api/v1/audit-log/export')
      .set({ authorization: `Bearer ${token}` })
      .expect(403);
  });
});

describe('GET /api/v1/audit-log/export', () => {
  it('streams every matching record as NDJSON, oldest first', async () => {
    const res = await h.http.get('/api/v1/audit-log/export').set(a.key).expect(200);
    expect(res.headers['content-type']).toMatch(/^application\/x-ndjson/);
    const lines = res.text.trimEnd().split('\n');
    const records = lines.map((l) => JSON.parse(l) as Record);
    const listed = (await list(a.key, 'limit=250')).data;
    expect(records.map((r) => r.id)).toEqual(listed.map((r) => r.id).reverse());
    const filtered = (await h.http.get('/api/v1/audit-log/export?action=endpoint.created').set(a.key).expect(200)).text.trimEnd().split('\n');
    expect(filtered.map((l) => (JSON.parse(l) as Record).target.id)).toEqual(endpointsA);
    expect((await h.http.get('/api/v1/audit-log/export?action=message.resent').set(a.key).expect(200)).text).toBe('');
  });

  it('reads past its page size without losing or repeating a record', async () => {
    const audit = { tenantId: b.tenantId, actor: { kind: 'maintenance' as const, id: 'test', displayName: 'test' }, origin: {} };
    for (let i = 0; i < 1100; i++) await recordAudit(h.hookline.db, audit, { action: 'endpoint.disabled', target: { kind: 'endpoint', id: `ep_${i}` } });
    const lines = (await h.http.get('/api/v1/audit-log/export?actor=test').set(b.key).expect(200)).text.trimEnd().split('\n');
    const records = lines.map((l) => JSON.parse(l) as Record);
    // Ids order by the millisecond; records of one millisecond come in id order, not insertion order.
    expect(records.map((r) => r.target.id).sort()).toEqual(Array.from({ length: 1100 }, (_, i) => `ep_${i}`).sort());
    expect(records.map((r) => r.id)).toEqual(records.map((r) => r.id).sort());
  });
});

describe('tenant isolation', () => {
  it("never shows tenant B a record of tenant A's, by list, filter or export", async () => {
    const listed = await list(b.key, 'limit=250');
    expect(listed.data.length).toBeGreaterThan(0);
    expect(listed.data.every((r) => r.tenantId === b.tenantId)).toBe(true);
    expect((await list(b.key, `target=${endpointsA[0]}`)).data).toEqual([]);
    expect((await list(b.key, `actor=${a.keyId}`)).data).toEqual([]);
    const exported = (await h.http.get('/api/v1/audit-log/export').set(b.key).expect(200)).text;
    expect(exported).not.toContain(a.tenantId);
    expect(exported).not.toContain(appA);
  });

  it("lets the operator read every tenant's log, or one tenant's", async () => {
    const admin = { authorization: `Bearer ${ADMIN_TOKEN}` };
    const all = (await h.http.get('/admin/v1/audit-log?action=tenant.created').set(admin).expect(200)).body.data as Record[];
    expect(new Set(all.map((r) => r.tenantId))).toEqual(new Set([a.tenantId, b.tenantId]));
    const onlyB = (await h.http.get(`/admin/v1/audit-log?limit=250&tenant=${b.tenantId}&actor=${b.keyId}`).set(admin).expect(200)).body.data as Record[];
    expect(onlyB.length).toBeGreaterThan(0);
    expect(onlyB.map((r) => r.id)).toEqual((await list(b.key, `limit=250&actor=${b.keyId}`)).data.map((r) => r.id));
    await h.http.get('/admin/v1/audit-log').set(a.key).expect(401);
  });
});
