import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runMaintenance } from '@hookline/core';
import { TEST_PASSWORD } from '@hookline/test-support/console';
import { ADMIN_TOKEN, startTestHookline, type TestHookline } from '@hookline/test-support/hookline';
import { waitUntil } from '@hookline/test-support/process';
import { startReceiver, type Receiver } from '@hookline/test-support/receiver';

// The operator's usage view (GET /admin/v1/tenants/usage): messages per day from the counters a
// trigger keeps at fan-out (both fan-out paths: the one-statement one and the transactional one a
// payload filter takes), applications, endpoints, and the storage estimate; and the operator's
// way to a new tenant's first owner.

const admin = { authorization: `Bearer ${ADMIN_TOKEN}` };
interface Usage {
  id: string;
  name: string;
  applications: number;
  endpoints: number;
  messages: { total: number; perDay: Array<{ day: string; messages: number }> };
  storage: { bytesEstimate: number; share: number };
}

let h: TestHookline;
let receiver: Receiver;

const usage = async (query = ''): Promise<Usage[]> => (await h.http.get(`/admin/v1/tenants/usage${query}`).set(admin).expect(200)).body.data;
const messagesOf = async (tenantId: string) =>
  (await sql<{ n: number }>`SELECT count(*)::int AS n FROM message WHERE tenant_id = ${tenantId}`.execute(h.hookline.db)).rows[0]!.n;
const fannedOut = async () => (await sql<{ n: number }>`SELECT count(*)::int AS n FROM fanout_pending`.execute(h.hookline.db)).rows[0]!.n === 0;

beforeAll(async () => {
  receiver = await startReceiver();
  h = await startTestHookline();
});
afterAll(async () => {
  await h?.stop();
  await receiver?.close();
});

describe('tenant usage', () => {
  it('counts messages per day at fan-out, applications, endpoints, and splits the storage by message share', async () => {
    const busy = await h.createTenant('busy');
    const idle = await h.createTenant('idle');
    const key = { authorization: `Bearer ${busy.apiKey}` };
    const plain = (await h.http.post('/api/v1/app').set(key).send({ name: 'plain' }).expect(201)).body.id as string;
    const filtered = (await h.http.post('/api/v1/app').set(key).send({ name: 'filtered' }).expect(201)).body.id as string;
    await h.http.post('/api/v1/app').set(key).send({ name: 'no endpoints' }).expect(201);
    await h.http.post(`/api/v1/app/${plain}/endpoint`).set(key).send({ url: receiver.url }).expect(201);
    await h.http
      .post(`/api/v1/app/${filtered}/endpoint`)
      .set(key)
      .send({ url: receiver.url, filter: { keep: true } })
      .expect(201);
    // An operational webhook endpoint belongs to a hidden application: counted in neither.
    await h.http.post('/api/v1/operational-webhook/endpoint').set(key).send({ url: receiver.url }).expect(201);
    for (let i = 0; i < 5; i++) await h.http.post(`/api/v1/app/${plain}/msg`).set(key).send({ eventType: 'x.y', payload: { i } }).expect(202);
    for (let i = 0; i < 3; i++)
      await h.http
        .post(`/api/v1/app/${filtered}/msg`)
        .set(key)
        .send({ eventType: 'x.y', payload: { keep: i > 0 } })
        .expect(202);
    await waitUntil(fannedOut, 20_000, 'every message fanned out');
    expect(await messagesOf(busy.tenantId)).toBe(8);

    const all = await usage('?days=7');
    const mine = all.find((x) => x.id === busy.tenantId)!;
    const today = new Date().toISOString().slice(0, 10);
    expect(mine).toMatchObject({ name: 'busy', applications: 3, endpoints: 2, messages: { total: 8 } });
    expect(mine.messages.perDay).toHaveLength(7);
    expect(mine.messages.perDay.at(-1)).toEqual({ day: today, messages: 8 });
    expect(mine.messages.perDay.slice(0, 6).every((d) => d.messages === 0)).toBe(true);
    // The only tenant with messages holds the whole history.
    const historyBytes = Number(
      (
        await sql<{ bytes: string }>`SELECT sum(pg_total_relation_size(inhrelid))::text AS bytes FROM pg_inherits
          WHERE inhparent IN ('message'::regclass, 'message_delivery'::regclass, 'message_attempt'::regclass)`.execute(h.hookline.db)
      ).rows[0]!.bytes,
    );
    expect(mine.storage).toEqual({ bytesEstimate: historyBytes, share: 1 });
    expect(all.find((x) => x.id === idle.tenantId)).toMatchObject({ applications: 0, endpoints: 0, messages: { total: 0 }, storage: { bytesEstimate: 0, share: 0 } });

    // A counted day survives maintenance; the default window is 30 days.
    await runMaintenance(h.hookline.db, { messageRetentionDays: 90 });
    expect((await usage()).find((x) => x.id === busy.tenantId)!.messages.perDay).toHaveLength(30);
    expect((await usage()).find((x) => x.id === busy.tenantId)!.messages.total).toBe(8);
  });

  it('pages like every list, and refuses a bad window (422) and a tenant key (401)', async () => {
    const first = await h.http.get('/admin/v1/tenants/usage?limit=1').set(admin).expect(200);
    expect(first.body.data).toHaveLength(1);
    expect(first.body.done).toBe(false);
    const next = await h.http.get(`/admin/v1/tenants/usage?limit=1&iterator=${first.body.iterator}`).set(admin).expect(200);
    expect(next.body.data[0].id > first.body.data[0].id).toBe(true);
    for (const days of ['0', '91', 'week']) {
      const res = await h.http.get(`/admin/v1/tenants/usage?days=${days}`).set(admin).expect(422);
      expect(res.body.detail[0]).toMatchObject({ loc: ['query', 'days'] });
    }
    const { apiKey } = await h.createTenant('not the operator');
    await h.http
      .get('/admin/v1/tenants/usage')
      .set({ authorization: `Bearer ${apiKey}` })
      .expect(401);
  });

  it("creates a tenant and its first owner's invitation link, which makes an owner", async () => {
    const tenant = (await h.http.post('/admin/v1/tenants').set(admin).send({ name: 'newcomer' }).expect(201)).body;
    const invite = await h.http.post(`/admin/v1/tenants/${tenant.id}/invites`).set(admin).send({ email: 'first.owner@example.com', role: 'owner' }).expect(201);
    expect(invite.body.url).toMatch(new RegExp(`^${h.url}/console/invite#hki_`));
    const token = new URL(invite.body.url).hash.slice(1);
    const joined = await h.http
      .post('/console/v1/invites/accept')
      .set({ origin: h.url, 'x-hookline-csrf': '1' })
      .send({ token, name: 'First Owner', password: TEST_PASSWORD })
      .expect(200);
    expect(joined.body).toMatchObject({ currentTenantId: tenant.id, role: 'owner', tenants: [{ id: tenant.id, name: 'newcomer', role: 'owner' }] });
    expect((await usage()).find((x) => x.id === tenant.id)).toMatchObject({ name: 'newcomer', applications: 0, endpoints: 0, messages: { total: 0 } });
  });
});
