import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { pino } from 'pino';
import { Svix } from 'svix';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { loadConfig } from '@hookline/core';
import { callPublishFunction, connectDatabase, migrateSchemaTo } from '@hookline/db';
import { createHookline, startHookline, type Hookline, type HooklineLibrary } from '@hookline/server';
import { ADMIN_TOKEN, testEnv } from '@hookline/test-support/hookline';
import { startReceiver, type Receiver } from '@hookline/test-support/receiver';

// Issue 22, item 2: Hookline in the vendor's own database. Every object of Hookline lives in schema
// `hookline` (pg-boss in its own); the vendor's `public` is left as it was. These databases are
// made bare (no search_path of the test databases'), as a vendor's would be.

async function createBareDatabase(label: string): Promise<{ url: string; drop(): Promise<void> }> {
  const server = inject('pgServer');
  const name = `${inject('dbPrefix')}${label}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: server });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  await admin.end();
  const url = new URL(server);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const c = new pg.Client({ connectionString: server });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await c.end();
    },
  };
}

/** Every relation outside the system schemas, as `schema.name`, and the schemas that hold functions. */
async function catalogue(client: pg.Client | pg.Pool): Promise<{ schemas: string[]; publicRelations: string[]; publicFunctions: number }> {
  const system = "n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_toast%' AND n.nspname NOT LIKE 'pg\\_temp%'";
  const rel = await client.query<{ schema: string; name: string }>(
    `SELECT n.nspname AS schema, c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE ${system} ORDER BY 1, 2`,
  );
  const fns = await client.query<{ schema: string }>(`SELECT DISTINCT n.nspname AS schema FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE ${system}`);
  return {
    schemas: [...new Set([...rel.rows.map((r) => r.schema), ...fns.rows.map((r) => r.schema)])].sort(),
    publicRelations: rel.rows.filter((r) => r.schema === 'public').map((r) => r.name),
    publicFunctions: fns.rows.filter((r) => r.schema === 'public').length,
  };
}

/** What the vendor's sessions see: their search_path and their own `tenant` table, on every client the pool holds. */
async function vendorSessions(pool: pg.Pool, size: number): Promise<Array<{ path: string; tenants: string[] }>> {
  const clients = await Promise.all(Array.from({ length: size }, () => pool.connect()));
  try {
    return await Promise.all(
      clients.map(async (c) => ({
        path: (await c.query<{ search_path: string }>('SHOW search_path')).rows[0]!.search_path,
        tenants: (await c.query<{ name: string }>('SELECT name FROM tenant ORDER BY name')).rows.map((r) => r.name),
      })),
    );
  } finally {
    for (const c of clients) c.release();
  }
}

describe('in a vendor database that has its own messages, applications, endpoints and tenant tables (library mode, shared pool)', () => {
  const POOL_SIZE = 3;
  let database: Awaited<ReturnType<typeof createBareDatabase>>;
  let pool: pg.Pool;
  let hookline: HooklineLibrary;
  let receiver: Receiver;

  beforeAll(async () => {
    database = await createBareDatabase('vendor');
    pool = new pg.Pool({ connectionString: database.url, max: POOL_SIZE });
    await pool.query(`
      CREATE TABLE messages (id serial PRIMARY KEY, body text NOT NULL);
      CREATE TABLE applications (id serial PRIMARY KEY, name text NOT NULL);
      CREATE TABLE endpoints (id serial PRIMARY KEY, url text NOT NULL);
      -- Named as one of Hookline's own tables: an unqualified query of Hookline's must never reach it.
      CREATE TABLE tenant (id serial PRIMARY KEY, name text NOT NULL);
      INSERT INTO messages (body) VALUES ('hello from the vendor');
      INSERT INTO applications (name) VALUES ('vendor app');
      INSERT INTO endpoints (url) VALUES ('https://vendor.example');
      INSERT INTO tenant (name) VALUES ('vendor tenant');`);
    const { DATABASE_URL: _url, ...settings } = testEnv('postgres://unused');
    hookline = await createHookline({ pool, env: {}, settings: { ...settings, HOOKLINE_BOOTSTRAP: 'true' }, logger: pino({ level: 'silent' }) });
    receiver = await startReceiver();
    await hookline.worker.start();
  });

  afterAll(async () => {
    await hookline?.close();
    await receiver?.close();
    await pool?.end();
    await database?.drop();
  });

  it('migrates into schema hookline and leaves public holding only the vendor’s tables', async () => {
    const { schemas, publicRelations, publicFunctions } = await catalogue(pool);
    expect(schemas).toEqual(['hookline', 'pgboss', 'public']);
    expect(publicRelations).toEqual([
      'applications',
      'applications_id_seq',
      'applications_pkey',
      'endpoints',
      'endpoints_id_seq',
      'endpoints_pkey',
      'messages',
      'messages_id_seq',
      'messages_pkey',
      'tenant',
      'tenant_id_seq',
      'tenant_pkey',
    ]);
    expect(publicFunctions).toBe(0);
    const { rows } = await pool.query<{ n: number }>('SELECT count(*)::int AS n FROM hookline.hookline_migration');
    expect(rows[0]!.n).toBeGreaterThan(25);
  });

  it('publishes and delivers, through the API and through hookline.publish in the vendor’s transaction', async () => {
    const api = await apiOn(hookline);
    await api('POST', '/api/v1/app', { name: 'Billing', uid: 'billing' });
    await api('POST', '/api/v1/app/billing/endpoint', { url: `${receiver.url}/hook` });
    const viaApi = (await api('POST', '/api/v1/app/billing/msg', { eventType: 'invoice.paid', payload: { n: 1 } })) as { id: string };

    const tenantId = (await pool.query<{ id: string }>('SELECT id FROM hookline.tenant')).rows[0]!.id;
    const client = await pool.connect();
    let viaFunction: string;
    try {
      await client.query('BEGIN');
      await client.query(`INSERT INTO messages (body) VALUES ('written with the publish')`);
      viaFunction = await callPublishFunction(client, { tenantId, app: 'billing', eventType: 'invoice.paid', payload: { n: 2 }, options: {} });
      await client.query('COMMIT');
    } finally {
      client.release();
    }
    const delivered = await receiver.waitFor(2);
    expect(delivered.map((d) => d.headers['webhook-id']).sort()).toEqual([viaApi.id, viaFunction].sort());
    expect((await pool.query<{ body: string }>('SELECT body FROM messages ORDER BY id')).rows.map((r) => r.body)).toEqual([
      'hello from the vendor',
      'written with the publish',
    ]);
  });

  it('gives the pool’s sessions back with the vendor’s search_path: the vendor’s unqualified queries still read its own tables', async () => {
    const sessions = await vendorSessions(pool, POOL_SIZE);
    expect(sessions).toEqual(Array.from({ length: POOL_SIZE }, () => ({ path: '"$user", public', tenants: ['vendor tenant'] })));
  });
});

/** A caller of the library's router: library mode has no listener of its own, so this mounts it on one. */
async function apiOn(library: HooklineLibrary): Promise<(method: string, path: string, body?: unknown) => Promise<unknown>> {
  const express = (await import('express')).default;
  const app = express();
  app.use(library.router);
  const server = await new Promise<import('node:http').Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
  const origin = `http://127.0.0.1:${(server.address() as import('node:net').AddressInfo).port}`;
  return async (method, path, body) => {
    const res = await fetch(`${origin}${path}`, {
      method,
      headers: { authorization: `Bearer ${library.bootstrap!.apiKey}`, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const json = (await res.json()) as unknown;
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(json)}`);
    return json;
  };
}

describe('an installation of the layout before 0032 (every table in public), upgraded', () => {
  let database: Awaited<ReturnType<typeof createBareDatabase>>;
  let vendor: pg.Client;
  let hookline: Hookline;
  let receiver: Receiver;
  let oldMessage: string;
  const TENANT = 'org_legacy';

  beforeAll(async () => {
    database = await createBareDatabase('legacy');
    // The old layout, as releases up to 0029 made it: the migrations ran in public.
    const db = connectDatabase({ connectionString: database.url, max: 1 });
    try {
      await migrateSchemaTo(db, '0029_publish_in_transaction', { layout: 'legacy' });
    } finally {
      await db.destroy();
    }
    vendor = new pg.Client({ connectionString: database.url });
    await vendor.connect();
    await vendor.query(`INSERT INTO tenant (id, name) VALUES ($1, 'Legacy')`, [TENANT]);
    oldMessage = await callPublishFunction(vendor, {
      tenantId: TENANT,
      app: 'billing',
      eventType: 'invoice.paid',
      payload: { before: 'upgrade' },
      options: { application: { name: 'Billing', uid: 'billing' } },
    });
    const before = await vendor.query<{ schema: string }>(
      `SELECT relnamespace::regnamespace::text AS schema FROM pg_class WHERE relname IN ('message', 'hookline_migration')`,
    );
    expect(before.rows.map((r) => r.schema)).toEqual(['public', 'public']);

    hookline = await startHookline(loadConfig(testEnv(database.url)), pino({ level: 'silent' }));
    receiver = await startReceiver();
  });

  afterAll(async () => {
    await hookline?.stop();
    await receiver?.close();
    await vendor?.end();
    await database?.drop();
  });

  it('moves every table, partition and function into hookline, and public is left empty', async () => {
    const { schemas, publicRelations, publicFunctions } = await catalogue(vendor);
    expect(schemas).toEqual(['hookline', 'pgboss']);
    expect(publicRelations).toEqual([]);
    expect(publicFunctions).toBe(0);
    const parts = await vendor.query<{ schema: string; name: string }>(
      `SELECT c.relnamespace::regnamespace::text AS schema, c.relname AS name
       FROM pg_partition_tree('hookline.message') t JOIN pg_class c ON c.oid = t.relid WHERE t.level > 0`,
    );
    // message_legacy (0019), the DEFAULT one, and those made ahead at the start after the upgrade.
    expect(parts.rows.length).toBeGreaterThan(2);
    expect(new Set(parts.rows.map((p) => p.schema))).toEqual(new Set(['hookline']));
    const fn = await vendor.query<{ config: string[] }>(`SELECT proconfig AS config FROM pg_proc WHERE oid = 'hookline.publish'::regproc`);
    expect(fn.rows[0]!.config).toEqual(['search_path=pg_catalog, hookline, pg_temp']);
  });

  it('keeps the data, and publishes and delivers afterwards', async () => {
    const url = `http://127.0.0.1:${hookline.api!.port}`;
    const keyRes = await fetch(`${url}/admin/v1/tenants/${TENANT}/api-keys`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'after upgrade' }),
    });
    expect(keyRes.status).toBe(201);
    const key = ((await keyRes.json()) as { key: string }).key;
    const svix = new Svix(key, { serverUrl: url });
    const old = await fetch(`${url}/api/v1/app/billing/msg/${oldMessage}`, { headers: { authorization: `Bearer ${key}` } });
    expect(await old.json()).toMatchObject({ id: oldMessage, eventType: 'invoice.paid', payload: { before: 'upgrade' } });

    await svix.endpoint.create('billing', { url: `${receiver.url}/hook` });
    const viaApi = await svix.message.create('billing', { eventType: 'invoice.paid', payload: { after: 'api' } });
    const viaFunction = await callPublishFunction(vendor, { tenantId: TENANT, app: 'billing', eventType: 'invoice.paid', payload: { after: 'function' }, options: {} });
    const delivered = await receiver.waitFor(2);
    expect(delivered.map((d) => d.headers['webhook-id']).sort()).toEqual([viaApi.id, viaFunction].sort());
  });
});
