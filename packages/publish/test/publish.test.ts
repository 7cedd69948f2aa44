import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useTestDatabase } from '@hookline/test-support/database';
import { publishErrorCode, publishWithKysely, publishWithPg } from '../src/index.ts';

// Each wrapper against real PostgreSQL: a committed publish leaves its message and pending
// fan-out, a rolled-back one leaves nothing (the vendor's own row goes the same way).

const database = useTestDatabase();
let pool: pg.Pool;
let vendor: Kysely<{ invoices: { id: string } }>;
const tenantId = 'org_publishPackageTest';

beforeAll(async () => {
  pool = new pg.Pool({ connectionString: database.connectionString, max: 3 });
  vendor = new Kysely({ dialect: new PostgresDialect({ pool }) });
  await pool.query('CREATE TABLE invoices (id text PRIMARY KEY)');
  await pool.query("INSERT INTO tenant (id, name) VALUES ($1, 'publish package')", [tenantId]);
  await pool.query("INSERT INTO application (id, tenant_id, uid, name) VALUES ('app_publishPackageTest', $1, 'billing', 'Billing')", [tenantId]);
});
afterAll(async () => {
  await vendor?.destroy();
});

const exists = async (msgId: string, invoice: string) => {
  const { rows } = await pool.query(
    `SELECT (SELECT count(*)::int FROM message WHERE id = $1) AS messages, (SELECT count(*)::int FROM fanout_pending WHERE msg_id = $1) AS pending,
       (SELECT count(*)::int FROM invoices WHERE id = $2) AS invoices`,
    [msgId, invoice],
  );
  return rows[0] as { messages: number; pending: number; invoices: number };
};

describe('publishWithPg', () => {
  it('commits with the client’s transaction, and rolls back with it', async () => {
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      await client.query("INSERT INTO invoices VALUES ('pg-1')");
      const committed = await publishWithPg(client, { tenantId, app: 'billing', eventType: 'invoice.paid', payload: { id: 'pg-1' }, tags: ['pg'] });
      await client.query('COMMIT');
      expect(await exists(committed, 'pg-1')).toEqual({ messages: 1, pending: 1, invoices: 1 });

      await client.query('BEGIN');
      await client.query("INSERT INTO invoices VALUES ('pg-2')");
      const rolledBack = await publishWithPg(client, { tenantId, app: 'billing', eventType: 'invoice.paid', payload: { id: 'pg-2' } });
      await client.query('ROLLBACK');
      expect(await exists(rolledBack, 'pg-2')).toEqual({ messages: 0, pending: 0, invoices: 0 });
    } finally {
      client.release();
    }
  });

  it('reports a refusal by its SQLSTATE', async () => {
    const err = await publishWithPg(pool, { tenantId, app: 'missing', eventType: 'x', payload: {} }).catch((e: unknown) => e);
    expect(publishErrorCode(err)).toBe('HL404');
    expect(publishErrorCode(new Error('other'))).toBeUndefined();
  });
});

describe('publishWithKysely', () => {
  it('commits with the Kysely transaction, and rolls back with it', async () => {
    const committed = await vendor.transaction().execute(async (trx) => {
      await trx.insertInto('invoices').values({ id: 'ky-1' }).execute();
      return publishWithKysely(trx, { tenantId, app: 'billing', eventType: 'invoice.paid', payload: { id: 'ky-1' }, eventId: 'ky-1' });
    });
    expect(await exists(committed, 'ky-1')).toEqual({ messages: 1, pending: 1, invoices: 1 });

    let rolledBack = '';
    const failure = new Error('the vendor’s own failure after the publish');
    await expect(
      vendor.transaction().execute(async (trx) => {
        await trx.insertInto('invoices').values({ id: 'ky-2' }).execute();
        rolledBack = await publishWithKysely(trx, { tenantId, app: 'billing', eventType: 'invoice.paid', payload: { id: 'ky-2' } });
        throw failure;
      }),
    ).rejects.toBe(failure);
    expect(rolledBack).toMatch(/^msg_/);
    expect(await exists(rolledBack, 'ky-2')).toEqual({ messages: 0, pending: 0, invoices: 0 });
  });
});
