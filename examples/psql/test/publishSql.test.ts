import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestHookline, type TestHookline } from '@hookline/test-support/hookline';
import { startReceiver, type Receiver } from '@hookline/test-support/receiver';

// examples/psql/publish.sql as its reader runs it, on a database with a running Hookline: through
// pg's simple query protocol always, by psql itself too where it is installed, and its transaction
// again as the role the file allowed. Hookline's state is read through its API.

const FILE = path.resolve(import.meta.dirname, '../publish.sql');

let h: TestHookline;
let receiver: Receiver;
let owner: pg.Client;
let auth: { authorization: string };
let tenantId: string;
let secret: string;
let file: string;
const role = { name: `hl_billing_${randomBytes(4).toString('hex')}`, password: randomBytes(12).toString('hex') };

/** psql's variable interpolation: `:'name'` is a quoted literal, `:"name"` a quoted identifier. */
function bind(sql: string, vars: Record<string, string>): string {
  return sql
    .replace(/:'(\w+)'/g, (_m, name: string) => `'${vars[name]!.replaceAll("'", "''")}'`)
    .replace(/:"(\w+)"/g, (_m, name: string) => `"${vars[name]!.replaceAll('"', '""')}"`);
}

/** The file's transaction: from its BEGIN to its COMMIT. */
const transactionOf = (sql: string) => sql.slice(sql.indexOf('BEGIN;'));

async function runThroughPg(connectionString: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString });
  await client.connect();
  try {
    await client.query(sql); // no parameters: the simple query protocol, several statements at once
  } finally {
    await client.end();
  }
}

async function psqlInstalled(): Promise<boolean> {
  return promisify(execFile)('psql', ['--version']).then(
    () => true,
    () => false,
  );
}

const messageStatus = async (order: string) => (await h.http.get(`/api/v1/app/cus_acme/msg/${order}`).set(auth)).status;
const orderCount = async (order: string) => Number((await owner.query('SELECT count(*) AS n FROM orders WHERE id = $1', [order])).rows[0].n);

beforeAll(async () => {
  h = await startTestHookline();
  const tenant = await h.createTenant('psql-example');
  tenantId = tenant.tenantId;
  auth = { authorization: `Bearer ${tenant.apiKey}` };
  receiver = await startReceiver();
  await h.http.post('/api/v1/app').set(auth).send({ name: 'Acme', uid: 'cus_acme' }).expect(201);
  const endpoint = await h.http
    .post('/api/v1/app/cus_acme/endpoint')
    .set(auth)
    .send({ url: `${receiver.url}/hook` })
    .expect(201);
  secret = (await h.http.get(`/api/v1/app/cus_acme/endpoint/${endpoint.body.id}/secret`).set(auth).expect(200)).body.key;
  owner = new pg.Client({ connectionString: h.connectionString });
  await owner.connect();
  // The service's login role is the vendor's to create; roles are cluster-wide, hence a random name.
  await owner.query(`CREATE ROLE "${role.name}" LOGIN PASSWORD '${role.password}'`);
  file = await readFile(FILE, 'utf8');
});

afterAll(async () => {
  await owner?.query(`DROP OWNED BY "${role.name}"; DROP ROLE "${role.name}"`).catch(() => {});
  await owner?.end();
  await receiver?.close();
  await h?.stop();
});

describe('examples/psql/publish.sql', () => {
  it('as the owner: creates the table, allows the role, and commits an order with its message, delivered signed', async () => {
    const orders = ['ord_1001'];
    await runThroughPg(h.connectionString, bind(file, { tenant: tenantId, role: role.name, order: 'ord_1001' }));
    // Run again by psql itself where it is installed: the file is idempotent up to its transaction.
    if (await psqlInstalled()) {
      const vars = { tenant: tenantId, role: role.name, order: 'ord_1000' };
      await promisify(execFile)('psql', [
        h.connectionString,
        '-X',
        '-q',
        '-v',
        'ON_ERROR_STOP=1',
        ...Object.entries(vars).flatMap(([k, v]) => ['-v', `${k}=${v}`]),
        '-f',
        FILE,
      ]);
      orders.push('ord_1000');
    }
    for (const order of orders) {
      expect(await orderCount(order)).toBe(1);
      expect(await messageStatus(order)).toBe(200);
    }
    const deliveries = await receiver.waitFor(orders.length);
    const verified = deliveries.map((d) => new Webhook(secret).verify(d.body, d.headers as Record<string, string>) as { id: string });
    expect(verified.sort((x, y) => x.id.localeCompare(y.id))).toEqual(orders.sort().map((id) => ({ id, customerId: 'cus_acme', totalCents: 4200 })));
  });

  it('as the allowed role, through pg: its transaction commits an order and its message', async () => {
    const url = new URL(h.connectionString);
    url.username = role.name;
    url.password = role.password;
    const before = receiver.requests.length;
    await runThroughPg(url.toString(), bind(transactionOf(file), { tenant: tenantId, order: 'ord_1002' }));
    expect(await orderCount('ord_1002')).toBe(1);
    expect(await messageStatus('ord_1002')).toBe(200);
    const deliveries = await receiver.waitFor(before + 1);
    expect(JSON.parse(deliveries[before]!.body)).toMatchObject({ id: 'ord_1002' });
  });

  it('rolled back instead of committed: no order, no message, nothing delivered', async () => {
    const before = receiver.requests.length;
    const rolledBack = bind(transactionOf(file), { tenant: tenantId, order: 'ord_1003' }).replace('COMMIT;', 'ROLLBACK;');
    expect(rolledBack).toContain('ROLLBACK;');
    await runThroughPg(h.connectionString, rolledBack);
    expect(await orderCount('ord_1003')).toBe(0);
    expect(await messageStatus('ord_1003')).toBe(404);
    await new Promise((r) => setTimeout(r, 2_000)); // four of the worker's polls
    expect(receiver.requests.map((r) => JSON.parse(r.body).id)).not.toContain('ord_1003');
    expect(receiver.requests).toHaveLength(before);
  });
});
