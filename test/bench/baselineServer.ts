// Baseline for publish (scenario 1): a bare Express 5 handler that runs one transaction of two
// single-row INSERTs in the bench's database and answers 202. Run as its own process; prints its port.
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import pg from 'pg';
import { express } from './deps.ts';

const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: Number(process.env.POOL_SIZE ?? 20) });
await pool.query(`CREATE TABLE IF NOT EXISTS bench_baseline_message (id text PRIMARY KEY, payload text NOT NULL, created_at timestamptz NOT NULL DEFAULT now());
  CREATE TABLE IF NOT EXISTS bench_baseline_job (id uuid PRIMARY KEY, message_id text NOT NULL, created_at timestamptz NOT NULL DEFAULT now())`);

const app = express();
app.use(express.json());
app.post('/msg', async (req, res) => {
  const id = randomUUID();
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query('INSERT INTO bench_baseline_message (id, payload) VALUES ($1, $2)', [id, JSON.stringify(req.body)]);
    await client.query('INSERT INTO bench_baseline_job (id, message_id) VALUES ($1, $2)', [randomUUID(), id]);
    await client.query('COMMIT');
  } catch (err) {
    await client.query('ROLLBACK').catch(() => {});
    throw err;
  } finally {
    client.release();
  }
  res.status(202).json({ id });
});
const server = app.listen(0, '127.0.0.1', () => {
  console.log(`listening ${(server.address() as AddressInfo).port}`);
});
process.once('SIGTERM', () => server.close(() => void pool.end().then(() => process.exit(0))));
