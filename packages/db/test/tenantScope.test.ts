import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '@hookline/test-support/database';
import { connectDatabase, scopeToTenant, TENANT_TABLES, TenantScopeError, WORKER_ONLY_TENANT_TABLES, type Database } from '../src/index.ts';

// The tenant scope against a real PostgreSQL: queries that "forget" their tenant filter, run on a
// handle scoped to tenant A, must see and change nothing of tenant B.

let drop: () => Promise<void>;
let db: Database;
let scopedA: Database;
const A = 'ten_a';
const B = 'ten_b';

async function seed(tenant: string): Promise<void> {
  const s = tenant.slice(-1);
  await db
    .insertInto('tenant')
    .values({ id: tenant, name: `tenant ${s}` })
    .execute();
  await db
    .insertInto('apiKey')
    .values({ id: `key_${s}`, tenantId: tenant, name: 'k', prefix: 'hk_', keyHash: `hash_${s}` })
    .execute();
  await db
    .insertInto('application')
    .values({ id: `app_${s}`, tenantId: tenant, uid: 'same-uid', name: `app ${s}`, throttleRate: null, metadata: '{}' })
    .execute();
  await db
    .insertInto('eventType')
    .values({ tenantId: tenant, name: 'order.paid', description: `desc ${s}`, featureFlags: null, groupName: null, schemas: null })
    .execute();
  await db
    .insertInto('endpoint')
    .values({
      id: `ep_${s}`,
      tenantId: tenant,
      appId: `app_${s}`,
      uid: null,
      url: `https://${s}.example.com`,
      description: '',
      eventTypes: null,
      channels: null,
      throttleRate: null,
      metadata: '{}',
      headers: '{}',
    })
    .execute();
  await db
    .insertInto('endpointSecret')
    .values({ id: `sec_${s}`, tenantId: tenant, endpointId: `ep_${s}`, secret: `whsec_${s}` })
    .execute();
  await db
    .insertInto('integration')
    .values({ id: `integ_${s}`, tenantId: tenant, appId: `app_${s}`, name: s, featureFlags: null, key: `integsk_${s}`, createdAt: new Date() })
    .execute();
  await db
    .insertInto('notificationSetting')
    .values({ appId: `app_${s}`, tenantId: tenant, emails: [`${s}@example.com`], minIntervalMinutes: 60, events: ['failing'] })
    .execute();
  await db
    .insertInto('endpointNoticeState')
    .values({ endpointId: `ep_${s}`, tenantId: tenant, failingSince: null, lastNoticeAt: null })
    .execute();
  await db
    .insertInto('endpointAuth')
    .values({ endpointId: `ep_${s}`, tenantId: tenant, oauth: null, oauthClientSecret: null, basicUsername: s, basicPassword: `hl2:${s}` })
    .execute();
  await db
    .insertInto('endpointMtls')
    .values({ endpointId: `ep_${s}`, tenantId: tenant, clientCert: null, clientKey: null, serverCaCert: `ca_${s}` })
    .execute();
  await db
    .insertInto('deletedEndpoint')
    .values({
      id: `ep_gone_${s}`,
      tenantId: tenant,
      appId: `app_${s}`,
      uid: null,
      url: `https://${s}.example.com/gone`,
      description: '',
      disabled: false,
      eventTypes: null,
      channels: null,
      throttleRate: null,
      createdAt: new Date(),
      updatedAt: new Date(),
    })
    .execute();
  await db
    .insertInto('endpointTransformation')
    .values({ endpointId: `ep_${s}`, tenantId: tenant, code: 'function handler(w) { return w; }', enabled: true, variables: null, updatedAt: new Date() })
    .execute();
  await db
    .insertInto('message')
    .values({
      id: `msg_${s}`,
      tenantId: tenant,
      appId: `app_${s}`,
      eventType: 'order.paid',
      eventId: null,
      channels: null,
      payload: `{"t":"${s}"}`,
      expiresAt: new Date(Date.now() + 86400_000),
    })
    .execute();
  await db
    .insertInto('messageDelivery')
    .values({ tenantId: tenant, appId: `app_${s}`, msgId: `msg_${s}`, endpointId: `ep_${s}`, status: 0, nextAttemptAt: null })
    .execute();
  await db
    .insertInto('messageAttempt')
    .values({
      id: `atmpt_${s}`,
      tenantId: tenant,
      appId: `app_${s}`,
      msgId: `msg_${s}`,
      endpointId: `ep_${s}`,
      url: `https://${s}.example.com`,
      status: 0,
      responseStatusCode: 200,
      response: '',
      responseDurationMs: 1,
      triggerType: 0,
    })
    .execute();
  await db
    .insertInto('messageEventId')
    .values({ tenantId: tenant, appId: `app_${s}`, eventId: `evt_${s}`, msgId: `msg_${s}` })
    .execute();
  await db.insertInto('idempotencyKey').values({ tenantId: tenant, key: 'k', request: 'POST /x', createdAt: new Date() }).execute();
  await db
    .insertInto('auditLog')
    .values({
      id: `audit_${s}`,
      tenantId: tenant,
      at: new Date(),
      actorKind: 'apiKey',
      actorId: `key_${s}`,
      actorName: 'k',
      action: 'application.created',
      targetKind: 'application',
      targetId: `app_${s}`,
      appId: `app_${s}`,
      clientAddress: null,
      userAgent: null,
      requestId: null,
      changes: '{}',
    })
    .execute();
  await db
    .insertInto('person')
    .values({ id: `psn_${s}`, email: `${s}@example.com`, passwordHash: null })
    .execute();
  await db
    .insertInto('membership')
    .values({ tenantId: tenant, personId: `psn_${s}`, role: 'owner' })
    .execute();
  await db
    .insertInto('invite')
    .values({ id: `inv_${s}`, tokenHash: `invite_${s}`, tenantId: tenant, email: null, role: 'viewer', inviterPersonId: null, expiresAt: new Date(Date.now() + 60_000) })
    .execute();
  await db
    .insertInto('tenantSso')
    .values({
      tenantId: tenant,
      issuer: 'https://idp.example.com',
      clientId: s,
      clientSecret: 'hl2:x:y',
      allowedDomains: [],
      defaultRole: 'viewer',
      jitProvisioning: false,
      enabled: true,
    })
    .execute();
  await db
    .insertInto('backgroundTask')
    .values({ id: `task_${s}`, tenantId: tenant, task: 't', status: 'running', data: '{}', updatedAt: new Date() })
    .execute();
  await db
    .insertInto('poller')
    .values({ id: `poll_${s}`, tenantId: tenant, appId: `app_${s}`, uid: null, description: '', eventTypes: null, channels: null, startAfter: `msg_${s}` })
    .execute();
  await db
    .insertInto('pollerConsumer')
    .values({ pollerId: `poll_${s}`, consumerId: 'c', tenantId: tenant, position: `msg_${s}` })
    .execute();
}

beforeAll(async () => {
  const database = await createTestDatabase();
  drop = database.drop;
  db = connectDatabase({ connectionString: database.connectionString, max: 4 });
  await seed(A);
  await seed(B);
  await sql`INSERT INTO api_rate_limit (tenant_id, tat, allowed) VALUES (${A}, now(), true), (${B}, now(), true)`.execute(db);
  await sql`INSERT INTO portal_rate_limit (tenant_id, app_id, tat, allowed) VALUES (${A}, 'app_a', now(), true), (${B}, 'app_b', now(), true)`.execute(db);
  await sql`INSERT INTO portal_token_logout (tenant_id, app_id, token_id, expires_at) VALUES (${A}, 'app_a', 'key_a', now()), (${B}, 'app_b', 'key_b', now())`.execute(
    db,
  );
  await sql`INSERT INTO tenant_message_count (tenant_id, day, slot, n) VALUES (${A}, current_date, 0, 1), (${B}, current_date, 0, 1)`.execute(db);
  scopedA = scopeToTenant(db, A);
});
afterAll(async () => {
  await db?.destroy();
  await drop?.();
});

const camel = (table: string): string => table.replace(/_(\w)/g, (_, c: string) => c.toUpperCase());
/** A tenant-owned table by its SQL name, for queries that loop over all of them. */
const table = (name: string) => camel(name) as 'application';

describe('tenant scope', () => {
  it('knows every table that has a tenant_id column', async () => {
    // publish_grant belongs to the SQL function hookline.publish (0029): no repository reads it.
    const { rows } = await sql<{ name: string }>`
      SELECT table_name AS name FROM information_schema.columns WHERE table_schema = 'hookline' AND column_name = 'tenant_id'
        AND table_name NOT IN (SELECT relname FROM pg_class WHERE relispartition) AND table_name <> 'publish_grant'`.execute(db);
    expect(rows.map((r) => r.name).sort()).toEqual([...TENANT_TABLES, ...WORKER_ONLY_TENANT_TABLES].sort());
  });

  it("returns only the own tenant's rows from a query without a tenant filter, on every tenant-owned table", async () => {
    for (const name of [...TENANT_TABLES]) {
      const all = await db.selectFrom(table(name)).select('tenantId').execute();
      expect(new Set(all.map((r) => r.tenantId)), name).toEqual(new Set([A, B]));
      const scoped = await scopedA.selectFrom(table(name)).select('tenantId').execute();
      expect(scoped.length, name).toBeGreaterThan(0);
      expect(
        scoped.every((r) => r.tenantId === A),
        name,
      ).toBe(true);
    }
    expect(await scopedA.selectFrom('tenant').select('id').execute()).toEqual([{ id: A }]);
  });

  it("returns nothing for another tenant's id or uid", async () => {
    expect(await scopedA.selectFrom('application').selectAll().where('id', '=', 'app_b').execute()).toEqual([]);
    expect(await scopedA.selectFrom('endpointSecret').select('secret').where('endpointId', '=', 'ep_b').execute()).toEqual([]);
    // Both tenants use the uid; the scope picks A's application.
    expect(await scopedA.selectFrom('application').select('id').where('uid', '=', 'same-uid').execute()).toEqual([{ id: 'app_a' }]);
    // An explicit filter on B is ANDed with the scope, not replaced by it; an OR cannot widen it.
    expect(await scopedA.selectFrom('message').select('id').where('tenantId', '=', B).execute()).toEqual([]);
    expect(
      await scopedA
        .selectFrom('message')
        .select('id')
        .where((eb) => eb.or([eb('id', '=', 'msg_b'), eb('id', '=', 'msg_a')]))
        .execute(),
    ).toEqual([{ id: 'msg_a' }]);
  });

  it('scopes joined tables, aliases included, keeping outer joins outer', async () => {
    const cross = await scopedA
      .selectFrom('application as a')
      .innerJoin('endpoint as e', (j) => j.onTrue())
      .select(['a.id as appId', 'e.id as epId'])
      .execute();
    expect(cross).toEqual([{ appId: 'app_a', epId: 'ep_a' }]);
    // B's endpoint joined to A's application reads as absent rather than removing A's row.
    const left = await scopedA
      .selectFrom('application as a')
      .leftJoin('endpoint as e', (j) => j.on('e.id', '=', 'ep_b'))
      .select(['a.id as appId', 'e.id as epId'])
      .execute();
    expect(left).toEqual([{ appId: 'app_a', epId: null }]);
    const joined = await scopedA
      .selectFrom('messageDelivery as d')
      .innerJoin('message', 'message.id', 'd.msgId')
      .innerJoin('endpoint', 'endpoint.id', 'd.endpointId')
      .select(['d.msgId', 'endpoint.url'])
      .execute();
    expect(joined).toEqual([{ msgId: 'msg_a', url: 'https://a.example.com' }]);
  });

  it('scopes subqueries in selections, conditions and FROM', async () => {
    const counted = await scopedA
      .selectFrom('application')
      .select((eb) => eb.selectFrom('message').select(eb.fn.countAll<number>().as('n')).as('messages'))
      .executeTakeFirstOrThrow();
    expect(Number(counted.messages)).toBe(1);
    const exists = await scopedA
      .selectFrom('application')
      .select('id')
      .where((eb) => eb.exists(eb.selectFrom('endpoint').select('id').where('endpoint.url', '=', 'https://b.example.com')))
      .execute();
    expect(exists).toEqual([]);
    const fromSub = await scopedA
      .selectFrom((eb) => eb.selectFrom('messageAttempt').select(['id', 'tenantId']).as('x'))
      .selectAll()
      .execute();
    expect(fromSub).toEqual([{ id: 'atmpt_a', tenantId: A }]);
    const cte = await scopedA
      .with('eps', (qb) => qb.selectFrom('endpoint').select('id'))
      .selectFrom('eps')
      .select('id')
      .execute();
    expect(cte).toEqual([{ id: 'ep_a' }]);
  });

  it('updates and deletes nothing of another tenant, even without a filter', async () => {
    const updated = await scopedA.updateTable('application').set({ name: 'renamed' }).executeTakeFirstOrThrow();
    expect(updated.numUpdatedRows).toBe(1n);
    const aliased = await scopedA.updateTable('endpoint as e').set({ description: 'changed' }).where('e.id', 'in', ['ep_a', 'ep_b']).executeTakeFirstOrThrow();
    expect(aliased.numUpdatedRows).toBe(1n);
    const deleted = await scopedA.deleteFrom('idempotencyKey').executeTakeFirstOrThrow();
    expect(deleted.numDeletedRows).toBe(1n);
    const byB = await scopedA.deleteFrom('endpointSecret').where('id', '=', 'sec_b').executeTakeFirstOrThrow();
    expect(byB.numDeletedRows).toBe(0n);

    expect(await db.selectFrom('application').select('name').where('id', '=', 'app_b').executeTakeFirst()).toEqual({ name: 'app b' });
    expect(await db.selectFrom('endpoint').select('description').where('id', '=', 'ep_b').executeTakeFirst()).toEqual({ description: '' });
    expect(await db.selectFrom('idempotencyKey').select('tenantId').execute()).toEqual([{ tenantId: B }]);
    expect(await db.selectFrom('endpointSecret').select('id').where('id', '=', 'sec_b').execute()).toEqual([{ id: 'sec_b' }]);
  });

  it('refuses an insert for another tenant or without a tenant, and writes nothing', async () => {
    const row = { id: 'app_x', uid: null, name: 'x', throttleRate: null, metadata: '{}' };
    await expect(
      scopedA
        .insertInto('application')
        .values({ ...row, tenantId: B })
        .execute(),
    ).rejects.toThrow(TenantScopeError);
    await expect(
      scopedA
        .insertInto('application')
        .values([
          { ...row, tenantId: A },
          { ...row, id: 'app_y', tenantId: B },
        ])
        .execute(),
    ).rejects.toThrow(TenantScopeError);
    await expect(
      scopedA
        .insertInto('application')
        .values({ ...row } as never)
        .execute(),
    ).rejects.toThrow(TenantScopeError);
    await expect(
      scopedA
        .insertInto('application')
        .columns(['id', 'tenantId', 'name'])
        .expression((eb) => eb.selectFrom('application').select(['id', 'tenantId', 'name']))
        .execute(),
    ).rejects.toThrow(TenantScopeError);
    // INSERT … SELECT (a conditional insert) only with this tenant's id as a plain value.
    await expect(
      scopedA
        .insertInto('application')
        .columns(['id', 'tenantId', 'name'])
        .expression(db.selectNoFrom((eb) => [eb.val('app_x').as('id'), eb.val(B).as('tenantId'), eb.val('x').as('name')]))
        .execute(),
    ).rejects.toThrow(TenantScopeError);
    expect(await db.selectFrom('application').select('id').where('id', 'in', ['app_x', 'app_y']).execute()).toEqual([]);

    await scopedA
      .insertInto('application')
      .columns(['id', 'tenantId', 'name'])
      .expression(db.selectNoFrom((eb) => [eb.val('app_z').as('id'), eb.val(A).as('tenantId'), eb.val('z').as('name')]))
      .execute();
    expect(await db.selectFrom('application').select('tenantId').where('id', '=', 'app_z').execute()).toEqual([{ tenantId: A }]);
    await scopedA
      .insertInto('application')
      .values({ ...row, tenantId: A })
      .execute();
    expect(await db.selectFrom('application').select('tenantId').where('id', '=', 'app_x').execute()).toEqual([{ tenantId: A }]);
  });

  it("does not let ON CONFLICT DO UPDATE change another tenant's row", async () => {
    const hijack = await scopedA
      .insertInto('application')
      .values({ id: 'app_b', tenantId: A, uid: null, name: 'hijacked', throttleRate: null, metadata: '{}' })
      .onConflict((oc) => oc.column('id').doUpdateSet({ name: 'hijacked' }))
      .returning('id')
      .execute();
    expect(hijack).toEqual([]);
    expect(await db.selectFrom('application').select(['tenantId', 'name']).where('id', '=', 'app_b').executeTakeFirst()).toEqual({ tenantId: B, name: 'app b' });
    // The own row is still upserted.
    await scopedA
      .insertInto('eventType')
      .values({ tenantId: A, name: 'order.paid', description: 'new', featureFlags: null, groupName: null, schemas: null })
      .onConflict((oc) => oc.columns(['tenantId', 'name']).doUpdateSet({ description: 'new' }))
      .execute();
    expect(await db.selectFrom('eventType').select(['tenantId', 'description']).where('name', '=', 'order.paid').orderBy('tenantId').execute()).toEqual([
      { tenantId: A, description: 'new' },
      { tenantId: B, description: 'desc b' },
    ]);
  });

  it('stays scoped inside transactions', async () => {
    const ids = await scopedA.transaction().execute(async (trx) => {
      await trx.updateTable('message').set({ payload: null }).execute();
      return trx.selectFrom('message').select('id').execute();
    });
    expect(ids).toEqual([{ id: 'msg_a' }]);
    expect(await db.selectFrom('message').select('payload').where('id', '=', 'msg_b').executeTakeFirst()).toEqual({ payload: '{"t":"b"}' });
  });

  it('refuses raw SQL that names a tenant-owned table, and runs raw expressions', async () => {
    await expect(sql`SELECT * FROM application`.execute(scopedA)).rejects.toThrow(TenantScopeError);
    await expect(sql`DELETE FROM "message_attempt"`.execute(scopedA)).rejects.toThrow(TenantScopeError);
    await expect(
      scopedA
        .selectFrom('tenant')
        .select(sql<number>`(SELECT count(*) FROM endpoint)`.as('n'))
        .execute(),
    ).rejects.toThrow(TenantScopeError);
    expect(await db.selectFrom('messageAttempt').select('id').orderBy('id').execute()).toEqual([{ id: 'atmpt_a' }, { id: 'atmpt_b' }]);
    await scopedA
      .updateTable('endpoint')
      .set({ version: sql`version + 1` })
      .execute();
    expect(await db.selectFrom('endpoint').select(['id', 'version']).orderBy('id').execute()).toEqual([
      { id: 'ep_a', version: 2 },
      { id: 'ep_b', version: 1 },
    ]);
    const { rows } = await sql<{ one: number }>`SELECT 1 AS one`.execute(scopedA);
    expect(rows).toEqual([{ one: 1 }]);
  });
});
