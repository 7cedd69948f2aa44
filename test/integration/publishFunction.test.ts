import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { idTime } from '@hookline/db';
import { startTestHookline, type TestHookline } from '@hookline/test-support/hookline';
import { startReceiver, type Receiver } from '@hookline/test-support/receiver';

// hookline.publish (migration 0029) in the caller's transaction: a commit delivers, a rollback
// leaves nothing and wakes nobody; per-tenant database roles publish for their tenant only and
// read nothing.

let h: TestHookline;
let owner: pg.Client;
let receiver: Receiver;
let a: { tenantId: string; auth: { authorization: string } };
let b: { tenantId: string; auth: { authorization: string } };
let secret: string;
const roles: string[] = [];

const PUBLISH = 'SELECT hookline.publish($1, $2, $3, $4::jsonb, $5::jsonb) AS id';

beforeAll(async () => {
  h = await startTestHookline();
  const ta = await h.createTenant('fn-a');
  const tb = await h.createTenant('fn-b');
  a = { tenantId: ta.tenantId, auth: { authorization: `Bearer ${ta.apiKey}` } };
  b = { tenantId: tb.tenantId, auth: { authorization: `Bearer ${tb.apiKey}` } };
  receiver = await startReceiver();
  await h.http.post('/api/v1/app').set(a.auth).send({ name: 'Billing', uid: 'billing' }).expect(201);
  await h.http.post('/api/v1/app').set(b.auth).send({ name: 'Billing', uid: 'billing' }).expect(201);
  const ep = await h.http
    .post('/api/v1/app/billing/endpoint')
    .set(a.auth)
    .send({ url: `${receiver.url}/hook` })
    .expect(201);
  secret = (await h.http.get(`/api/v1/app/billing/endpoint/${ep.body.id}/secret`).set(a.auth).expect(200)).body.key as string;
  owner = new pg.Client({ connectionString: h.connectionString });
  await owner.connect();
});

afterAll(async () => {
  for (const role of roles) await owner?.query(`DROP OWNED BY "${role}"; DROP ROLE "${role}"`).catch(() => {});
  await owner?.end();
  await receiver?.close();
  await h?.stop();
});

const count = async (sql: string, params: unknown[]): Promise<number> => Number((await owner.query(sql, params)).rows[0].n);

/** A login role of its own (roles are cluster-wide: a random name), and a client connected as it. */
async function loginRole(): Promise<{ name: string; client: pg.Client }> {
  const name = `hl_pub_${randomBytes(4).toString('hex')}`;
  const password = randomBytes(12).toString('hex');
  await owner.query(`CREATE ROLE "${name}" LOGIN PASSWORD '${password}'`);
  roles.push(name);
  const url = new URL(h.connectionString);
  url.username = name;
  url.password = password;
  const client = new pg.Client({ connectionString: url.toString() });
  await client.connect();
  return { name, client };
}

const codeOf = (p: Promise<unknown>) =>
  p.then(
    () => 'resolved',
    (err: { code?: string }) => err.code,
  );

describe('hookline.publish in the caller’s transaction', () => {
  it('commit: the message exists, a real worker delivers it signed; rollback: no row, no fan-out, no delivery, no wake-up', async () => {
    const listener = new pg.Client({ connectionString: h.connectionString });
    await listener.connect();
    const wakes: string[] = [];
    listener.on('notification', (n) => wakes.push(n.channel));
    await listener.query('LISTEN hookline_fanout');
    try {
      await owner.query('BEGIN');
      const rolledBack = (await owner.query(PUBLISH, [a.tenantId, 'billing', 'invoice.paid', JSON.stringify({ invoice: 'rolled-back' }), '{}'])).rows[0].id as string;
      await owner.query('ROLLBACK');
      await new Promise((r) => setTimeout(r, 300));
      expect(wakes).toEqual([]);
      expect(await count('SELECT count(*) AS n FROM message WHERE id = $1', [rolledBack])).toBe(0);
      expect(await count('SELECT count(*) AS n FROM fanout_pending WHERE msg_id = $1', [rolledBack])).toBe(0);

      const before = Date.now();
      await owner.query('BEGIN');
      const committed = (await owner.query(PUBLISH, [a.tenantId, 'billing', 'invoice.paid', JSON.stringify({ invoice: 'committed', amount: 42 }), '{}'])).rows[0]
        .id as string;
      await new Promise((r) => setTimeout(r, 200));
      expect(wakes).toEqual([]); // not before the commit
      await owner.query('COMMIT');
      // newId('msg', now)'s layout: its time is the publish's, to the millisecond.
      expect(committed).toMatch(/^msg_[0-9A-Za-z]{27}$/);
      expect(idTime(committed).getTime()).toBeGreaterThanOrEqual(before - 5);
      expect(idTime(committed).getTime()).toBeLessThanOrEqual(Date.now());

      const [delivered] = await receiver.waitFor(1);
      expect(delivered!.headers['webhook-id']).toBe(committed);
      expect(new Webhook(secret).verify(delivered!.body, delivered!.headers as Record<string, string>)).toEqual({ invoice: 'committed', amount: 42 });
      expect(wakes).toContain('hookline_fanout');
      expect(receiver.requests.map((r) => r.headers['webhook-id'])).toEqual([committed]);
      expect((await h.http.get(`/api/v1/app/billing/msg/${rolledBack}`).set(a.auth)).status).toBe(404);
      expect((await h.http.get(`/api/v1/app/billing/msg/${committed}`).set(a.auth)).body).toMatchObject({ eventType: 'invoice.paid', payload: { amount: 42 } });
    } finally {
      await owner.query('ROLLBACK').catch(() => {});
      await listener.end();
    }
  });

  it('a savepoint rolled back inside the transaction takes its publish with it', async () => {
    await owner.query('BEGIN');
    await owner.query('SAVEPOINT s');
    const undone = (await owner.query(PUBLISH, [a.tenantId, 'billing', 'invoice.voided', '{}', '{}'])).rows[0].id as string;
    await owner.query('ROLLBACK TO SAVEPOINT s');
    const kept = (await owner.query(PUBLISH, [a.tenantId, 'billing', 'invoice.voided', '{"kept":true}', '{}'])).rows[0].id as string;
    await owner.query('COMMIT');
    expect(await count('SELECT count(*) AS n FROM message WHERE id = ANY($1)', [[undone, kept]])).toBe(1);
    const deliveries = await receiver.waitFor(2);
    expect(deliveries.map((d) => d.headers['webhook-id'])).not.toContain(undone);
    expect(deliveries[1]!.headers['webhook-id']).toBe(kept);
  });

  it('the database owner publishes for any tenant; arguments are data, never SQL', async () => {
    const forB = (await owner.query(PUBLISH, [b.tenantId, 'billing', 'e.x', '{}', '{}'])).rows[0].id as string;
    expect(await count('SELECT count(*) AS n FROM message WHERE id = $1 AND tenant_id = $2', [forB, b.tenantId])).toBe(1);
    const hostile = "x'); DROP TABLE message; --";
    expect(await codeOf(owner.query(PUBLISH, [hostile, 'billing', 'e.x', '{}', '{}']))).toBe('HL404');
    // An unknown tenant is refused before its idempotency key would be claimed.
    expect(await codeOf(owner.query(PUBLISH, [hostile, 'billing', 'e.x', '{}', '{"idempotencyKey":"k"}']))).toBe('HL404');
    expect(await codeOf(owner.query(PUBLISH, [a.tenantId, hostile, 'e.x', '{}', '{}']))).toBe('HL404');
    expect(await codeOf(owner.query(PUBLISH, [a.tenantId, 'billing', hostile, '{}', '{}']))).toBe('HL422');
    expect(await codeOf(owner.query(PUBLISH, [a.tenantId, 'billing', 'e.x', JSON.stringify({ [hostile]: hostile }), JSON.stringify({ tags: [hostile] })]))).toBe('HL422');
    expect(await count('SELECT count(*) AS n FROM message', [])).toBeGreaterThan(0);
  });
});

describe('who may publish: a database role per tenant', () => {
  it('a role allowed for tenant A publishes for A, is refused for B (HL403), and reads no table', async () => {
    const { name, client } = await loginRole();
    try {
      // Not allowed yet: it cannot even reach the function.
      expect(await codeOf(client.query(PUBLISH, [a.tenantId, 'billing', 'e.x', '{}', '{}']))).toBe('42501');
      await owner.query('SELECT hookline.allow_publish($1, $2)', [name, a.tenantId]);
      const id = (await client.query(PUBLISH, [a.tenantId, 'billing', 'e.x', '{"by":"role"}', '{}'])).rows[0].id as string;
      expect(await count('SELECT count(*) AS n FROM message WHERE id = $1 AND tenant_id = $2', [id, a.tenantId])).toBe(1);
      const refused = await client.query(PUBLISH, [b.tenantId, 'billing', 'e.x', '{}', '{}']).catch((err: pg.DatabaseError) => err);
      expect(refused).toMatchObject({ code: 'HL403' });
      expect((refused as Error).message).toMatch(new RegExp(`"${name}" may not publish for tenant`));
      // Creating an application through options is publishing too: still only for its tenant.
      expect(await codeOf(client.query(PUBLISH, [b.tenantId, 'new-app', 'e.x', '{}', JSON.stringify({ application: { name: 'n', uid: 'new-app' } })]))).toBe('HL403');
      for (const table of [
        'message',
        'application',
        'tenant',
        'api_key',
        'endpoint',
        'fanout_pending',
        'audit_log',
        'hookline.publish_grant',
        'hookline.publish_settings',
      ]) {
        expect({ table, code: await codeOf(client.query(`SELECT * FROM ${table} LIMIT 1`)) }).toEqual({ table, code: '42501' });
      }
      expect(await codeOf(client.query('SELECT hookline.allow_publish($1, $2)', [name, b.tenantId]))).toBe('42501');
      expect(await codeOf(client.query("SELECT hookline.new_id('msg', now())"))).toBe('42501');
      const audit = await owner.query("SELECT actor_kind, actor_id, target_id FROM audit_log WHERE tenant_id = $1 AND action = 'publishRole.allowed'", [a.tenantId]);
      const ownerName = (await owner.query('SELECT session_user AS u')).rows[0].u as string;
      expect(audit.rows).toContainEqual({ actor_kind: 'databaseRole', actor_id: ownerName, target_id: name });

      expect((await owner.query('SELECT hookline.revoke_publish($1, $2) AS r', [name, a.tenantId])).rows[0].r).toBe(true);
      expect(await codeOf(client.query(PUBLISH, [a.tenantId, 'billing', 'e.x', '{}', '{}']))).toBe('42501');
    } finally {
      await client.end();
    }
  });

  it('a login role that is a member of an allowed role publishes for that tenant; allow_publish refuses an unknown role or tenant', async () => {
    const { name, client } = await loginRole();
    const group = `hl_group_${randomBytes(4).toString('hex')}`;
    await owner.query(`CREATE ROLE "${group}" NOLOGIN`);
    roles.unshift(group);
    try {
      await owner.query('SELECT hookline.allow_publish($1, $2)', [group, b.tenantId]);
      await owner.query(`GRANT "${group}" TO "${name}"`);
      const id = (await client.query(PUBLISH, [b.tenantId, 'billing', 'e.x', '{}', '{}'])).rows[0].id as string;
      expect(await count('SELECT count(*) AS n FROM message WHERE id = $1 AND tenant_id = $2', [id, b.tenantId])).toBe(1);
      expect(await codeOf(client.query(PUBLISH, [a.tenantId, 'billing', 'e.x', '{}', '{}']))).toBe('HL403');
      expect(await codeOf(owner.query('SELECT hookline.allow_publish($1, $2)', ['no_such_role_xyz', a.tenantId]))).toBe('HL404');
      expect(await codeOf(owner.query('SELECT hookline.allow_publish($1, $2)', [name, 'org_missing']))).toBe('HL404');
    } finally {
      await client.end();
    }
  });
});
