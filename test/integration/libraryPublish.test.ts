import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { pino } from 'pino';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHookline, type HooklineLibrary } from '@hookline/server';
import { createTestDatabase } from '@hookline/test-support/database';
import { testEnv } from '@hookline/test-support/hookline';
import { startReceiver, type Receiver } from '@hookline/test-support/receiver';

// Library mode's publish(trx, …): a message published in the host's own transaction, through the
// SQL function hookline.publish, exists exactly when that transaction commits. Runs once that
// function is installed by the migrations (issue 22, item 1).

interface VendorDb {
  invoices: { id: string; amount: number };
}

let database: Awaited<ReturnType<typeof createTestDatabase>>;
let pool: pg.Pool;
let vendorDb: Kysely<VendorDb>;
let hookline: HooklineLibrary;
let receiver: Receiver;
let tenantId: string;
let auth: { authorization: string };
let api: string;
let secret: string;

async function get(path: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`${api}${path}`, { headers: auth });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

/** A server for the router alone: what the assertions read the API through. */
async function serve(router: HooklineLibrary['router']): Promise<{ url: string; close(): Promise<void> }> {
  const { createServer } = await import('node:http');
  const server = createServer(router);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address() as { port: number };
  return { url: `http://127.0.0.1:${address.port}`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

let served: Awaited<ReturnType<typeof serve>>;

beforeAll(async () => {
  database = await createTestDatabase();
  pool = new pg.Pool({ connectionString: database.connectionString, max: 5 });
  await pool.query('CREATE TABLE invoices (id text PRIMARY KEY, amount integer NOT NULL)');
  vendorDb = new Kysely<VendorDb>({ dialect: new PostgresDialect({ pool }) });
  const { DATABASE_URL: _url, ...settings } = testEnv(database.connectionString, { HOOKLINE_BOOTSTRAP: 'true' });
  hookline = await createHookline({ pool, env: {}, settings, logger: pino({ level: 'silent' }) });
  tenantId = hookline.bootstrap!.tenant.id;
  auth = { authorization: `Bearer ${hookline.bootstrap!.apiKey}` };
  served = await serve(hookline.router);
  api = served.url;
  receiver = await startReceiver();
  const post = (path: string, body: unknown) =>
    fetch(`${api}${path}`, { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: JSON.stringify(body) }).then(
      async (res) => (await res.json()) as { id: string },
    );
  const app = await post('/api/v1/app', { name: 'Billing', uid: 'billing' });
  const endpoint = await post(`/api/v1/app/${app.id}/endpoint`, { url: `${receiver.url}/hook` });
  secret = ((await get(`/api/v1/app/billing/endpoint/${endpoint.id}/secret`)).body as { key: string }).key;
  await hookline.worker.start();
});

afterAll(async () => {
  await hookline?.close();
  await served?.close();
  await receiver?.close();
  await vendorDb?.destroy(); // ends the pool
  await database?.drop();
});

describe('publish(trx, …) in the host’s transaction', () => {
  it('with a pg client: committed, the message exists and is delivered, signed; rolled back, there is none and nothing is delivered', async () => {
    const client = await pool.connect();
    let rolledBack: string;
    let committed: string;
    try {
      await client.query('BEGIN');
      await client.query('INSERT INTO invoices VALUES ($1, $2)', ['in_rolled_back', 100]);
      rolledBack = await hookline.publish(client, { tenantId, app: 'billing', eventType: 'invoice.paid', payload: { invoice: 'in_rolled_back' } });
      await client.query('ROLLBACK');

      await client.query('BEGIN');
      await client.query('INSERT INTO invoices VALUES ($1, $2)', ['in_committed', 4200]);
      committed = await hookline.publish(client, { tenantId, app: 'billing', eventType: 'invoice.paid', payload: { invoice: 'in_committed', amount: 4200 } });
      await client.query('COMMIT');
    } finally {
      client.release();
    }
    const [delivered] = await receiver.waitFor(1);
    expect(delivered!.headers['webhook-id']).toBe(committed);
    expect(new Webhook(secret).verify(delivered!.body, delivered!.headers as Record<string, string>)).toEqual({ invoice: 'in_committed', amount: 4200 });
    expect((await get(`/api/v1/app/billing/msg/${rolledBack}`)).status).toBe(404);
    expect((await get(`/api/v1/app/billing/msg/${committed}`)).status).toBe(200);
    // The committed one was delivered after the rolled-back one was published: had that one existed, it would have come too.
    expect(receiver.requests.map((r) => r.headers['webhook-id'])).toEqual([committed]);
  });

  it('with a Kysely transaction of the host’s own database type, and the API’s optional fields passed through', async () => {
    const id = await vendorDb.transaction().execute(async (trx) => {
      await trx.insertInto('invoices').values({ id: 'in_kysely', amount: 7 }).execute();
      return hookline.publish(trx, {
        tenantId,
        app: 'billing',
        eventType: 'invoice.paid',
        payload: { invoice: 'in_kysely' },
        eventId: 'evt-in-kysely',
        channels: ['eu'],
        tags: ['kysely'],
      });
    });
    const deliveries = await receiver.waitFor(2);
    expect(deliveries[1]!.headers['webhook-id']).toBe(id);
    const message = (await get(`/api/v1/app/billing/msg/${id}`)).body;
    expect(message).toMatchObject({ eventId: 'evt-in-kysely', channels: ['eu'], tags: ['kysely'], payload: { invoice: 'in_kysely' } });
    const { rows } = await sql<{ n: number }>`SELECT count(*)::int AS n FROM invoices WHERE id = 'in_kysely'`.execute(vendorDb);
    expect(rows[0]!.n).toBe(1);
  });

  it('needs a tenant: from its input, or createHookline’s tenantId option', async () => {
    await expect(hookline.publish(pool, { app: 'billing', eventType: 'invoice.paid', payload: {} })).rejects.toThrow(/tenantId/);
    const { DATABASE_URL: _url, ...settings } = testEnv(database.connectionString);
    const scoped = await createHookline({ pool, env: {}, settings, tenantId, logger: pino({ level: 'silent' }) });
    try {
      const id = await scoped.publish(pool, { app: 'billing', eventType: 'invoice.paid', payload: { invoice: 'in_default_tenant' } });
      expect((await get(`/api/v1/app/billing/msg/${id}`)).status).toBe(200);
    } finally {
      await scoped.close();
    }
  });
});
