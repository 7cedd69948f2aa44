// Scenario 10's vendor app: a bare Express 5 handler that inserts one row of its own in a
// transaction, either alone (POST /insert) or with hookline.publish in the same transaction
// (POST /insert-publish, through @hookline/publish). Run as its own process; prints its port.
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import pg from 'pg';
import { publishWithPg } from '@hookline/publish';
import { express } from './deps.ts';

const { TENANT_ID: tenantId = '', APP: app = '' } = process.env;
const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: Number(process.env.POOL_SIZE ?? 20) });
await pool.query('CREATE TABLE IF NOT EXISTS bench_vendor_order (id uuid PRIMARY KEY, body jsonb NOT NULL, created_at timestamptz NOT NULL DEFAULT now())');

/** One vendor transaction: the INSERT, then (with `publish`) the message for it. */
async function order(body: { payload?: Record<string, unknown> }, publish: boolean): Promise<string> {
  const id = randomUUID();
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query('INSERT INTO bench_vendor_order (id, body) VALUES ($1, $2)', [id, body]);
    if (publish) await publishWithPg(client, { tenantId, app, eventType: 'order.created', payload: { id, ...body.payload } });
    await client.query('COMMIT');
  } catch (err) {
    await client.query('ROLLBACK').catch(() => {});
    throw err;
  } finally {
    client.release();
  }
  return id;
}

const server = express();
server.use(express.json());
server.post('/insert', async (req, res) => {
  res.status(201).json({ id: await order(req.body as object, false) });
});
server.post('/insert-publish', async (req, res) => {
  res.status(201).json({ id: await order(req.body as object, true) });
});
const listening = server.listen(0, '127.0.0.1', () => {
  console.log(`listening ${(listening.address() as AddressInfo).port}`);
});
process.once('SIGTERM', () => listening.close(() => void pool.end().then(() => process.exit(0))));
